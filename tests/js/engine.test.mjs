// The time engine's pure parts (static/newsmap/engine.js): which events a view counts, where,
// and how a view is normalised; the legend's HTML. Drawing and label layout need a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, loadNewsmap } from "./newsmap.mjs";

const N = loadNewsmap("core.js", "engine.js");

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
