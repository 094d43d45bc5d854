// The time engine's legend (static/newsmap/engine-legend.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { DATA, loadEngine } from "./newsmap.mjs";

const { Newsmap: N } = loadEngine("engine-legend.js");

test("the legend escapes the type labels it is given", () => {
    const items = N.legendItems(DATA);
    assert.match(items.types, /&lt;b&gt;Denial&lt;\/b&gt;/);
    assert.doesNotMatch(items.types, /<b>/);
    assert.equal((N.legendItems(DATA, [1]).types.match(/<li/g) || []).length, 1);
});
