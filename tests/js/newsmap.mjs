// Loads static/newsmap scripts into a fresh V8 context, as a page's <script> tags would, with a
// tiny global shim (`window` is the context itself); no browser, no Leaflet, no DOM.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const STATIC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "static", "newsmap");

/** The `Newsmap` namespace after running `files` (names in static/newsmap/) in order. */
export function loadNewsmap(...files) {
    const context = vm.createContext({});
    context.window = context;
    for (const name of files) {
        vm.runInContext(readFileSync(join(STATIC, name), "utf8"), context, { filename: name });
    }
    return context.Newsmap;
}

/**
 * An Engine over `data` without a map: the counting, filtering and view arithmetic only.
 * The constructor's drawing step (`_build`, which needs Leaflet) is skipped for this engine.
 */
export function countingEngine(Newsmap, data) {
    const { Engine } = Newsmap;
    const build = Engine.prototype._build;
    Engine.prototype._build = () => {};
    try {
        return new Engine(null, data, {});
    } finally {
        Engine.prototype._build = build;
    }
}
