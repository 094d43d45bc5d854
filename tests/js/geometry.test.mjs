// The time engine's pure helpers (static/newsmap/engine-geometry.js): the binary search the
// counts and popups start from, distances on the edge chips, and the box index the label
// layout asks "is this spot free?".
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadEngine } from "./newsmap.mjs";

const { Newsmap: N } = loadEngine();
const { lowerBound, haversineKm, overlaps, BoxIndex } = N.geometry;

test("lowerBound finds the first row of a day, or where it would be", () => {
    const days = [0, 0, 1, 3, 3, 3, 7];
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8, -1].map((d) => lowerBound(days, d)), [0, 2, 3, 3, 6, 6, 7, 0]);
    assert.equal(lowerBound([], 5), 0);
});

test("haversineKm measures Kabul to Bazarak as about 90 km, and a point to itself as 0", () => {
    assert.equal(Math.round(haversineKm(34.53, 69.17, 35.31, 69.52) / 10) * 10, 90);
    assert.equal(haversineKm(35, 69, 35, 69), 0);
});

test("boxes that only touch do not overlap", () => {
    const a = { x: 0, y: 0, w: 10, h: 10 };
    assert.ok(overlaps(a, { x: 9, y: 9, w: 10, h: 10 }));
    assert.ok(!overlaps(a, { x: 10, y: 0, w: 10, h: 10 }));
    assert.ok(!overlaps(a, { x: 0, y: 10, w: 10, h: 10 }));
});

test("the box index finds an overlap in any grid cell a box spans, and only a real one", () => {
    const index = new BoxIndex(64);
    // Wider than a cell and across a cell's edge, at negative coordinates too.
    index.add({ x: -20, y: 50, w: 150, h: 20 });
    assert.ok(index.hits({ x: 120, y: 60, w: 5, h: 5 }));
    assert.ok(index.hits({ x: -15, y: 55, w: 2, h: 2 }));
    assert.ok(!index.hits({ x: 0, y: 71, w: 100, h: 5 }), "below it, in the same cells");
    assert.equal(index.all.length, 1);
});

test("the box index can leave out one pin's own box", () => {
    const index = new BoxIndex(64);
    index.add({ x: 10, y: 10, w: 14, h: 14, pin: 3 });
    const label = { x: 20, y: 12, w: 40, h: 10 };
    assert.ok(index.hits(label));
    assert.ok(!index.hits(label, 3), "a label may touch its own pin");
    assert.ok(index.hits(label, 4));
});
