// The time engine's label layout (static/newsmap/engine-layout.js) over a flat map: where
// labels go, what yields to what, and that none overlap. Measuring and drawing need a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, DATA, flatMap, loadEngine } from "./newsmap.mjs";

const { Newsmap: N } = loadEngine("engine-filter.js", "engine-spread.js", "engine-layout.js",
    "engine-labels.js", "engine-keys.js");

/**
 * The label layout over a flat `width` x `height` map, with labels 7 px a character plus 10 px
 * and 20 px high (the page measures them in its font); pins of radius 6 at `points`, place i
 * with `counts[i]` events. Returns place index -> {box, text, short} for each label placed.
 */
function layout(points, counts, { width = 800, height = 600, selected = null } = {}) {
    const rows = { d: [], p: [], t: [], c: [], e: [] };
    points.forEach((_, i) => {
        for (let k = 0; k < counts[i]; k++) {
            rows.d.push(0); rows.p.push(i); rows.t.push(0); rows.c.push(-1); rows.e.push(rows.e.length);
        }
    });
    const n = rows.e.length;
    const data = {
        ...DATA,
        places: points.map(([lat, lng], i) => [`p${i}`, `P${i}`, lat, lng, 1, 0]),
        rows,
        events: { x: Array(n).fill(0), ao: [...Array(n + 1).keys()], ai: Array(n).fill(0) },
    };
    const map = {
        ...flatMap(),
        getSize: () => ({ x: width, y: height }),
        getBounds: () => ({ contains: (ll) => ll.lng >= 0 && ll.lng <= width && ll.lat >= 0 && ll.lat <= height }),
    };
    const engine = countingEngine(N, data, map);
    // What needs a page: the controls' boxes, the edge chips, drawing, measuring text, styles.
    engine._controlBoxes = () => [];
    engine._edges = () => {};
    engine._drawLabels = (placed) => { engine.placedLabels = placed; };
    engine._width = (text) => text.length * 7 + 10;
    engine._h = 20;
    engine._styled = () => true;
    engine.selectedId = selected;
    engine.view = engine._normalise({ end: 4 });
    engine._count(engine.view);
    engine._layout(true);
    return engine.placedLabels;
}

function overlapping(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test("a lone pin is labelled with its name and count to its right", () => {
    const placed = layout([[100, 100]], [3]);
    assert.equal(placed[0].text, "P0 · 3");
    assert.equal(placed[0].short, false);
    // Right of the pin: radius 6 plus a 3 px gap; centred on it vertically.
    // (JSON: objects made in the scripts' context have that context's prototypes.)
    assert.deepEqual(JSON.parse(JSON.stringify(placed[0].box)), { x: 109, y: 90, w: 52, h: 20, side: "r" });
});

test("a label moves to another side rather than cover a neighbour's pin", () => {
    const placed = layout([[100, 100], [100, 130]], [3, 1]);
    assert.equal(placed[0].box.side, "l");
    assert.equal(placed[1].box.side, "r");
});

test("in a crowd no two labels overlap, none covers another pin, all stay in the frame", () => {
    // 40 pins on a 10 x 4 grid 30 px apart: far more labels than room.
    const points = [], counts = [];
    for (let k = 0; k < 40; k++) {
        points.push([40 + 30 * Math.floor(k / 10), 40 + 30 * (k % 10)]);
        counts.push(1 + ((k * 7) % 13));
    }
    const placed = layout(points, counts, { width: 400, height: 200 });
    const boxes = Object.values(placed).map((s) => s.box);
    assert.ok(boxes.length > 5 && boxes.length < 40, `${boxes.length} labels placed`);
    for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) { assert.ok(!overlapping(a, b)); }
    }
    Object.entries(placed).forEach(([i, { box }]) => {
        assert.ok(box.x >= 4 && box.y >= 4 && box.x + box.w <= 396 && box.y + box.h <= 196);
        points.forEach(([lat, lng], j) => {
            const pin = { x: lng - 7, y: lat - 7, w: 14, h: 14 };
            if (j !== +i) { assert.ok(!overlapping(box, pin), `label ${i} covers pin ${j}`); }
        });
    });
    assert.ok(Object.values(placed).some((s) => s.short), "some labels shortened to their count");
});

test("where a full label finds no room it shortens to its count", () => {
    // A 60 px wide map: "P0 · 5" (52 px) fits nowhere beside its pin; the count (17 px) does.
    const placed = layout([[40, 20], [40, 40]], [5, 2], { width: 60, height: 80 });
    assert.deepEqual([placed[0].text, placed[0].short], ["5", true]);
    assert.deepEqual([placed[1].text, placed[1].short], ["2", true]);
});

test("the busier place is labelled first; a selected place goes ahead of it", () => {
    // Two pins 80 px apart on a 130 x 60 map: the room between them takes one full label.
    const points = [[30, 20], [30, 100]];
    const busiest = layout(points, [9, 1], { width: 130, height: 60 });
    assert.deepEqual([busiest[0].text, busiest[1].text], ["P0 · 9", "1"]);
    const selected = layout(points, [9, 1], { width: 130, height: 60, selected: "p1" });
    assert.equal(selected[1].text, "P1 · 1");
    assert.equal(selected[0], undefined, "no room left for P0, not even its count");
});

test("a pin's spots go right, left, above, below, then the corners; all clear its pin", () => {
    const pin = { x: 100, y: 100, r: 6, pin: true };
    const spots = N.layout.candidates(pin, 40, 20, false);
    assert.deepEqual([...spots.map((s) => s.side)], ["r", "l", "t", "b", "tr", "br"]);
    const own = { x: 94, y: 94, w: 12, h: 12 };
    for (const s of spots) {
        assert.deepEqual([s.w, s.h], [40, 20]);
        assert.ok(!N.geometry.overlaps(s, own), `${s.side} covers the pin`);
    }
    // The place a reader chose gets four spots farther out as well.
    assert.deepEqual([...N.layout.candidates(pin, 40, 20, true).slice(6).map((s) => s.side)], ["t2", "b2", "tl", "bl"]);
});

test("an area's spots hang on its top edge and stay inside the frame near the map's edge", () => {
    // An area centred 10 px from the right edge of a 300 px wide map, 100 px in radius.
    const area = { x: 276, y: 50, r: 0, pin: false, cy: 150, rpx: 100, width: 300 };
    const spots = N.layout.candidates(area, 60, 20, false);
    assert.equal(spots[0].side, "t");
    assert.equal(spots[0].y, 40, "centred on the top edge");
    for (const s of spots) { assert.ok(s.x >= 4 && s.x + s.w <= 296, `${s.side} leaves the frame`); }
    // Big enough for a label inside it: its bottom edge and a row under the top are tried too.
    assert.deepEqual([...spots.map((s) => s.side)], ["t", "b", "t2", "tr", "tl"]);
    const small = N.layout.candidates({ ...area, rpx: 30 }, 60, 20, false);
    assert.deepEqual([...small.map((s) => s.side)], ["t", "tr", "tl"]);
});
