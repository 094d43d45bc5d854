// Loads static/newsmap scripts into a fresh V8 context, as a page's <script> tags would, with a
// tiny global shim (`window` is the context itself, `L` a recorder of what Leaflet is asked to
// open); no browser, no Leaflet, no DOM.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const STATIC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "static", "newsmap");

/**
 * Run `files` (names in static/newsmap/) in order; return the `Newsmap` namespace, the `L`
 * shim, whose `popups` lists the HTML of every popup opened, and the context (to add shims).
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
    return { Newsmap: context.Newsmap, L, context };
}

/**
 * Run core.js, the engine's pure helpers and its constructor (engine.js), then the engine
 * `modules` given (names in static/newsmap/, e.g. "engine-filter.js"), in that order.
 */
export function loadEngine(...modules) {
    return loadNewsmap("core.js", "engine-geometry.js", "engine.js", ...modules);
}

/**
 * Four events over four days, in the shape of lib/map/engine.py engine_data(): E0 a clash at
 * Alpha (no claimant, article a1); E1 an attack at Beta (Taliban, a2, contested); E2 a denial
 * at Gamma (NRF, a2, contested); E3 an attack at Alpha and Beta (Taliban, a1 and a2: two rows).
 */
export const DATA = {
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
