// The time engine's popup (static/newsmap/engine-popups.js): escaped, newest first, capped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countingEngine, DATA, flatMap, loadEngine } from "./newsmap.mjs";

const { Newsmap: N, L } = loadEngine("engine-filter.js", "engine-popups.js");

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
