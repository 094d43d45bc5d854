/*
 * The timeline as a Streamlit custom component (st.components.v2), in the app page itself:
 * Newsmap.components.timeline, loaded after core.js and timeline.js by ui/timeline.py through
 * the loader static/newsmap/mount.js (ui/assets.py).
 *
 * Per input event it posts the view to the map iframe (static/newsmap/bridge.js), which
 * restyles without any server round trip. When the scrub settles it sets the component's
 * state "view" ({mode, start, end} as ISO days): Python reruns only the fragment that holds
 * the panel, the table and the permalink. A place picked on the map arrives as the trigger
 * "select". Python's data: {timeline: config, filters: {types, claimants, articles}, place}.
 *
 * The map comes first: the chart's bars wait for the map's first paint ("ready"), and that
 * paint is the trigger "painted", on which Python draws the rest of the page (the filters, the
 * place panel, the table, the downloads). A map that never says it painted still gets them,
 * PAINT_WAIT_MS after the control appeared.
 *
 * Each view shown is also a window event "newsmap:view" ({view, settled}) for the panel and
 * the table drawn in this page (reader.js); a place they choose comes back as "newsmap:select"
 * ({place}, "" for none) and goes to Python as the map's clicks do.
 */
(function (root) {
"use strict";
const Newsmap = root.Newsmap || (root.Newsmap = {});
const STATE = "__newsmapTimeline";
const PAINT_WAIT_MS = 4000;

function mapWindows() {
    // The streamlit-folium iframe(s) of this page: same origin, so postMessage reaches them.
    return Array.from(document.querySelectorAll("iframe"))
        .map((f) => f.contentWindow)
        .filter((w) => w);
}

function mapPainted() {
    return mapWindows().some((w) => {
        try { return !!(w.newsmapState && w.newsmapState.painted > 0); } catch (_e) { return false; }
    });
}

(Newsmap.components = Newsmap.components || {}).timeline = function (component) {
    const { parentElement } = component;
    let data = component.data;
    const before = parentElement[STATE];
    if (data.timeline.partial) {
        // A settle's rerun sends only the dates: the days and the chart are those kept here.
        if (!before || !before.config) { component.setTriggerValue("need", true); return; }
        data = Object.assign({}, data, { timeline: Object.assign({}, before.config, data.timeline) });
        delete data.timeline.partial;
    }
    let s = parentElement[STATE];
    if (!s) {
        s = parentElement[STATE] = { api: component };
        const host = document.createElement("div");
        parentElement.appendChild(host);
        s.full = (v) => Object.assign({}, v, s.data.filters, { place: s.data.place, first: s.data.timeline.first });
        s.send = (v, settled) => {
            const view = s.full(v);
            window.dispatchEvent(new CustomEvent("newsmap:view", { detail: { view, settled: !!settled } }));
            mapWindows().forEach((w) => {
                // Same origin: call the map's engine in this very task, so the markers change
                // in the frame that handles the input (a message would wait for the next task,
                // after this frame is drawn). postMessage while the map is still loading.
                let engine = null;
                try { engine = w.newsmapEngine; } catch (_e) { engine = null; }
                if (engine && typeof engine.setView === "function") { engine.setView(view); }
                else { w.postMessage({ newsmap: "view", view }, window.location.origin); }
            });
        };
        s.painted = () => {
            clearTimeout(s.paintTimer);
            s.timeline.showChart();
            if (!s.saidPainted) { s.saidPainted = true; s.api.setTriggerValue("painted", true); }
        };
        s.timeline = new window.Newsmap.Timeline(host, data.timeline, {
            holdChart: !mapPainted(),
            onInput: (v) => s.send(v),
            onSettle: (v) => {
                s.send(v, true);
                const iso = (off) => window.Newsmap.isoDay(s.data.timeline.first, off);
                s.api.setStateValue("view", { mode: v.mode, start: iso(v.start), end: iso(v.end) });
            },
        });
        s.timeline.fullView = s.full;
        s.onMessage = (ev) => {
            if (ev.origin !== window.location.origin || !ev.data || !ev.data.newsmap) { return; }
            const m = ev.data;
            if (m.newsmap === "ready") { s.send(s.timeline.view); s.painted(); }
            else if (m.newsmap === "counts") { s.timeline.setCounts(m); }
            else if (m.newsmap === "select" && typeof m.place === "string") {
                s.api.setTriggerValue("select", m.place);
            }
        };
        window.addEventListener("message", s.onMessage);
        window.addEventListener("newsmap:select", (ev) => {
            const place = ev.detail && ev.detail.place;
            if (typeof place === "string") { s.api.setTriggerValue("select", place); }
        });
        s.data = data;
        if (mapPainted()) { s.painted(); } else { s.paintTimer = setTimeout(s.painted, PAINT_WAIT_MS); }
    } else {
        s.data = data;
        s.timeline.update(data.timeline);
    }
    s.config = data.timeline;
    s.api = component;
    s.send(s.timeline.view, true);
};
})(window);
