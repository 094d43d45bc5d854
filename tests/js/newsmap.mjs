// Loads static/newsmap scripts into a fresh V8 context, as a page's <script> tags would, with a
// tiny global shim (`window` is the context itself, `L` a recorder of what Leaflet is asked to
// open); no browser, no Leaflet, no DOM.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const STATIC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "static", "newsmap");

/**
 * Run `files` (names in static/newsmap/) in order; return the `Newsmap` namespace and the `L`
 * shim, whose `popups` lists the HTML of every popup opened.
 */
export function loadNewsmap(...files) {
    const context = vm.createContext({});
    context.window = context;
    const L = { popups: [] };
    L.popup = () => {
        const popup = {
            setLatLng: () => popup,
            setContent: (html) => { L.popups.push(html); return popup; },
            openOn: () => popup,
        };
        return popup;
    };
    context.L = L;
    for (const name of files) {
        vm.runInContext(readFileSync(join(STATIC, name), "utf8"), context, { filename: name });
    }
    return { Newsmap: context.Newsmap, L };
}

/**
 * An Engine over `data` without Leaflet: the constructor's drawing step (`_build`) is skipped.
 * With `map`, the engine gets that map and one fake layer per place (see `flatMap`).
 */
export function countingEngine(Newsmap, data, map = null) {
    const { Engine } = Newsmap;
    const build = Engine.prototype._build;
    Engine.prototype._build = () => {};
    let engine;
    try {
        engine = new Engine(map, data, {});
    } finally {
        Engine.prototype._build = build;
    }
    if (map) {
        engine.pinRadius = new Float64Array(engine.np).fill(6);
        engine.layers = data.places.map((p) => fakeLayer(latLng(p[2], p[3])));
    }
    return engine;
}

function latLng(lat, lng) {
    return { lat, lng, equals: (o) => o.lat === lat && o.lng === lng };
}

function fakeLayer(home) {
    let at = home;
    return { nmHome: home, getLatLng: () => at, setLatLng: (v) => { at = v; } };
}

/** A map whose container pixels are degrees: x = longitude, y = latitude (north down ignored). */
export function flatMap() {
    return {
        latLngToContainerPoint: (ll) => ({ x: ll.lng, y: ll.lat }),
        containerPointToLatLng: ([x, y]) => latLng(y, x),
        getSize: () => ({ x: 800, y: 600 }),
    };
}
