/*
 * The reader edition (lib/edition/publish.py): the app's engine and timeline on a page of
 * static files, with the place panel, the article reader, the events table and the view in
 * the address bar.
 *
 * Data files are scripts calling Newsmap.receive(key, data) (fetch() is refused on file://):
 * "engine" (the first paint) arrives with the page, "manifest" just after; a place's file and
 * an article's file are loaded when a reader opens them. Every string reaches HTML through
 * Newsmap.esc (in panel.js and here).
 *
 * Test hooks: window.newsmapEdition = {ready, engine, timeline, map, view(), openPlace(id),
 * openArticle(id, at), loaded: {key: data}}.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var esc = Newsmap.esc, doc = root.document;
    var store = {}, waiting = {};
    var app = null;

    Newsmap.receive = function (key, data) {
        store[key] = data;
        var callbacks = waiting[key] || [];
        delete waiting[key];
        callbacks.forEach(function (fn) { fn(data); });
        if (key === "engine") { start(data); }
        if (key === "manifest" && app) { app.manifest(data); }
    };

    /** Load a data file once; ``done(data)`` when it has arrived, ``failed()`` if it cannot. */
    function load(key, src, done, failed) {
        if (key in store) { done(store[key]); return; }
        var first = !waiting[key];
        (waiting[key] = waiting[key] || []).push(done);
        if (!first) { return; }
        var script = doc.createElement("script");
        script.src = src;
        script.async = true;
        script.onerror = function () { delete waiting[key]; if (failed) { failed(); } };
        doc.body.appendChild(script);
    }

    function byId(id) { return doc.getElementById(id); }

    /** ``table[key]`` if the table has it itself: "__proto__" or "constructor" from a link
     * must not find Object's own properties. */
    function own(table, key) {
        return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
    }

    function note(text) {
        var box = byId("nme-notes"), p = doc.createElement("p");
        p.className = "nme-note";
        p.setAttribute("role", "note");
        p.textContent = text;
        box.appendChild(p);
    }

    function start(D) {
        var manifest = null, placeIds = D.places.map(function (p) { return p[0]; });
        var parsed = Newsmap.readParams(root.location.search, D, placeIds);
        var pendingPlace = null;
        var search = new URLSearchParams(root.location.search);
        if (search.get("place") && !parsed.view.place) {
            // Maybe a place with passages but no event: known once the manifest is here.
            pendingPlace = search.get("place");
            parsed.notes = parsed.notes.filter(function (n) { return n.indexOf("'place=") !== 0; });
        }
        parsed.notes.forEach(note);
        var view = parsed.view, reading = null, openedBy = null;

        var map = L.map("nme-map", {zoomSnap: 0.25, fadeAnimation: false, maxZoom: 14, minZoom: 4,
            attributionControl: true, keyboard: true});
        map.attributionControl.setPrefix(false);
        var bounds = D.fit ? L.latLngBounds(D.fit) : L.latLngBounds(D.places.map(function (p) { return [p[2], p[3]]; }));
        if (bounds.isValid()) {
            map.fitBounds(bounds, {padding: [24, 24], maxZoom: D.fitMaxZoom || 11, animate: false});
        } else {
            map.setView([35.3, 69.6], 8);
        }
        Newsmap.baseMap(map, {labels: [], legend: null});

        var timeline = null;
        var engine = new Newsmap.Engine(map, D, {
            popups: false,   // the panel beside the map holds what a popup would, and more
            onSelect: function (id) { openPlace(id, true); },
            onCounts: function (c) { if (timeline) { timeline.setCounts(c); } }
        });
        function full() {
            var v = timeline ? timeline.view : view;
            return {mode: v.mode, start: v.mode === "window" ? v.start : 0, end: v.end, types: view.types,
                claimants: view.claimants, articles: view.articles, place: view.place};
        }
        function config() {
            return {first: D.first, ndays: D.ndays, mode: view.mode, start: view.start, end: view.end,
                firstEventDay: D.firstEventDay || 0, types: D.types, colours: D.colours,
                typeLabels: D.typeLabels, perDay: Newsmap.perDay(D, view), label: "Show events up to"};
        }
        timeline = new Newsmap.Timeline(byId("nme-timeline"), config(), {
            onInput: function () { show(); tableSoon(); },
            onSettle: function () { settle(); }
        });
        timeline.fullView = full;

        function show() {
            var v = full();
            view.mode = v.mode; view.start = v.start; view.end = v.end;
            engine.setView(v);
        }
        function writeUrl(push) {
            var query = Newsmap.writeParams(full(), D, reading ? {read: reading.id, at: reading.at} : null);
            try {
                root.history[push ? "pushState" : "replaceState"]({edition: true}, "", "?" + query + root.location.hash);
            } catch (_e) { /* some file:// pages refuse a new address: the view still works */ }
        }
        function settle() {
            show();
            table();
            if (view.place) { renderPlace(); }
            writeUrl(false);
        }

        // --- filters and window mode ---------------------------------------------------------
        function buildFilters() {
            var filters = byId("nme-filters");
            var present = {};
            for (var r = 0; r < D.rows.t.length; r++) { present[D.rows.t[r]] = true; }
            function checks(name, legend, values, labels, chosen) {
                return "<fieldset class='nme-checks'><legend>" + esc(legend) + "</legend>" + values.map(function (v, i) {
                    return "<label><input type='checkbox' name='" + esc(name) + "' value='" + esc(v) + "'" +
                        (chosen.indexOf(v) >= 0 ? " checked" : "") + "> " + esc(labels[i]) + "</label>";
                }).join("") + "</fieldset>";
            }
            var types = D.types.filter(function (_t, k) { return present[k]; });
            var typeLabels = types.map(function (t) { return D.typeLabels[D.types.indexOf(t)]; });
            filters.innerHTML = "<details class='nme-filters'><summary>Filters and window</summary>" +
                "<label class='nme-window'><input type='checkbox' name='window'" + (view.mode === "window" ? " checked" : "") +
                "> Show a window of days (two handles) instead of everything up to a day</label>" +
                checks("type", "Event types (none ticked: all)", types, typeLabels, view.types) +
                checks("claimant", "Claimants (none ticked: all)", D.claimants, D.claimants, view.claimants) +
                "<label class='nme-article-filter'>Events citing the article <select name='article'>" +
                "<option value=''>any article</option>" + D.articles.map(function (a) {
                    return "<option value='" + esc(a) + "'" + (view.articles.length === 1 && view.articles[0] === a ? " selected" : "") +
                        ">" + esc((D.articleLabels || {})[a] || a) + "</option>";
                }).join("") + (view.articles.length > 1 ? "<option value='*' selected>" +
                    esc(Newsmap.plural(view.articles.length, "article") + " (from the link)") + "</option>" : "") +
                "</select></label></details>";
            if (view.types.length || view.claimants.length || view.articles.length || view.mode === "window") {
                filters.querySelector("details").open = true;
            }
            filters.addEventListener("change", function (ev) {
                var input = ev.target;
                if (input.name === "window") {
                    var v = full();
                    view.mode = input.checked ? "window" : "cumulative";
                    view.start = input.checked ? 0 : 0;
                    view.end = v.end;
                } else if (input.name === "type" || input.name === "claimant") {
                    var picked = [].slice.call(filters.querySelectorAll("input[name='" + input.name + "']:checked"))
                        .map(function (i) { return i.value; });
                    view[input.name === "type" ? "types" : "claimants"] = picked;
                    var v2 = full();
                    view.start = v2.start; view.end = v2.end;
                } else if (input.name === "article") {
                    if (input.value !== "*") { view.articles = input.value ? [input.value] : []; }
                    var v3 = full();
                    view.start = v3.start; view.end = v3.end;
                }
                timeline.update(config());
                settle();
            });
        }

        // --- the events table (panel.js draws it, as in the app) ----------------------------
        var tableTimer = null;
        function tableSoon() {
            clearTimeout(tableTimer);
            tableTimer = setTimeout(table, 150);
        }
        function table() {
            clearTimeout(tableTimer);
            byId("nme-table").innerHTML = Newsmap.eventsTable(D, full());
        }

        // --- the place panel ---------------------------------------------------------------
        var panel = byId("nme-panel");
        function panelIntro() {
            panel.innerHTML = "<h2>Places</h2><p class='nme-meta'>Click, tap or press Enter on a place on the map " +
                "(Tab to a label; arrow keys move between places) for its events and every passage naming it.</p>";
        }
        function renderPlace() {
            var id = view.place;
            if (!id) { panelIntro(); return; }
            var key = "place:" + id;
            if (!(key in store)) { return; }
            panel.innerHTML = Newsmap.placePanel(store[key], full(), D);
            var said = store[key].name + ": " + panel.querySelector(".nme-place-head p:last-child").textContent;
            var status = byId("nme-status");
            if (status && status.textContent !== said) { status.textContent = said; }
        }
        function openPlace(id, byReader) {
            view.place = id;
            engine.setView(full());
            writeUrl(false);
            var key = "place:" + id;
            if (!(key in store)) {
                panel.innerHTML = "<h2>" + esc(placeName(id)) + "</h2><p class='nme-meta' role='status'>Loading…</p>";
            }
            var go = function () {
                var file = manifest && own(manifest.places, id);
                if (!file && !(key in store)) { note("'place=" + id + "' is not a known place; ignored"); return; }
                load(key, file, function () {
                    if (view.place !== id) { return; }
                    renderPlace();
                    if (byReader && root.matchMedia && root.matchMedia("(max-width: 899px)").matches) {
                        panel.scrollIntoView({block: "start"});
                    }
                }, function () { panel.innerHTML = "<p class='nme-note'>This place's file could not be loaded.</p>"; });
            };
            if (manifest || key in store) { go(); } else { whenManifest(go); }
        }
        function placeName(id) {
            var i = placeIds.indexOf(id);
            return i >= 0 ? D.places[i][1] : (manifest && own(manifest.placeNames, id)) || id;
        }
        function closePlace() {
            view.place = null;
            engine.setView(full());
            panelIntro();
            writeUrl(false);
        }

        // --- the article reader ------------------------------------------------------------
        var reader = byId("nme-reader"), main = byId("nme-main");
        function openArticle(id, at, push, opener) {
            var go = function () {
                var file = own(manifest.articles, id);
                if (!file) { note("'read=" + id + "' is not an article of this edition; ignored"); return; }
                load("article:" + id, file, function (article) {
                    reading = {id: id, at: at};
                    openedBy = opener || null;
                    reader.innerHTML = Newsmap.articleReader(article, at);
                    reader.hidden = false;
                    main.hidden = true;
                    doc.body.classList.add("nme-reading");
                    writeUrl(push);
                    var target = at !== null && at !== undefined ? doc.getElementById("m" + at) : null;
                    reader.querySelector("h2").focus({preventScroll: true});
                    if (target) { target.scrollIntoView({block: "center"}); } else { root.scrollTo(0, 0); }
                }, function () { note("The article could not be loaded."); });
            };
            if (manifest) { go(); } else { whenManifest(go); }
        }
        function closeReader(fromHistory) {
            if (!reading) { return; }
            reading = null;
            reader.hidden = true;
            reader.innerHTML = "";
            main.hidden = false;
            doc.body.classList.remove("nme-reading");
            map.invalidateSize(false);
            engine.setView(full());
            if (!fromHistory) { writeUrl(false); }
            var back = openedBy && doc.body.contains(openedBy) ? openedBy : panel;
            back.focus({preventScroll: false});
        }
        var pushed = false;
        doc.addEventListener("click", function (ev) {
            var button = ev.target.closest ? ev.target.closest("button") : null;
            if (!button) { return; }
            if (button.dataset.close === "reader") {
                if (pushed) { pushed = false; root.history.back(); } else { closeReader(false); }
            } else if (button.dataset.close === "place") {
                closePlace();
            } else if (button.dataset.article) {
                var at = button.dataset.at ? +button.dataset.at : null;
                if (button.dataset.place && button.dataset.place !== view.place) { view.place = button.dataset.place; }
                pushed = true;
                openArticle(button.dataset.article, at, true, button);
            } else if (button.dataset.place && button.classList.contains("nme-link")) {   // not the map's own labels
                openPlace(button.dataset.place, true);
            }
        });
        root.addEventListener("popstate", function () {
            var params = new URLSearchParams(root.location.search);
            if (!params.get("read")) { pushed = false; closeReader(true); }
        });
        doc.addEventListener("keydown", function (ev) {
            if (ev.key === "Escape" && reading) { closeReader(false); }
        });

        // --- the manifest: place and article files, publication, corrections ------------------
        var manifestWaiters = [];
        function whenManifest(fn) { if (manifest) { fn(); } else { manifestWaiters.push(fn); } }
        app = {
            manifest: function (m) {
                manifest = m;
                footer(m);
                if (m.outlines) { load("outlines", m.outlines, outlines); }
                if (pendingPlace) {
                    if (own(m.places, pendingPlace)) { view.place = pendingPlace; openPlace(pendingPlace, false); } else {
                        note("'place=" + pendingPlace + "' is not a known place; ignored");
                    }
                    pendingPlace = null;
                }
                manifestWaiters.splice(0).forEach(function (fn) { fn(); });
            }
        };
        function longTime(d) {
            if (Number.isNaN(d.getTime())) { return "(time unknown)"; }
            var iso = d.toISOString();
            return Newsmap.longDay(iso.slice(0, 10)) + " " + iso.slice(11, 16) + " UTC";
        }
        function footer(m) {
            var items = (m.corrections || []).map(function (c) {
                return "<li><b>Updated " + esc(longTime(new Date(c.time))) + "</b>: " + esc(c.text) +
                    (c.notes.length ? "<br><span class='nme-meta'>Editor's note: " + esc(c.notes.join(" · ")) + "</span>" : "") + "</li>";
            });
            byId("nme-foot").innerHTML = "<h2>Corrections</h2>" + (items.length ? "<ol class='nme-corrections'>" + items.join("") + "</ol>" :
                "<p class='nme-meta'>No corrections since this edition was first published.</p>") +
                "<p class='nme-meta'>Claims are shown as claimed; figures are unverified. Outlines: geoBoundaries (public domain).</p>";
        }
        function outlines(o) {
            L.geoJSON(o.geojson, {interactive: false, style: function () {
                return {color: "#7a7a7a", weight: 1, fillColor: "#f4efe4", fillOpacity: 0.55};
            }}).addTo(map).bringToBack();
            o.labels.forEach(function (l) {
                L.marker([l[1], l[2]], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: "province-label", html: esc(l[0]), iconSize: null})}).addTo(map);
            });
        }

        panelIntro();
        show();
        writeUrl(false);
        // The rest once the map is painted: the first paint waits for nothing else. Then the
        // manifest (where each place's and article's file is).
        var meta = doc.querySelector("meta[name='nm-manifest']");
        root.requestAnimationFrame(function () {
            setTimeout(function () {
                buildFilters();
                table();
                if (view.place) { openPlace(view.place, false); }
                if (parsed.read) { openArticle(parsed.read, parsed.at, false, null); }
                if (meta) { load("manifest", meta.getAttribute("content"), function () {}, function () { note("This edition's list of places and articles could not be loaded."); }); }
            }, 0);
        });
        root.newsmapEdition = {ready: true, engine: engine, timeline: timeline, map: map, loaded: store,
            view: full, openPlace: openPlace, openArticle: function (id, at) { pushed = true; openArticle(id, at, true); }};
    }
})(window);
