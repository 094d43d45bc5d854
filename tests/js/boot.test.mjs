// static/newsmap/boot.js: the live map's loader asks for every script and stylesheet named in
// its own `load` parameter at once, scripts to run in the order given (lib/map/mapview.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import vm from "node:vm";

const BOOT = readFileSync(new URL("../../static/newsmap/boot.js", import.meta.url), "utf8");

/** Run boot.js as the script whose address is `src`; what it added to the page's head. */
function boot(src) {
    const added = [], errors = [];
    const context = vm.createContext({
        URL,
        console: { error: (m) => errors.push(m) },
        document: {
            currentScript: { src },
            baseURI: "http://127.0.0.1:8501/",
            createElement: (tag) => ({ tag }),
            head: { appendChild: (node) => added.push(node) },
        },
    });
    vm.runInContext(BOOT, context, { filename: "boot.js" });
    return { added, errors };
}

test("boot.js asks for every asset at once: scripts to run in order, stylesheets as links", () => {
    const load = ["/app/static/vendor/leaflet.js", "/app/static/newsmap/core.js", "/app/static/a%2Cb.js",
        "/app/static/vendor/leaflet.css"].join(",");
    const { added, errors } = boot(`/app/static/newsmap/boot.js?load=${encodeURIComponent(load)}`);
    assert.deepEqual(
        added.map((n) => [n.tag, n.src || n.href, n.async, n.rel]),
        [
            ["script", "/app/static/vendor/leaflet.js", false, undefined],
            ["script", "/app/static/newsmap/core.js", false, undefined],
            ["script", "/app/static/a%2Cb.js", false, undefined],
            ["link", "/app/static/vendor/leaflet.css", undefined, "stylesheet"],
        ],
    );
    added[0].onerror();
    assert.deepEqual(errors, ["newsmap: could not load /app/static/vendor/leaflet.js"]);
});

test("boot.js without a load parameter adds nothing", () => {
    assert.deepEqual(boot("/app/static/newsmap/boot.js").added, []);
});
