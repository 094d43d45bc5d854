// The time engine's pure parts (static/newsmap/engine.js): which events a view counts, where,
// and how a view is normalised; the legend's HTML. Drawing and label layout need a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, flatMap, loadNewsmap } from "./newsmap.mjs";

const { Newsmap: N, L } = loadNewsmap("core.js", "engine.js");

/**
 * Four events over four days, in the shape of lib/map/engine.py engine_data(): E0 a clash at
 * Alpha (no claimant, article a1); E1 an attack at Beta (Taliban, a2, contested); E2 a denial
 * at Gamma (NRF, a2, contested); E3 an attack at Alpha and Beta (Taliban, a1 and a2: two rows).
 */
const DATA = {
    v: 1,
    first: "2021-09-01",
    ndays: 5,
    title: "Test",
    types: ["clash", "attack", "denial"],
    typeLabels: ["Clash", "Attack", "<b>Denial</b>"],
    colours: ["#111111", "#222222", "#333333"],
    claimants: ["NRF", "Taliban"],
    articles: ["a1", "a2"],
    places: [
        ["alpha", "Alpha", 35.0, 69.0, 1, 2],
        ["beta", "Beta", 35.1, 69.1, 1, 2],
        ["gamma", "Gamma", 35.2, 69.2, 0, 12],
    ],
    // One row per event and place, in day order; c = -1: no claimant.
    rows: { d: [0, 1, 2, 3, 3], p: [0, 1, 2, 0, 1], t: [0, 1, 2, 1, 1], c: [-1, 1, 0, 1, 1], e: [0, 1, 2, 3, 3] },
    // x: contested per event; ao/ai: each event's articles as offsets into ai.
    events: { x: [0, 1, 1, 0], ao: [0, 1, 2, 3, 5], ai: [0, 1, 1, 0, 1] },
};

function counted(view) {
    const engine = countingEngine(N, DATA);
    const totals = engine.countView(view);
    const byPlace = {};
    DATA.places.forEach((p, i) => { if (engine.count[i]) { byPlace[p[0]] = engine.count[i]; } });
    return { events: totals.events, places: totals.places, byPlace, engine };
}

test("everything up to a day counts each event once, however many places it has", () => {
    const { events, places, byPlace } = counted({ end: 3 });
    assert.deepEqual([events, places], [4, 3]);
    assert.deepEqual(byPlace, { alpha: 2, beta: 2, gamma: 1 });
});

test("the end day is included and later days are not", () => {
    const { events, byPlace } = counted({ end: 1 });
    assert.equal(events, 2);
    assert.deepEqual(byPlace, { alpha: 1, beta: 1 });
});

test("a window counts only its own days", () => {
    const { events, byPlace } = counted({ mode: "window", start: 2, end: 3 });
    assert.equal(events, 2);
    assert.deepEqual(byPlace, { alpha: 1, beta: 1, gamma: 1 });
});

test("a start outside window mode is ignored: cumulative counts from the first day", () => {
    assert.equal(counted({ mode: "cumulative", start: 3, end: 3 }).events, 4);
});

test("a type filter keeps only those types", () => {
    const { events, byPlace } = counted({ end: 4, types: ["attack"] });
    assert.equal(events, 2);
    assert.deepEqual(byPlace, { alpha: 1, beta: 2 });
});

test("a claimant filter drops the events nobody claims", () => {
    assert.deepEqual(counted({ end: 4, claimants: ["Taliban"] }).byPlace, { alpha: 1, beta: 2 });
    assert.deepEqual(counted({ end: 4, claimants: ["NRF"] }).byPlace, { gamma: 1 });
});

test("an article filter keeps an event cited by any of the articles", () => {
    const { events, byPlace } = counted({ end: 4, articles: ["a1"] });
    assert.equal(events, 2);
    assert.deepEqual(byPlace, { alpha: 2, beta: 1 });
});

test("filters combine, and an unknown value matches nothing rather than everything", () => {
    assert.equal(counted({ end: 4, types: ["attack"], articles: ["a1"] }).events, 1);
    assert.equal(counted({ end: 4, types: ["no-such-type"] }).events, 0);
    assert.equal(counted({ end: 4, claimants: ["Nobody"] }).events, 0);
});

test("changing only the filters between two views recounts them", () => {
    const engine = countingEngine(N, DATA);
    assert.equal(engine.countView({ end: 4, types: ["denial"] }).events, 1);
    assert.equal(engine.countView({ end: 4, types: ["clash", "denial"] }).events, 2);
    assert.equal(engine.countView({ end: 4 }).events, 4);
});

test("contested claims are counted per place, for the ⚑ on its label", () => {
    const { engine } = counted({ end: 4 });
    assert.deepEqual(Array.from(engine.contested), [0, 1, 1]);
});

test("a place's colour is its most frequent type, the first type on a tie", () => {
    const { engine } = counted({ end: 4 });
    assert.deepEqual([0, 1, 2].map((p) => DATA.types[engine._mainType(p)]),
        ["clash", "attack", "denial"]);
});

test("a view is clamped to the data's days and its start never passes its end", () => {
    const engine = countingEngine(N, DATA);
    assert.deepEqual(
        (({ start, end, mode }) => ({ start, end, mode }))(engine._normalise({})),
        { start: 0, end: 4, mode: "cumulative" });
    assert.equal(engine._normalise({ end: 99 }).end, 4);
    assert.equal(engine._normalise({ end: -3 }).end, 0);
    const view = engine._normalise({ mode: "window", start: 4, end: 2 });
    assert.deepEqual([view.start, view.end], [2, 2]);
});

test("a view counted from another first day is moved onto this data's days", () => {
    // The page's view was made when the data began a day earlier: day 2 then is day 1 now.
    const engine = countingEngine(N, DATA);
    const view = engine._normalise({ first: "2021-08-31", mode: "window", start: 1, end: 2 });
    assert.deepEqual([view.start, view.end, view.first], [0, 1, "2021-09-01"]);
});

test("the legend escapes the type labels it is given", () => {
    const items = N.legendItems(DATA);
    assert.match(items.types, /&lt;b&gt;Denial&lt;\/b&gt;/);
    assert.doesNotMatch(items.types, /<b>/);
    assert.equal((N.legendItems(DATA, [1]).types.match(/<li/g) || []).length, 1);
});

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

test("a popup escapes every piece of data it shows, newest event first", () => {
    const data = {
        ...DATA,
        places: [["alpha", "<b>Alpha</b>", 35, 69, 1, 2], ...DATA.places.slice(1)],
        info: [
            ["1 Sep", "", "reported", "<img src=x onerror=alert(1)>", "a1 & co"],
            ["2 Sep", "Taliban", "claimed", "E1", ""],
            ["3 Sep", "NRF", "claimed", "E2", ""],
            ["4 Sep", "Taliban", "claimed", "Newest at Alpha", "<script>x</script>"],
        ],
        popupNote: "Claims as <i>claimed</i>",
    };
    const engine = countingEngine(N, data, flatMap());
    engine.view = engine._normalise({ end: 4 });
    engine._count(engine.view);
    L.popups.length = 0;
    engine._popup(0);
    const [html] = L.popups;
    assert.doesNotMatch(html, /<img|<script|<i>|<b>Alpha/);
    assert.match(html, /&lt;b&gt;Alpha&lt;\/b&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.ok(html.indexOf("Newest at Alpha") < html.indexOf("&lt;img"), "newest first");
});

test("a popup lists at most popupEvents events and says how many more", () => {
    const engine = countingEngine(N, { ...DATA, popupEvents: 1, info: DATA.events.x.map((_, e) => ["d", "", "s", `E${e}`, ""]) }, flatMap());
    engine.view = engine._normalise({ end: 4 });
    engine._count(engine.view);
    L.popups.length = 0;
    engine._popup(0);
    assert.match(L.popups[0], /E3/);
    assert.doesNotMatch(L.popups[0], />E0</);
    assert.match(L.popups[0], /and 1 more/);
});

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
    // What needs a page: the controls' boxes, the edge chips, drawing, measuring text.
    engine._controlBoxes = () => [];
    engine._edges = () => {};
    engine._drawLabels = (placed) => { engine.placedLabels = placed; };
    engine._width = (text) => text.length * 7 + 10;
    engine._h = 20;
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
