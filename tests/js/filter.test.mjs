// The time engine's filter and counts (static/newsmap/engine-filter.js): which events a view
// counts, where, and how a view is normalised.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, DATA, loadEngine } from "./newsmap.mjs";

const { Newsmap: N } = loadEngine("engine-filter.js");

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
