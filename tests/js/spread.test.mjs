// The time engine's spread (static/newsmap/engine-spread.js): pins on one point, on a ring.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, DATA, flatMap, loadEngine } from "./newsmap.mjs";

const { Newsmap: N } = loadEngine("engine-spread.js");

/** Pins at `points` ([lat, lng] in the flat map's pixels), one event each on day 0. */
function pins(points) {
    const n = points.length;
    return {
        ...DATA,
        places: points.map(([lat, lng], i) => [`p${i}`, `P${i}`, lat, lng, 1, 0]),
        rows: { d: Array(n).fill(0), p: [...Array(n).keys()], t: Array(n).fill(0), c: Array(n).fill(-1), e: [...Array(n).keys()] },
        events: { x: Array(n).fill(0), ao: [...Array(n + 1).keys()], ai: Array(n).fill(0) },
    };
}

function positions(engine) {
    return engine.layers.map((layer) => {
        const at = layer.getLatLng();
        return [Math.round(at.lat * 100) / 100, Math.round(at.lng * 100) / 100];
    });
}

test("pins on one point are spread on a ring around it, in place order, first at the top", () => {
    // p0 and p1 share a point (as Gulbahar and Jabal os Saraj do); p2 stands apart.
    const engine = countingEngine(N, pins([[100, 100], [100, 100], [300, 300]]), flatMap());
    engine._spread([0, 1, 2]);
    // Radius 6 pins: the ring's radius is (6 + 1.5) / sin(pi / 2) = 7.5 px.
    assert.deepEqual(positions(engine), [[92.5, 100], [107.5, 100], [300, 300]]);
});

test("a spread pin goes home when its neighbour leaves the view", () => {
    const engine = countingEngine(N, pins([[100, 100], [100, 100]]), flatMap());
    engine._spread([0, 1]);
    engine._spread([0]);
    assert.deepEqual(positions(engine)[0], [100, 100]);
});

test("more than eight pins on one point stay where the gazetteer puts them", () => {
    const engine = countingEngine(N, pins(Array(9).fill([50, 50])), flatMap());
    engine._spread([...Array(9).keys()]);
    assert.deepEqual(positions(engine), Array(9).fill([50, 50]));
});

test("spread pins: a pair on one point sits on a ring that just clears both", () => {
    const at = N.spread.pins([4, 7], { 4: { x: 50, y: 50 }, 7: { x: 50, y: 50 } }, { 4: 6, 7: 10 });
    // The larger radius sets the ring: (10 + 1.5) / sin(pi / 2); the lower index on top.
    const rounded = Object.fromEntries(Object.entries(at).map(([i, p]) => [i, [Math.round(p.x * 100) / 100, Math.round(p.y * 100) / 100]]));
    assert.deepEqual(rounded, { 4: [50, 38.5], 7: [50, 61.5] });
});

test("spread pins: pins farther apart than their radii stay home, nearer ones are spread", () => {
    const pts = { 0: { x: 0, y: 0 }, 1: { x: 13, y: 0 }, 2: { x: 200, y: 200 }, 3: { x: 211, y: 204 } };
    const at = N.spread.pins([0, 1, 2, 3], pts, { 0: 6, 1: 6, 2: 6, 3: 6 });
    // 13 px apart with radii 6 + 6 + 1: apart. 11 px apart: too close, spread about their middle.
    assert.deepEqual([...Object.keys(at)], ["2", "3"]);
    assert.ok(Math.abs((at[2].x + at[3].x) / 2 - 205.5) < 1e-9 && Math.abs((at[2].y + at[3].y) / 2 - 202) < 1e-9);
});

test("spread pins: eight on one point make a ring, nine stay where they are", () => {
    const ids = [...Array(9).keys()];
    const pts = Object.fromEntries(ids.map((i) => [i, { x: 100, y: 100 }]));
    const radius = Object.fromEntries(ids.map((i) => [i, 6]));
    assert.equal(N.spread.MAX, 8);
    const eight = N.spread.pins(ids.slice(0, 8), pts, radius);
    const ring = Object.values(eight).map((p) => Math.hypot(p.x - 100, p.y - 100));
    assert.ok(ring.every((r) => Math.abs(r - 7.5 / Math.sin(Math.PI / 8)) < 1e-9));
    assert.equal(Object.keys(N.spread.pins(ids, pts, radius)).length, 0);
});
