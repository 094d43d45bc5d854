/*
 * The app's reader UI as a Streamlit custom component (st.components.v2, ui/reader.py): the
 * place panel and the events table, drawn in the app page by the functions the reader edition
 * uses (panel.js), from the map's own data (the engine in the streamlit-folium iframe, same
 * origin) and, for the panel, the chosen place's data from Python (lib/map/panel.py
 * place_data), sent once per place and data version. Newsmap.components.reader, loaded after
 * core.js, params.js and panel.js through the loader static/newsmap/mount.js (ui/assets.py).
 *
 * Python's data: {role: "panel", place, key, panel}, {role: "table"} or {role: "shot", page}
 * (the link to Screenshot mode, which follows the view).
 *   place  the chosen place's id ("" for none); key: "<data stamp>:<place>"
 *   panel  its place_data, or null when this session was sent it already (kept here, by key)
 * A panel without its data asks for it again: trigger "need".
 *
 * The view arrives as window events "newsmap:view" ({view, settled}) from the timeline
 * (component.js), which keeps the newest in window.newsmapView. A place chosen here (the list,
 * a place in the table, the panel's close button) is sent as "newsmap:select" ({place}) for the
 * timeline to pass to Python, as a click on the map is.
 */
(function (root) {
"use strict";
const Newsmap = root.Newsmap || (root.Newsmap = {});
const STATE = "__newsmapReader";
const PANELS = (window.__newsmapPanels = window.__newsmapPanels || {});

/** The map's engine data, once the map iframe has drawn (null before). */
function mapData() {
    for (const frame of document.querySelectorAll("iframe")) {
        let engine = null;
        try { engine = frame.contentWindow && frame.contentWindow.newsmapEngine; } catch (_e) { engine = null; }
        if (engine && engine.D) { return engine.D; }
    }
    return null;
}

function currentView(D) {
    const v = window.newsmapView;
    return v && typeof v.end === "number" ? v : { mode: "cumulative", start: 0, end: D.ndays - 1, types: [], claimants: [], articles: [] };
}

function select(place) {
    window.dispatchEvent(new CustomEvent("newsmap:select", { detail: { place } }));
}

/** Links to the Articles page carry the view (lib/map/links.py articles_href: the map's
 *  article filter travels as map_article), so its "back to the map" returns to it. */
function articleHref(s) {
    return (article, place, at) => {
        const view = new URLSearchParams(Newsmap.writeParams(currentView(s.D), s.D));
        const params = new URLSearchParams({ article });
        const where = place || s.data.place;
        if (where) { params.set("place", where); }
        ["to", "from", "mode", "type", "claimant"].forEach((k) => { if (view.get(k)) { params.set(k, view.get(k)); } });
        if (view.get("article")) { params.set("map_article", view.get("article")); }
        return "./Articles?" + params.toString() + (at !== undefined && at !== null ? "#m" + at : "");
    };
}

/** The places of the map for the keyboard's route to a panel, with their counts in view. */
function chooser(D, view, chosen) {
    const esc = window.Newsmap.esc;
    const found = window.Newsmap.eventsInView(D, view), counts = {};
    for (const e of found.events) {
        for (const p of found.places[e]) { counts[p] = (counts[p] || 0) + 1; }
    }
    const order = D.places.map((_p, i) => i).sort((a, b) => D.places[a][1].localeCompare(D.places[b][1]));
    const known = order.some((i) => D.places[i][0] === chosen);
    return "<label class='nm-chooser'>Sources for a place (or click the map) <select name='place'>" +
        "<option value=''>Choose a place…</option>" +
        (chosen && !known ? "<option value='" + esc(chosen) + "' selected>" + esc(chosen) + "</option>" : "") +
        order.map((i) => "<option value='" + esc(D.places[i][0]) + "'" + (D.places[i][0] === chosen ? " selected" : "") + ">" +
            esc(D.places[i][1] + " (" + window.Newsmap.plural(counts[i] || 0, "event") + " shown)") + "</option>").join("") +
        "</select></label>";
}

function drawPanel(s) {
    const D = s.D, N = window.Newsmap, view = currentView(D), place = s.data.place;
    const data = place ? PANELS[s.data.key] : null;
    let body;
    if (!place) {
        body = "<p class='nm-hint' role='status'>Click a place on the map (or Tab to its label and press Enter), " +
            "or choose one above, to read the events there and every passage in the reporting that names it.</p>";
    } else if (!data) {
        body = "<p class='nme-meta' role='status'>Loading…</p>";
    } else {
        body = N.placePanel(data, view, D, { articleHref: articleHref(s) });
    }
    if (!s.parts) {   // the list, a status line for screen readers (kept: a live region), the panel
        s.box.innerHTML = "<div></div><p class='nm-status' role='status'></p><div class='nm-place'></div>";
        s.parts = { list: s.box.children[0], status: s.box.children[1], panel: s.box.children[2] };
    }
    // The list of places keeps the keyboard's focus when the panel redraws around it.
    const active = s.box.getRootNode().activeElement;
    const refocus = !!active && s.parts.list.contains(active);
    s.parts.list.innerHTML = chooser(D, view, place);
    if (refocus) { s.parts.list.querySelector("select").focus(); }
    s.parts.panel.innerHTML = body;
    // Said once per change, not the whole panel on every settle: "Shotul: 7 events here (...)".
    const head = data ? s.parts.panel.querySelector(".nme-place-head p:last-child") : null;
    const said = head ? data.name + ": " + head.textContent : "";
    if (s.parts.status.textContent !== said) { s.parts.status.textContent = said; }
    s.box.dataset.place = place || "";
    s.box.dataset.drawn = data || !place ? "yes" : "";
    // On a phone the panel is below the map: bring a place chosen there into view.
    if (data && s.shownPlace !== undefined && s.shownPlace !== place && window.innerWidth <= 640) {
        s.box.querySelector(".nme-place-head").scrollIntoView({ block: "start" });
    }
    if (data || !place) { s.shownPlace = place; }
}

function drawTable(s) {
    clearTimeout(s.timer);
    s.box.innerHTML = window.Newsmap.eventsTable(s.D, currentView(s.D), { more: ", or download them as CSV" });
    s.box.dataset.drawn = "yes";
}

const CAMERA = "<svg aria-hidden='true' width='18' height='18' viewBox='0 0 24 24'><path fill='currentColor' " +
    "d='M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 " +
    "5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z'/></svg>";

/** The link to Screenshot mode, showing the view the timeline shows now. */
function drawShot(s) {
    const href = s.data.page + "?" + Newsmap.writeParams(currentView(s.D), s.D);
    let link = s.box.querySelector("a");
    if (!link) {
        s.box.innerHTML = "<a class='nm-shot' target='_self' title='This view as a clean picture for an article or a post: " +
            "title, dates, legend and credits, in social and article sizes; download it as PNG or HTML.'>" + CAMERA +
            "<span>Screenshot mode</span></a>";
        link = s.box.querySelector("a");
    }
    link.setAttribute("href", href);
    s.box.dataset.drawn = "yes";
}

function draw(s) {
    if (!s.D) { return; }
    if (s.data.role === "panel") { drawPanel(s); }
    else if (s.data.role === "shot") { drawShot(s); }
    else { drawTable(s); }
}

(Newsmap.components = Newsmap.components || {}).reader = function (component) {
    const { data, parentElement } = component;
    let s = parentElement[STATE];
    if (!s) {
        s = parentElement[STATE] = { D: null, timer: null };
        s.box = document.createElement("div");
        s.box.className = "nme nm-reader nm-reader-" + data.role;
        parentElement.appendChild(s.box);
        s.box.addEventListener("click", (ev) => {
            const button = ev.target.closest ? ev.target.closest("button") : null;
            if (!button) { return; }
            if (button.dataset.close === "place") { select(""); }
            else if (button.dataset.place) { select(button.dataset.place); }
        });
        s.box.addEventListener("change", (ev) => {
            if (ev.target.name === "place") { select(ev.target.value); }
        });
        window.addEventListener("newsmap:view", (ev) => {
            if (!s.D) { return; }
            if (s.data.role === "shot") { drawShot(s); return; }
            if (s.data.role === "table" && !ev.detail.settled) {   // while dragging: once it rests
                clearTimeout(s.timer);
                s.timer = setTimeout(() => drawTable(s), 150);
            } else if (ev.detail.settled) { draw(s); }
        });
        // The map is drawn after this page's components: wait for its engine.
        const look = () => {
            s.D = mapData();
            if (s.D) { draw(s); window.removeEventListener("message", onReady); return; }
            s.poll = setTimeout(look, 250);
        };
        const onReady = (ev) => {
            if (ev.origin === window.location.origin && ev.data && ev.data.newsmap === "ready") {
                clearTimeout(s.poll);
                look();
            }
        };
        window.addEventListener("message", onReady);
        setTimeout(look, 0);
    }
    s.api = component;
    s.data = data;
    if (data.role === "panel" && data.place) {
        if (data.panel) { PANELS[data.key] = data.panel; }
        else if (!PANELS[data.key]) { component.setTriggerValue("need", data.key); }
    }
    draw(s);
};
})(window);
