// The reader UI's panels (static/newsmap/panel.js): the place panel and the events table the
// app, the reader edition and the single-file export all draw with these functions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadNewsmap } from "./newsmap.mjs";

const { Newsmap: N } = loadNewsmap("core.js", "params.js", "panel.js");

// Two places, three events over three days (first day 2021-08-30).
const D = {
    first: "2021-08-30", ndays: 3,
    types: ["attack", "denial"], colours: ["#d62728", "#1f77b4"], textOn: ["#fff", "#111"],
    typeLabels: ["attack", "denial"], claimants: ["NRF", "Taliban"], articles: ["a1"],
    places: [["alpha", "Alpha", 35, 69, 1, 0], ["beta", "Beta <b>", 35.1, 69.1, 1, 0]],
    rows: { d: [0, 1, 2, 2], p: [0, 0, 1, 0], t: [0, 1, 0, 0], c: [0, 1, -1, -1], e: [0, 1, 2, 2] },
    events: { x: [0, 1, 0], ao: [0, 1, 2, 3], ai: [0, 0, 0] },
    info: [["30 Aug 2021", "NRF", "claimed", "An attack on Alpha.", "Wire", "E1"],
        ["31 Aug 2021", "Taliban", "denied", "A denial.", "Wire", "E2"],
        ["1 Sep 2021", "", "reported", "Fighting <script>", "Wire", "E3"]],
};
const ALL = { mode: "cumulative", start: 0, end: 2, types: [], claimants: [], articles: [] };

// [id, iso date, day, precision, basis, type, claimant, status, summary, quote, casualties,
//  [articles], [contested with], corroboration]
function record(id, day, extra = {}) {
    const r = [id, "2021-08-3" + day, day, "day", "", "attack", "NRF", "claimed", "Summary " + id, "Quote " + id,
        "", ["a1"], [], ""];
    Object.entries(extra).forEach(([k, v]) => { r[k] = v; });
    return r;
}
const PLACE = {
    id: "alpha", name: "Alpha", kind: "village", precision: "village", km: 2, pin: true, source: "GeoNames",
    events: [record("E1", 0, { 13: "2 outlets: Wire, Post" }), record("E2", 1, { 3: "undated", 7: "disputed" })],
    rivals: [],
    passages: [["a1", "Fighters took Alpha.", 13, 18, 130, false], ["a1", "Smoke over Alpha.", 11, 16, 200, true]],
    headlines: { a1: "Wire: “Alpha falls”" },
    changes: { E1: ["Alice <desk>", "2 Sep 2021"] },
};

test("the table lists the events in view, newest first, each with its id", () => {
    const html = N.eventsTable(D, ALL);
    const ids = [...html.matchAll(/\[(E\d)\]<\/span><\/td><\/tr>/g)].map((m) => m[1]);
    assert.deepEqual(ids, ["E3", "E2", "E1"]);
    assert.match(html, /3 events, newest first/);
    assert.match(html, /Fighting &lt;script&gt;/);
    assert.match(html, /data-place='beta'>Beta &lt;b&gt;<\/button>/);
});

test("the table follows the dates and the filters", () => {
    const early = N.eventsTable(D, { ...ALL, end: 1 });
    assert.doesNotMatch(early, /\[E3\]/);
    const denials = N.eventsTable(D, { ...ALL, types: ["denial"] });
    assert.match(denials, /\[E2\]/);
    assert.doesNotMatch(denials, /\[E1\]/);
    assert.match(N.eventsTable(D, { ...ALL, claimants: ["Nobody"] }), /No events in these dates and filters/);
});

test("a long table stops at its limit and says how many more there are", () => {
    const html = N.eventsTable(D, ALL, { rows: 2, more: ", or download them as CSV" });
    assert.equal([...html.matchAll(/<tr><td>/g)].length, 2);
    assert.match(html, /1 more event: narrow the dates or filters, or open a place, or download them as CSV\./);
});

test("without per-event text (above the engine's INFO_MAX) the table says so", () => {
    assert.match(N.eventsTable({ ...D, info: null }, ALL), /Too many events to list here/);
});

test("the panel shows who reports an event, who changed it last, and an undated event as such", () => {
    const html = N.placePanel(PLACE, ALL, D);
    assert.match(html, /Reported by: 2 outlets: Wire, Post/);
    assert.match(html, /Last changed by Alice &lt;desk&gt; on 2 Sep 2021/);
    assert.equal((html.match(/Last changed by/g) || []).length, 1);
    assert.match(html, /<b>by 31 Aug 2021 \(undated\)<\/b>/);
});

test("a disputed event is tagged contested though it names no rival claim", () => {
    const html = N.placePanel(PLACE, ALL, D);
    const e2 = html.slice(html.indexOf("[E2]"));
    assert.match(e2.slice(0, 200), /nme-contested'>contested/);
    assert.ok(N.isContested(PLACE.events[1]) && !N.isContested(PLACE.events[0]));
});

test("a passage from a photo caption is labelled, and the name is marked", () => {
    const html = N.placePanel(PLACE, ALL, D);
    assert.match(html, /Photo caption:<\/span> Smoke over <mark>Alpha<\/mark>\./);
    assert.equal((html.match(/Photo caption:/g) || []).length, 1);
});

test("the panel's articles open the reader, a page, or are named where there is none", () => {
    const buttons = N.placePanel(PLACE, ALL, D);
    assert.match(buttons, /<button type='button' class='nme-link' data-article='a1' data-at='130' data-place='alpha'>/);
    const links = N.placePanel(PLACE, ALL, D, {
        articleHref: (a, p, at) => "./Articles?article=" + a + "&place=" + p + (at !== undefined ? "#m" + at : ""),
    });
    assert.match(links, /<a class='nme-link' target='_self' href='\.\/Articles\?article=a1&amp;place=alpha#m130'>/);
    assert.doesNotMatch(links, /<button type='button' class='nme-link' data-article/);
    const cites = N.placePanel(PLACE, ALL, { ...D, noReader: true });
    assert.match(cites, /<cite class='nme-cite'>Wire: “Alpha falls”<\/cite>/);
});

test("the panel counts only the events in view", () => {
    assert.match(N.placePanel(PLACE, { ...ALL, end: 0 }, D), /<b>1 event here<\/b>/);
    assert.match(N.placePanel(PLACE, { ...ALL, end: 1 }, D), /<b>2 events here<\/b>/);
});
