// Newsmap's shared helpers (static/newsmap/core.js): the one HTML escaper, numbers and dates.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadNewsmap } from "./newsmap.mjs";

const { Newsmap: N } = loadNewsmap("core.js");

test("esc escapes the five characters that can open markup or close an attribute", () => {
    assert.equal(N.esc(`<img src=x onerror="alert('1')">&`),
        "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
});

test("esc shows a missing value as nothing, not as 'null' or 'undefined'", () => {
    assert.equal(N.esc(null), "");
    assert.equal(N.esc(undefined), "");
    assert.equal(N.esc(0), "0");
});

test("esc does not escape twice what a reader typed as an entity", () => {
    // "&lt;" in the data is shown as the four characters, not as "<".
    assert.equal(N.esc("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
});

test("thousands are separated with commas, as en-GB writes them", () => {
    assert.deepEqual([0, 999, 1000, 12345, 1234567, -4321].map(N.thousands),
        ["0", "999", "1,000", "12,345", "1,234,567", "-4,321"]);
});

test("plural says one event, two events, and takes an irregular plural", () => {
    assert.equal(N.plural(1, "event"), "1 event");
    assert.equal(N.plural(2, "event"), "2 events");
    assert.equal(N.plural(0, "event"), "0 events");
    assert.equal(N.plural(10000, "event"), "10,000 events");
    assert.equal(N.plural(3, "casualty", "casualties"), "3 casualties");
});

test("isoDay counts days from the first one in UTC, across a month's end", () => {
    assert.equal(N.isoDay("2021-08-15", 0), "2021-08-15");
    assert.equal(N.isoDay("2021-08-15", 17), "2021-09-01");
    assert.equal(N.isoDay("2021-12-31", 1), "2022-01-01");
    assert.equal(N.dayDiff("2021-08-15", "2021-09-01"), 17);
    assert.equal(N.dayDiff("2021-09-01", "2021-08-15"), -17);
});

test("dateCaption reads as the map's caption does", () => {
    const first = "2021-08-15";
    assert.equal(N.dateCaption(first, { mode: "cumulative", end: 20 }), "As of 4 September 2021");
    assert.equal(N.dateCaption(first, { mode: "window", start: 15, end: 20 }),
        "30 Aug – 4 September 2021");
    // A window of one day names that day alone.
    assert.equal(N.dateCaption(first, { mode: "window", start: 20, end: 20 }), "4 September 2021");
});

test("countCaption says when nothing is in view", () => {
    assert.equal(N.countCaption({ events: 0, places: 0 }), "no events");
    assert.equal(N.countCaption({ events: 1, places: 1 }), "1 event at 1 place");
    assert.equal(N.countCaption({ events: 1200, places: 3 }), "1,200 events at 3 places");
});
