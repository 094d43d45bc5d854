/*
 * The time engine: every place of the story drawn once, restyled for each view.
 *
 * One engine serves the live dashboard (inside streamlit-folium's map iframe, driven by the
 * timeline control through postMessage) and the standalone HTML export (same document as its
 * timeline). Python sends the data once, compactly (lib/engine.py: engine_data); a view
 * (dates, filters, selected place) only changes styles, counts and labels:
 *
 *   var engine = new Newsmap.Engine(map, data, {onSelect: fn(placeId), onCounts: fn(counts)});
 *   engine.setView({start: 3, end: 20, types: [...], claimants: [...], articles: [...],
 *                   place: "shotul"});   // start/end: day offsets from data.first
 *
 * What a reader sees for a view:
 * - one marker per place with events in view: a pin (exact place, town) or a circle as wide as
 *   the gazetteer's uncertainty (district, valley, province); colour = most frequent type;
 * - a label "place · count" (⚑ if contested) that is a button: click or Enter selects exactly
 *   that place, by id. Labels never overlap: lower-priority ones shorten to the count, then
 *   hide. Arrow keys move between places; the focused place always keeps its label;
 * - pins that share (or nearly share) a point are spread on a small ring, so each is reachable;
 * - places outside the view get a chip at the map's edge with direction and distance;
 * - a popup with the newest events (built here, escaped here: esc() is the only way data
 *   reaches HTML in this file);
 * - a legend that folds (on small maps, or when it would cover a marker);
 * - a text alternative (a live region) that says what the map shows.
 *
 * Test and benchmark hooks: window.newsmapState = {step, view, events, places, painted}.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var esc = Newsmap.esc, plural = Newsmap.plural, dateCaption = Newsmap.dateCaption,
        countCaption = Newsmap.countCaption;

    function lowerBound(arr, value) {
        var lo = 0, hi = arr.length;
        while (lo < hi) {
            var mid = (lo + hi) >> 1;
            if (arr[mid] < value) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }

    function haversineKm(lat1, lon1, lat2, lon2) {
        var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
        var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
            Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 6371.0088 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }
    var ARROWS = ["→", "↗", "↑", "↖", "←", "↙", "↓", "↘"];
    /** During a drag or Play, the most often that labels are ranked and placed anew (ms). */
    var FULL_LAYOUT_MS = 100;
    /**
     * Most pins spread on one ring. A bigger cluster stays where the gazetteer puts it: spread
     * on a ring, 50 pins moved up to 280 px from their places (off the map for some), which
     * draws a false geography; a reader zooms in to tell them apart.
     */
    var SPREAD_MAX = 8;
    /**
     * An area wider than this (m, radius) is country-wide: drawn as an outline with no fill.
     * Filled, even faintly, Afghanistan's 449 km circle tinted the whole map, live and in
     * every picture, in the colour of its events.
     */
    var WIDE_M = 150000;
    /** A pin's smallest radius (px) under a finger: 24 px across, WCAG 2.5.8's minimum. */
    var PIN_MIN_TOUCH = 12;
    Newsmap.WIDE_M = WIDE_M;

    function overlaps(a, b) {
        return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }

    /**
     * Boxes placed so far, bucketed on a grid so that a check costs the same at 2,000 labels.
     * Cells are numbered (no strings built): thousands of candidate boxes are checked per step.
     */
    function BoxIndex(cell) {
        this.cell = cell;
        this.grid = new Map();
        this.all = [];
    }
    BoxIndex.prototype.each = function (b, fn) {
        var c = this.cell, x1 = Math.floor((b.x + b.w) / c), y1 = Math.floor((b.y + b.h) / c);
        for (var gx = Math.floor(b.x / c); gx <= x1; gx++) {
            for (var gy = Math.floor(b.y / c); gy <= y1; gy++) {
                if (fn((gx + 1024) * 4096 + gy + 1024)) { return true; }
            }
        }
        return false;
    };
    /** Whether ``b`` overlaps a box here, other than one whose ``pin`` is ``except``. */
    BoxIndex.prototype.hits = function (b, except) {
        var grid = this.grid;
        return this.each(b, function (key) {
            var bucket = grid.get(key);
            if (!bucket) { return false; }
            for (var j = 0; j < bucket.length; j++) {
                if ((except === undefined || bucket[j].pin !== except) && overlaps(b, bucket[j])) { return true; }
            }
            return false;
        });
    };
    BoxIndex.prototype.add = function (b) {
        var grid = this.grid;
        this.each(b, function (key) {
            var bucket = grid.get(key);
            if (bucket) { bucket.push(b); } else { grid.set(key, [b]); }
            return false;
        });
        this.all.push(b);
    };

    /**
     * @param {L.Map} map
     * @param {object} data  lib/engine.py engine_data()
     * @param {object} options  onSelect(placeId), onCounts(counts), popups (default true),
     *     labelLimit (most labels drawn at once), legend (default true)
     */
    function Engine(map, data, options) {
        this.map = map;
        this.D = data;
        this.opt = options || {};
        this.step = 0;
        this.view = null;
        var D = data, np = D.places.length, nt = D.types.length, ne = D.events.x.length;
        this.np = np;
        this.nt = nt;
        this.count = new Int32Array(np);
        this.typeCount = new Int32Array(np * nt);
        this.contested = new Int32Array(np);
        this.newest = new Int32Array(np);      // row index of the newest event per place in view
        this.seen = new Uint32Array(ne);
        this.stamp = 0;
        this.rows = {
            d: Int32Array.from(D.rows.d), p: Int32Array.from(D.rows.p),
            t: Int32Array.from(D.rows.t), c: Int32Array.from(D.rows.c),
            e: Int32Array.from(D.rows.e)
        };
        this.evContested = Uint8Array.from(D.events.x);
        this.filterKey = null;
        this.typeOk = new Uint8Array(nt + 1);
        this.claimOk = new Uint8Array(D.claimants.length + 1);
        this.eventOk = null;                   // per event, when an article filter is set
        this.placeIndex = {};
        for (var i = 0; i < np; i++) { this.placeIndex[D.places[i][0]] = i; }
        this.shown = new Array(np);            // last drawn style key per place
        this.labelled = {};                    // placeId -> label marker
        this.focusId = null;
        this.selectedId = null;
        this.userLegend = null;                // the reader opened or closed the legend
        this._build();
    }
    Newsmap.Engine = Engine;

    Engine.prototype._build = function () {
        var self = this, map = this.map, D = this.D;
        // A finger, not a mouse: every target at least 24 px (WCAG 2.5.8); labels and chips
        // take their height from engine.css, pins their radius from PIN_MIN_TOUCH.
        // The same test as engine.css: a touch pointer, or a map as narrow as a phone.
        this.touch = !!(root.matchMedia && root.matchMedia("(pointer: coarse), (max-width: 640px)").matches);
        var container = map.getContainer();
        container.classList.add("nm-map");
        this.layers = new Array(this.np);
        this.pinRadius = new Float64Array(this.np);
        for (var i = 0; i < this.np; i++) {
            var p = D.places[i], latlng = L.latLng(p[2], p[3]), layer;
            if (p[4]) {
                layer = L.circleMarker(latlng, {radius: 7, weight: 2, color: "#fff", fillOpacity: 0.95,
                    bubblingMouseEvents: false, className: "nm-pin"});
            } else {
                // Small areas are clickable like pins; a large one (a province, the country) is
                // not, or a click anywhere in it would select it: its label is the handle.
                layer = L.circle(latlng, {radius: p[5], weight: p[5] > WIDE_M ? 1.5 : 2,
                    fill: p[5] <= WIDE_M, fillOpacity: this._areaOpacity(p[5]), interactive: p[5] <= 25000,
                    bubblingMouseEvents: false, className: "nm-area"});
            }
            layer.nmIndex = i;
            layer.nmHome = latlng;
            layer.on("click", function (ev) { self._clicked(ev.target.nmIndex, ev); });
            if (!p[4] && p[5] > 25000 && !this.opt.still) {
                // A large area is clicked on its circle: an invisible band along the outline
                // (a touch target's width on a phone), never inside it.
                layer.nmHit = L.circle(latlng, {radius: p[5], weight: this.touch ? 24 : 12, opacity: 0,
                    fill: false, bubblingMouseEvents: false, className: "nm-hit"});
                layer.nmHit.nmIndex = i;
                layer.nmHit.on("click", function (ev) { self._clicked(ev.target.nmIndex, ev); });
            }
            this.layers[i] = layer;
        }
        this.group = L.featureGroup().addTo(map);
        if (!this.opt.still) { this._resetControl(); }
        // Edge chips and the text alternative live above the map panes, below the popups.
        this.edgeBox = L.DomUtil.create("div", "nm-edges", container);
        this.alt = L.DomUtil.create("div", "nm-sr", container);
        this.alt.setAttribute("role", "status");
        this.alt.setAttribute("aria-live", "polite");
        this.measure = L.DomUtil.create("span", "nm-label nm-measure", container);
        this.measure.setAttribute("aria-hidden", "true");
        this.widths = {};
        if (this.opt.legend !== false) { this._legend(); }
        map.on("zoom move resize viewreset", function () { self._homes = null; });
        map.on("zoomend moveend resize", function () { self._layout(); });
        if (root.ResizeObserver) {
            // The container's size can change without a window resize (styles arriving late,
            // a flex layout settling, the app's column resizing): keep Leaflet's size true.
            new root.ResizeObserver(function () {
                var size = map.getSize();
                if (size.x !== container.clientWidth || size.y !== container.clientHeight) { map.invalidateSize(false); }
            }).observe(container);
        }
        if (root.ResizeObserver) {
            // Controls measured before leaflet.css arrived sit elsewhere: measure them again
            // when a corner changes size, or chips and labels go under the zoom buttons.
            var corners = new root.ResizeObserver(function () {
                self._controls = null;
                if (self.view) { self._layout(); }
            });
            container.querySelectorAll(".leaflet-control-container > div").forEach(function (c) { corners.observe(c); });
        }
        if (document.fonts && document.fonts.ready) {
            // Web fonts arriving late change every label's width: measure again.
            document.fonts.ready.then(function () { self.widths = {}; self._h = 0; self._ctx = undefined; self._layout(); });
        }
        this._popupPane();
        map.on("click", function () { self._deselectFocus(); });
        if (L.Browser.mobile && map.dragging && this.opt.cooperative !== false && !this.opt.still) {
            // On a phone a one-finger swipe scrolls the page past the map; a tap on the map (or
            // two fingers) lets the reader pan and zoom it.
            map.dragging.disable();
            container.classList.add("nm-coop");
            map.on("click", function () { if (!map.dragging.enabled()) { map.dragging.enable(); container.classList.remove("nm-coop"); } });
        }
        // A page that already describes its map (an export's alt text) keeps that description.
        var how = "Tab to a place label, arrow keys move between places, Enter opens its sources";
        var given = container.getAttribute("aria-label");
        container.setAttribute("aria-label", given ? given + " " + how + "." :
            (D.title ? D.title + ": " : "") + "map of the events; " + how);
    };

    /**
     * A button under the zoom buttons that brings back the view the map opened with (centre
     * and zoom), closing any popup: after a drag, a zoom or an edge chip, one press home.
     */
    Engine.prototype._resetControl = function () {
        var map = this.map, home = null;
        var control = L.control({position: "topleft"});
        control.onAdd = function () {
            var bar = L.DomUtil.create("div", "leaflet-bar nm-reset");
            var button = L.DomUtil.create("button", "", bar);
            button.type = "button";
            button.title = "Reset the map view";
            button.setAttribute("aria-label", "Reset the map view");
            button.innerHTML = "<svg viewBox='0 0 16 16' width='16' height='16' aria-hidden='true' focusable='false'>" +
                "<path d='M3.2 6.5A5 5 0 1 1 3 9.5' fill='none' stroke='currentColor' stroke-width='1.8'/>" +
                "<path d='M1.2 3.2 3.4 7.2 7.1 4.8Z' fill='currentColor'/></svg>";
            L.DomEvent.disableClickPropagation(bar);
            L.DomEvent.on(button, "click", function () {
                map.closePopup();
                if (home) { map.setView(home.center, home.zoom, {animate: false}); }
            });
            return bar;
        };
        control.addTo(map);
        // The view the map opened with: read once Leaflet has one (folium sets it first).
        var remember = function () { if (!home) { home = {center: map.getCenter(), zoom: map.getZoom()}; } };
        try { remember(); } catch (_e) { map.whenReady(remember); }
    };

    /**
     * Popups open in a pane of their own above the labels, the edge chips and the controls.
     * Labels and chips are overlays of the map's container (z-index 650), above Leaflet's
     * whole map pane (400), so a popup in Leaflet's popup pane was under every label and
     * chip near it, whatever z-index it had inside that pane. This pane is a child of the
     * container that follows the map pane's position, so a popup placed in layer pixels
     * still sits on its place while the map is dragged.
     */
    Engine.prototype._popupPane = function () {
        var map = this.map, top = L.DomUtil.create("div", "nm-popup-layer", map.getContainer());
        map.createPane("nmPopupPane", top);
        var follow = function () { L.DomUtil.setPosition(top, map.layerPointToContainerPoint([0, 0])); };
        map.on("move zoom viewreset zoomend moveend resize", follow);
        follow();
        this.popupLayer = top;
    };

    Engine.prototype._areaOpacity = function (radiusM) {
        var km = radiusM / 1000;
        return km <= 20 ? 0.22 : (km <= 60 ? 0.12 : 0.05);
    };

    /**
     * The legend's entries as <li> HTML: ``types`` for the event types given (indices into
     * data.types, all when omitted), ``keys`` for how places are drawn. The live map's
     * legend and the picture page's header both use them.
     */
    Newsmap.legendItems = function (D, typeIndices) {
        var shown = typeIndices || D.types.map(function (t, i) { return i; });
        return {
            types: shown.map(function (i) {
                return "<li data-type='" + esc(D.types[i]) + "'><i style='background:" + esc(D.colours[i]) + "'></i>" +
                    esc(D.typeLabels[i]) + "</li>";
            }).join(""),
            keys: "<li class='key'><i class='pin'></i>exact place, town</li>" +
                "<li class='key'><i class='area'></i>area (circle = uncertainty)</li>" +
                (D.places.some(function (p) { return !p[4] && p[5] > WIDE_M; })
                    ? "<li class='key'><i class='wide'></i>country-wide (outline only)</li>" : "") +
                "<li class='key'><i class='dashed'></i>contested claims ⚑</li>" +
                "<li class='key'>label: place · events</li>"
        };
    };

    Engine.prototype._legend = function () {
        var self = this, D = this.D;
        // Top right: at the bottom, the legend of a map taller than the space left under the
        // page's header was below the first screen (at 1440x900).
        var control = L.control({position: "topright"});
        control.onAdd = function () {
            var box = L.DomUtil.create("details", "nm-legend");
            var items = Newsmap.legendItems(D);
            box.innerHTML = "<summary>Legend</summary><div class='nm-legend-body'>" +
                "<b>Main event type at a place</b><ul class='cols types'>" + items.types + "</ul><ul class='cols'>" +
                items.keys + "</ul></div>";
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            box.addEventListener("toggle", function () {
                if (!self._legendBySelf) { self.userLegend = box.open; }
                self._legendBySelf = false;
                self._controls = null;
            });
            self.legendBox = box;
            return box;
        };
        control.addTo(this.map);
        // The map is often measured before its frame has its size (a few px wide): decide
        // again when it is resized, until the reader opens or closes the legend.
        this.map.on("resize", function () {
            var size = self.map.getSize();
            self._foldLegend(size.x < 480 || size.y < 420);
        });
        // Open on the first screen of a laptop (the map is 580 px wide beside the panel at
        // 1440x900), folded on a phone; it folds anyway where it would cover a place.
        this._foldLegend(this.map.getSize().x < 480 || this.map.getSize().y < 420);
    };

    Engine.prototype._foldLegend = function (fold) {
        if (!this.legendBox || this.userLegend !== null) { return; }
        if (this.legendBox.open === !fold) { return; }
        this._legendBySelf = true;
        this.legendBox.open = !fold;
        this._controls = null;
    };

    /** Which events pass the non-date filters: recomputed only when the filters change. */
    Engine.prototype._filters = function (view) {
        var D = this.D, key = JSON.stringify([view.types || [], view.claimants || [], view.articles || []]);
        if (key === this.filterKey) { return; }
        this.filterKey = key;
        var i, types = view.types || [], claimants = view.claimants || [], articles = view.articles || [];
        this.typeOk.fill(types.length ? 0 : 1);
        types.forEach(function (t) { var k = D.types.indexOf(t); if (k >= 0) { this.typeOk[k] = 1; } }, this);
        this.claimOk.fill(claimants.length ? 0 : 1);
        claimants.forEach(function (c) { var k = D.claimants.indexOf(c); if (k >= 0) { this.claimOk[k] = 1; } }, this);
        if (!claimants.length) { this.claimOk[D.claimants.length] = 1; }   // no claimant (-1)
        this.eventOk = null;
        if (articles.length) {
            var wanted = {}, ok = new Uint8Array(D.events.x.length), off = D.events.ao, idx = D.events.ai;
            articles.forEach(function (a) { var k = D.articles.indexOf(a); if (k >= 0) { wanted[k] = 1; } });
            for (i = 0; i < ok.length; i++) {
                for (var j = off[i]; j < off[i + 1]; j++) { if (wanted[idx[j]]) { ok[i] = 1; break; } }
            }
            this.eventOk = ok;
        }
    };

    /** Counts for a view: per place, per place and type; distinct events. Pure arithmetic. */
    Engine.prototype._count = function (view) {
        var R = this.rows, nt = this.nt, D = this.D;
        this._filters(view);
        this.count.fill(0);
        this.typeCount.fill(0);
        this.contested.fill(0);
        this.newest.fill(-1);
        this.stamp += 1;
        if (this.stamp > 4e9) { this.seen.fill(0); this.stamp = 1; }
        var start = view.mode === "window" ? view.start : 0;
        var lo = lowerBound(R.d, start), hi = lowerBound(R.d, view.end + 1);
        var typeOk = this.typeOk, claimOk = this.claimOk, eventOk = this.eventOk, nc = D.claimants.length;
        var events = 0, places = 0;
        for (var i = lo; i < hi; i++) {
            var t = R.t[i], c = R.c[i], e = R.e[i];
            if (!typeOk[t] || !claimOk[c < 0 ? nc : c] || (eventOk && !eventOk[e])) { continue; }
            var p = R.p[i];
            if (this.count[p] === 0) { places += 1; }
            this.count[p] += 1;
            this.typeCount[p * nt + t] += 1;
            this.contested[p] += this.evContested[e];
            this.newest[p] = i;                // rows are in day order: the last is the newest
            if (this.seen[e] !== this.stamp) { this.seen[e] = this.stamp; events += 1; }
        }
        return {events: events, places: places, lo: lo, hi: hi};
    };

    Engine.prototype._mainType = function (p) {
        var best = 0, n = -1, base = p * this.nt;
        for (var t = 0; t < this.nt; t++) {
            if (this.typeCount[base + t] > n) { n = this.typeCount[base + t]; best = t; }
        }
        return best;
    };

    /**
     * The counts of a view ({events, places}) without drawing it; ``count`` and friends then
     * hold that view's numbers until the next call or ``setView``.
     */
    Engine.prototype.countView = function (view) {
        return this._count(this._normalise(view));
    };

    /** A view with its defaults filled in, moved to this data's first day, and clamped. */
    Engine.prototype._normalise = function (view) {
        view = Object.assign({mode: "cumulative", start: 0, end: this.D.ndays - 1}, view);
        if (view.first && view.first !== this.D.first) {
            // A view counted from another first day (the data changed under the page).
            var shift = Newsmap.dayDiff(this.D.first, view.first);
            view = Object.assign({}, view, {start: view.start + shift, end: view.end + shift, first: this.D.first});
        }
        view.end = Math.max(0, Math.min(this.D.ndays - 1, view.end | 0));
        view.start = Math.max(0, Math.min(view.end, view.start | 0));
        return view;
    };

    /** Show a view: restyle what changed, count, lay labels out, report. */
    Engine.prototype.setView = function (view) {
        var t0 = performance.now();
        view = this._normalise(view);
        this.view = view;
        var counts = this._count(view);
        this.counts = counts;
        var D = this.D;
        for (var i = 0; i < this.np; i++) {
            var n = this.count[i], layer = this.layers[i], p = D.places[i];
            if (n === 0) {
                if (this.shown[i]) {
                    this.group.removeLayer(layer);
                    if (layer.nmHit) { this.group.removeLayer(layer.nmHit); }
                    this.shown[i] = null;
                }
                continue;
            }
            var type = this._mainType(i), contested = this.contested[i] > 0;
            var style = type + (contested ? "c" : ""), key = style + (p[4] ? ":" + n : "");
            if (this.shown[i] === key) { continue; }
            var colour = D.colours[type];
            if (p[4]) {
                var r = Math.max(this.touch ? PIN_MIN_TOUCH : 0, Math.round(Math.min(16, 6 + 2 * Math.sqrt(n)) * 10) / 10);
                this.pinRadius[i] = r;
                if (layer.getRadius() !== r) { layer.setRadius(r); }
                // Most steps change a pin's count only: its colour and border stay.
                if (this.shown[i] && this.shown[i].split(":")[0] === style) {
                    this.shown[i] = key;
                    continue;
                }
                layer.setStyle({fillColor: colour, color: contested ? "#b00" : "#fff",
                    weight: contested ? 3 : 2, dashArray: contested ? "4 3" : null});
            } else {
                layer.setStyle({fillColor: colour, color: contested ? "#b00" : colour,
                    dashArray: contested ? "8 5" : null});
            }
            if (!this.shown[i]) {
                this.group.addLayer(layer);
                // Under every other marker: a pin on the outline stays clickable.
                if (layer.nmHit) { this.group.addLayer(layer.nmHit); layer.nmHit.bringToBack(); }
            }
            this.shown[i] = key;
        }
        this.selectedId = view.place || null;
        this._labelStep();
        this.step += 1;
        var ms = performance.now() - t0;
        var state = {step: this.step, view: view, events: counts.events, places: counts.places,
            computeMs: ms, painted: 0};
        root.newsmapState = state;
        if (root.requestAnimationFrame) {
            root.requestAnimationFrame(function () { state.painted = performance.now(); });
        }
        this._describe();
        if (this.opt.onCounts) { this.opt.onCounts({events: counts.events, places: counts.places, view: view}); }
        return counts;
    };

    /** The text alternative, said once the view has settled for a moment (not per frame). */
    /**
     * Labels for a new view. A full layout (ranking, placing every label, edge chips) costs
     * several milliseconds with hundreds of places; during a drag or Play it runs at most
     * every FULL_LAYOUT_MS, and the steps between only update the labels in place
     * (``_relabel``). A trailing full layout follows the last step, so the map always ends
     * fully laid out; a single change (a click, a key press after a pause) is laid out at once.
     */
    Engine.prototype._labelStep = function () {
        var now = performance.now(), self = this;
        if (this.opt.still) { this._layout(true); return; }   // a picture: every frame whole
        if (this._lastFull !== undefined && now - this._lastFull < FULL_LAYOUT_MS && this._relabel()) {
            if (!this._fullTimer) {
                this._fullTimer = setTimeout(function () {
                    self._fullTimer = null;
                    self._lastFull = performance.now();
                    self._layout(true);
                }, Math.max(0, FULL_LAYOUT_MS - (now - this._lastFull)));
            }
            return;
        }
        clearTimeout(this._fullTimer);
        this._fullTimer = null;
        this._lastFull = now;
        this._layout(true);
    };

    Engine.prototype._describe = function () {
        var self = this;
        clearTimeout(this._describeTimer);
        this._describeTimer = setTimeout(function () {
            var D = self.D, top = [];
            for (var i = 0; i < self.np; i++) { if (self.count[i]) { top.push(i); } }
            top.sort(function (a, b) { return self.count[b] - self.count[a] || a - b; });
            var names = top.slice(0, 3).map(function (i) { return D.places[i][1] + " (" + self.count[i] + ")"; });
            self.alt.textContent = dateCaption(D.first, self.view) + ": " + countCaption(self.counts) +
                (names.length ? ". Most events: " + names.join(", ") + "." : ".") +
                " The table below the map lists every event.";
        }, 400);
    };

    Engine.prototype._label = function (i, short) {
        var D = this.D, n = this.count[i], flag = this.contested[i] ? " ⚑" : "";
        return short ? n + flag : D.places[i][1] + " · " + n + flag;
    };

    /** Whether engine.css applies yet: streamlit-folium adds stylesheets after the scripts,
     * and a label measured before that is measured in the wrong font. */
    Engine.prototype._styled = function () {
        if (this._cssReady) { return true; }
        this._cssReady = root.getComputedStyle(this.measure).position === "absolute";
        if (!this._cssReady && !this._cssWait) {
            var self = this;
            this._cssWait = setInterval(function () {
                if (root.getComputedStyle(self.measure).position === "absolute") {
                    clearInterval(self._cssWait);
                    self._cssReady = true;
                    self.widths = {};
                    self._ctx = undefined;
                    self._h = 0;
                    self._layout();
                }
            }, 50);
        }
        return this._cssReady;
    };

    /**
     * Width of a label (px, border box) with this text. Measured on a canvas in the label's
     * font: measuring a DOM element forces the browser to lay out the page, and with a new
     * count on hundreds of labels per step that was most of a drag frame (23 of 40 ms at
     * 10,000 events). Calibrated once against the DOM and rounded up, so a label is never
     * wider than the box it was placed in. A contested label ("⚑") has a 2 px border, not 1.
     */
    Engine.prototype._width = function (text) {
        var w = this.widths[text];
        if (w !== undefined) { return w; }
        var ctx = this._styled() ? this._textContext() : null;
        if (ctx) {
            w = Math.ceil(ctx.measureText(text).width + this._padX) + (text.indexOf("⚑") >= 0 ? 2 : 0);
        } else {
            this.measure.textContent = text;
            w = this.measure.offsetWidth;
        }
        if (this._cssReady) { this.widths[text] = w; }
        return w;
    };

    /** A canvas context in the labels' font, with the padding and border to add (or null). */
    Engine.prototype._textContext = function () {
        if (this._ctx !== undefined) { return this._ctx; }
        var canvas = document.createElement("canvas"), ctx = canvas.getContext && canvas.getContext("2d");
        if (!ctx) { this._ctx = null; return null; }
        var cs = root.getComputedStyle(this.measure);
        ctx.font = cs.fontStyle + " " + cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
        this._padX = ["paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth"]
            .reduce(function (sum, k) { return sum + (parseFloat(cs[k]) || 0); }, 0);
        // Calibrate on a sample: whatever the DOM adds beyond the canvas (rounding, shaping).
        var sample = "Jabal os Saraj · 128 ⚑";
        this.measure.textContent = sample;
        var dom = this.measure.getBoundingClientRect().width;
        this._padX += Math.max(0, dom - (ctx.measureText(sample).width + this._padX));
        this._ctx = ctx;
        return ctx;
    };

    /**
     * Spread pins that sit on (nearly) the same pixel, place every label without overlap,
     * and put chips at the edge for places outside the view. Runs per view and per zoom/pan.
     */
    Engine.prototype._layout = function (viewOnly) {
        if (!this.view) { return; }
        var map = this.map, D = this.D, size = map.getSize(), self = this;
        var visible = [];
        for (var i = 0; i < this.np; i++) { if (this.count[i]) { visible.push(i); } }
        this._spread(visible);
        var pad = 4, frame = {x: pad, y: pad, w: size.x - 2 * pad, h: size.y - 2 * pad};
        var bounds = map.getBounds(), inView = [], outside = [];
        visible.forEach(function (i) { (self._inFrame(i, bounds) ? inView : outside).push(i); });
        var boxes = new BoxIndex(64);
        // Obstacles first: the controls in the map's corners and the edge chips.
        var controls = this._controlBoxes(viewOnly === true);
        controls.forEach(function (b) { boxes.add(b); });
        if (viewOnly !== true) { this._clearControls(controls); }
        // Pins are obstacles for labels and chips, so neither hides another place's marker.
        var pinBoxes = {};
        inView.forEach(function (i) {
            if (!D.places[i][4]) { return; }
            var c = map.latLngToContainerPoint(self.layers[i].getLatLng()), r = self.pinRadius[i] + 1;
            pinBoxes[i] = {x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r, pin: i};
        });
        var pinIndex = new BoxIndex(64);
        Object.keys(pinBoxes).forEach(function (k) { pinIndex.add(pinBoxes[k]); });
        this._edges(outside, boxes, size, this.opt.still ? null : pinIndex);
        // Priority: the focused place, the selected one, then most events, pins before areas.
        var focus = this.focusId !== null ? this.placeIndex[this.focusId] : -1;
        var selected = this.selectedId !== null && this.placeIndex[this.selectedId] !== undefined
            ? this.placeIndex[this.selectedId] : -1;
        inView.sort(function (a, b) {
            return (b === focus) - (a === focus) || (b === selected) - (a === selected) ||
                self.count[b] - self.count[a] || D.places[b][4] - D.places[a][4] || a - b;
        });
        var limit = this.opt.labelLimit || 400, placed = {}, h = 0;
        // On the live map a label never hides another place's pin (each stays clickable). A
        // picture is only read: where a dense map leaves no free spot, a label may lie over
        // other pins (never over its own, another label or the edge chips), or a map of
        // 2,000 places would name two of them.
        var strict = function (b, i) { return pinIndex.hits(b, i); };
        var loose = function (b, i) { return !!pinBoxes[i] && overlaps(pinBoxes[i], b); };
        var keepOff = this.opt.still ? [strict, loose] : [strict];
        var inFrame = function (b) {
            return b.x >= frame.x && b.y >= frame.y && b.x + b.w <= frame.x + frame.w &&
                b.y + b.h <= frame.y + frame.h;
        };
        inView.forEach(function (i, rank) {
            if (rank >= limit) { return; }
            var anchor = self._anchor(i, size), chosen = i === focus || i === selected;
            h = h || self._h || self._height();
            var full = [self._label(i, false), false], short = [self._label(i, true), true];
            // The place a reader chose always shows its name: farther spots first, then (only
            // for it) over another pin, before its label shortens to the count.
            var order = chosen
                ? [[full, strict], [full, loose], [short, strict], [short, loose]]
                : keepOff.reduce(function (out, hitsPin) { return out.concat([[full, hitsPin], [short, hitsPin]]); }, []);
            order.some(function (o) {
                var t = o[0], hitsPin = o[1];
                var b = self._candidates(i, anchor, self._width(t[0]), h, chosen).find(function (c) {
                    return inFrame(c) && !boxes.hits(c) && !hitsPin(c, i);
                });
                if (!b) { return false; }
                boxes.add(b);
                placed[i] = {box: b, text: t[0], short: t[1]};
                return true;
            });
        });
        this._drawLabels(placed);
        this._tabStop();
        var legend = controls.filter(function (b) { return b.legend; })[0];
        if (legend && this.userLegend === null && this.legendBox.open) {
            // Fold the legend if it covers any marker or label.
            var lb = legend;
            var covers = boxes.all.some(function (b) { return !b.control && overlaps(lb, b); }) ||
                pinIndex.all.some(function (b) { return overlaps(lb, b); });
            if (covers) { this._foldLegend(true); }
        }
        root.newsmapLabelsSettled = true;
    };


    Engine.prototype._height = function () {
        this.measure.textContent = "Ag";
        // Rounded up, as widths are: a label 25.2 px high placed 25 px below another overlapped it.
        var h = Math.ceil(this.measure.getBoundingClientRect().height) || 18;
        if (this._styled()) { this._h = h; }
        return h;
    };

    Engine.prototype._rel = function (rect) {
        var c = this.map.getContainer().getBoundingClientRect();
        return {x: rect.left - c.left, y: rect.top - c.top, w: rect.width, h: rect.height};
    };

    /**
     * Boxes of the map's controls (zoom, scale bar, legend), measured only when the map itself
     * changed (size, zoom, pan, the legend folding): a view change moves no control, and a
     * measurement after restyling the markers would force a layout of the page per step.
     */
    Engine.prototype._controlBoxes = function (viewOnly) {
        if (viewOnly && this._controls) { return this._controls; }
        var out = [];
        var nodes = this.map.getContainer().querySelectorAll(".leaflet-control");
        for (var i = 0; i < nodes.length; i++) {
            if (nodes[i].offsetWidth === 0) { continue; }
            var b = this._rel(nodes[i].getBoundingClientRect());
            b.control = true;
            b.legend = nodes[i] === this.legendBox;
            out.push(b);
        }
        this._controls = out;
        return out;
    };

    /** Province names under a control (the scale bar, the zoom buttons) are not drawn. */
    Engine.prototype._clearControls = function (controls) {
        var names = this.map.getContainer().querySelectorAll(".province-label");
        for (var k = 0; k < names.length; k++) {
            var r = this._rel(names[k].getBoundingClientRect());
            var under = controls.some(function (c) { return overlaps(c, r); });
            names[k].style.visibility = under ? "hidden" : "";
        }
    };

    /**
     * Whether place i is in the frame: its pin, or its area's centre. An area whose circle
     * only reaches into the view (a neighbouring country, the whole country around the
     * valley) is named by a chip at the edge, with its direction and distance: labelled in a
     * corner it often found no room, and a picture counted "12 places" and named 10.
     */
    Engine.prototype._inFrame = function (i, bounds) {
        return bounds.contains(this.layers[i].getLatLng());
    };

    /**
     * A pin's home (its gazetteer point) in container pixels. Cached until the map moves,
     * zooms or resizes: a date change moves no point, and converting hundreds of them per
     * drag step was a sixth of the step.
     */
    Engine.prototype._homePoint = function (i) {
        if (!this._homes) { this._homes = {}; }
        return this._homes[i] || (this._homes[i] = this.map.latLngToContainerPoint(this.layers[i].nmHome));
    };

    /** Where a label hangs: right of a pin; on the top edge of an area, kept inside the frame. */
    Engine.prototype._anchor = function (i, size) {
        var map = this.map, p = this.D.places[i], layer = this.layers[i];
        var c = map.latLngToContainerPoint(layer.getLatLng());
        if (p[4]) { return {x: c.x, y: c.y, r: this.pinRadius[i], pin: true}; }
        var top = map.latLngToContainerPoint(L.latLng(layer.getLatLng().lat + p[5] / 111320, layer.getLatLng().lng));
        var rpx = c.y - top.y;
        var y = top.y;
        if (y < 24) { y = Math.min(c.y + rpx - 24, 24); }   // top edge off-screen: inside the top
        var x = Math.max(24, Math.min(size.x - 24, c.x));
        return {x: x, y: y, r: 0, pin: false, cy: c.y, rpx: rpx, width: size.x};
    };

    /**
     * Spots for a label of w x h px around anchor ``a``, best first. ``far`` (the place the
     * reader chose) adds spots farther out, so that its name finds room in a crowded valley.
     */
    Engine.prototype._candidates = function (i, a, w, h, far) {
        var out;
        if (a.pin) {
            var g = a.r + 3;
            out = [
                {x: a.x + g, y: a.y - h / 2, w: w, h: h, side: "r"},
                {x: a.x - g - w, y: a.y - h / 2, w: w, h: h, side: "l"},
                {x: a.x - w / 2, y: a.y - g - h, w: w, h: h, side: "t"},
                {x: a.x - w / 2, y: a.y + g, w: w, h: h, side: "b"},
                {x: a.x + g * 0.7, y: a.y - g * 0.7 - h, w: w, h: h, side: "tr"},
                {x: a.x + g * 0.7, y: a.y + g * 0.7, w: w, h: h, side: "br"}
            ];
            if (far) {
                out.push({x: a.x - w / 2, y: a.y - g - 2 * h - 2, w: w, h: h, side: "t2"},
                    {x: a.x - w / 2, y: a.y + g + h + 2, w: w, h: h, side: "b2"},
                    {x: a.x - g * 0.7 - w, y: a.y - g * 0.7 - h, w: w, h: h, side: "tl"},
                    {x: a.x - g * 0.7 - w, y: a.y + g * 0.7, w: w, h: h, side: "bl"});
            }
            return out;
        }
        // Centred on the anchor, but kept inside the frame: an area near the map's edge (a
        // country's circle) had no candidate inside it, so its label never showed and the
        // arrow keys could not reach it. Then along the top edge to either side, where a pin
        // or another label sits on the centre (the busiest district was shown as "7 ⚑").
        var clamp = function (x) { return Math.max(4, Math.min(a.width - 4 - w, x)); };
        var x = clamp(a.x - w / 2);
        out = [{x: x, y: a.y - h / 2, w: w, h: h, side: "t"}];
        if (a.rpx > h * 2) {
            out.push({x: x, y: a.cy + a.rpx - h / 2, w: w, h: h, side: "b"});
            out.push({x: x, y: a.y + h, w: w, h: h, side: "t2"});
        }
        out.push({x: clamp(a.x + 4), y: a.y - h / 2, w: w, h: h, side: "tr"},
            {x: clamp(a.x - w - 4), y: a.y - h / 2, w: w, h: h, side: "tl"});
        if (far) {
            // Rows above and below the edge, sliding sideways: an area that fills the view
            // (a country) hangs its label in a corner, where the zoom buttons may sit.
            [-1.5, 2, 4].forEach(function (rows) {
                out.push({x: x, y: a.y - h / 2 + rows * (h + 2), w: w, h: h, side: "row"});
            });
            [-1.5, 0, 2, 4].forEach(function (rows) {
                for (var k = 1; k <= 3; k++) {
                    [1, -1].forEach(function (dir) {
                        out.push({x: clamp(x + dir * k * (w + 8)), y: a.y - h / 2 + rows * (h + 2),
                            w: w, h: h, side: "slide"});
                    });
                }
            });
        }
        return out;
    };

    Engine.prototype._drawLabels = function (placed) {
        var self = this;
        Object.keys(this.labelled).forEach(function (id) {
            var i = self.placeIndex[id];
            if (!placed[i]) { self._hideLabel(id); }
        });
        Object.keys(placed).forEach(function (k) { self._paintLabel(+k, placed[k]); });
        this.placedLabels = placed;
        this._laidSelected = this.selectedId;
        this._ring();
    };

    Engine.prototype._hideLabel = function (id) {
        var m = this.labelled[id];
        if (!m || !m.on || (document.activeElement && m.el.contains(document.activeElement))) { return; }
        m.el.style.display = "none";
        m.on = false;
    };

    /** Draw place i's label at spot {box, text, short}. Only what changed is written. */
    Engine.prototype._paintLabel = function (i, spot) {
        var D = this.D, id = D.places[i][0], m = this.labelled[id];
        if (!m) { m = this.labelled[id] = this._makeLabel(i); }
        var el = m.el;
        if (m.text !== spot.text) {
            el.textContent = spot.text;
            m.text = spot.text;
        }
        var cls = "nm-label" + (D.places[i][4] ? "" : " area") + (this.contested[i] ? " contested" : "") +
            (spot.short ? " short" : "") + (id === this.selectedId ? " selected" : "");
        if (el.className !== cls) { el.className = cls; }
        var name = spot.text + ": " + D.places[i][1] + ", " + plural(this.count[i], "event") +
            (this.contested[i] ? ", " + this.contested[i] + " contested" : "") +
            (D.places[i][4] ? "" : ", an area");
        if (m.name !== name) { el.setAttribute("aria-label", name); m.name = name; }
        var pressed = id === this.selectedId ? "true" : "false";
        if (m.pressed !== pressed) { el.setAttribute("aria-pressed", pressed); m.pressed = pressed; }
        if (!m.on) { el.style.display = ""; }
        var at = "translate(" + Math.round(spot.box.x) + "px," + Math.round(spot.box.y) + "px)";
        if (m.at !== at) { el.style.transform = at; m.at = at; }
        m.on = true;
    };

    /**
     * The fast path of a drag step: the labels already placed take their new counts where the
     * new text fits in the box they were given (a shorter text always does), and a place
     * whose events left the view loses its label. No label moves, so none can come to
     * overlap another. Returns false (and changes nothing) when that is not enough: a label
     * that would grow, or a new selection; then the caller lays everything out again.
     */
    Engine.prototype._relabel = function () {
        var placed = this.placedLabels, updates = [];
        if (!placed || this.selectedId !== this._laidSelected) { return false; }
        for (var k in placed) {
            var i = +k;
            if (!this.count[i]) { updates.push([i, null]); continue; }
            var text = this._label(i, placed[k].short);
            if (text !== placed[k].text && this._width(text) > placed[k].box.w) { return false; }
            updates.push([i, text]);
        }
        for (var u = 0; u < updates.length; u++) {
            var j = updates[u][0], spot = placed[j];
            if (updates[u][1] === null) {
                this._hideLabel(this.D.places[j][0]);
                delete placed[j];
            } else {
                spot.text = updates[u][1];
                this._paintLabel(j, spot);
            }
        }
        return true;
    };

    Engine.prototype._makeLabel = function (i) {
        var self = this, id = this.D.places[i][0];
        var el = L.DomUtil.create("button", "nm-label", this._labelPane());
        el.type = "button";
        el.dataset.place = id;
        L.DomEvent.disableClickPropagation(el);
        el.addEventListener("click", function (ev) { self._clicked(self.placeIndex[id], ev, el); });
        el.addEventListener("keydown", function (ev) { self._key(ev, id); });
        el.addEventListener("focus", function () { self.focusId = id; self._tabStop(el); });
        el.tabIndex = -1;
        return {el: el, text: null, on: false};
    };

    /** Labels sit in one overlay the size of the map, positioned in container pixels. */
    Engine.prototype._labelPane = function () {
        if (!this.labelPane) {
            this.labelPane = L.DomUtil.create("div", "nm-labels", this.map.getContainer());
            L.DomEvent.disableScrollPropagation(this.labelPane);
            var self = this;
            // During a zoom animation the labels would float: hide them until it ends.
            this.map.on("zoomstart", function () { self.labelPane.style.visibility = "hidden"; });
            this.map.on("zoomend", function () { self.labelPane.style.visibility = ""; });
            this.map.on("move", function () { if (!self._moving) { self._moving = true; self._shift(); } });
        }
        return this.labelPane;
    };

    /** While the reader drags the map, move the label overlay with it; re-lay out on moveend. */
    Engine.prototype._shift = function () {
        var self = this;
        var origin = this.map.containerPointToLatLng([0, 0]);
        var start = this._moveOrigin || (this._moveOrigin = {at: origin});
        var step = function () {
            if (!self._moving) { return; }
            var now = self.map.latLngToContainerPoint(start.at);
            self.labelPane.style.transform = "translate(" + now.x + "px," + now.y + "px)";
            root.requestAnimationFrame(step);
        };
        this.map.once("moveend", function () {
            self._moving = false;
            self._moveOrigin = null;
            self.labelPane.style.transform = "";
        });
        root.requestAnimationFrame(step);
    };

    Engine.prototype._key = function (ev, id) {
        var keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
        if (ev.key === "Escape") { ev.target.blur(); this.map.getContainer().focus({preventScroll: true}); return; }
        if (!(ev.key in keys)) { return; }
        ev.preventDefault();
        ev.stopPropagation();
        // Only what is on screen (a label or an edge chip): a key onto a place with no room
        // for its label used to pan there, and the map swung to the middle of the country.
        var order = this._keyOrder(), at = order.indexOf(this.placeIndex[id]);
        if (!order.length) { return; }
        var next = order[(Math.max(at, 0) + keys[ev.key] + order.length) % order.length];
        var el = this._shownEl(this.D.places[next][0]);
        this._tabStop(el);
        el.focus({preventScroll: true});
    };

    /** The label or edge chip that shows place ``id`` now, or null. */
    Engine.prototype._shownEl = function (id) {
        var m = this.labelled[id], chip = this.edgeChips && this.edgeChips[id];
        if (m && m.on) { return m.el; }
        return chip && chip.style.display !== "none" ? chip : null;
    };

    /**
     * One label or chip is in the page's Tab order (a roving tabindex), the arrow keys move
     * between the others: after Escape, Tab leaves the map in a few presses rather than one
     * per place (15 on the shipped data).
     */
    Engine.prototype._tabStop = function (el) {
        var pick = el || (this._stop && this._stop.isConnected && this._stop.style.display !== "none" && this._stop);
        if (!pick) {
            var order = this._keyOrder();
            pick = order.length ? this._shownEl(this.D.places[order[0]][0]) : null;
        }
        if (this._stop && this._stop !== pick) { this._stop.tabIndex = -1; }
        if (pick) { pick.tabIndex = 0; }
        this._stop = pick;
    };

    /**
     * Places shown by a label or an edge chip, in reading order (west to east, then north to
     * south): what the arrow keys walk.
     */
    Engine.prototype._keyOrder = function () {
        var D = this.D, out = [];
        for (var i = 0; i < this.np; i++) { if (this.count[i] && this._shownEl(D.places[i][0])) { out.push(i); } }
        return out.sort(function (a, b) { return D.places[a][3] - D.places[b][3] || D.places[b][2] - D.places[a][2]; });
    };

    /** Give a place keyboard focus; its label is shown first even where others were. */
    Engine.prototype.focusPlace = function (id) {
        var i = this.placeIndex[id];
        if (i === undefined || !this.count[i]) { return false; }
        this.focusId = id;
        var layer = this.layers[i], bounds = this.map.getBounds();
        if (this.D.places[i][4] && !bounds.contains(layer.getLatLng())) {
            this.map.panTo(layer.getLatLng(), {animate: false});
        }
        this._layout();
        var m = this.labelled[id];
        if (!(m && m.on)) {
            // An area whose label has no room in this view (or lies outside it): go to it.
            this.map.panTo(layer.getLatLng(), {animate: false});
            this._layout();
            m = this.labelled[id];
        }
        if (m && m.on) { m.el.focus({preventScroll: true}); return true; }
        return false;
    };

    Engine.prototype._deselectFocus = function () { this.focusId = null; };

    Engine.prototype._clicked = function (i, ev, el) {
        if (ev && ev.originalEvent) { L.DomEvent.stop(ev.originalEvent); } else if (ev && ev.stopPropagation) { ev.stopPropagation(); }
        var id = this.D.places[i][0];
        this.selectedId = id;
        this._layout();
        if (this.opt.popups !== false) { this._popup(i); }
        if (this.opt.onSelect) { this.opt.onSelect(id); }
        if (el) { el.focus({preventScroll: true}); }
    };

    /** The selected place's ring and emphasised label. */
    Engine.prototype._ring = function () {
        var i = this.selectedId !== null ? this.placeIndex[this.selectedId] : undefined;
        if (this.ringLayer) { this.map.removeLayer(this.ringLayer); this.ringLayer = null; }
        if (i === undefined || !this.count[i]) { return; }
        var p = this.D.places[i], layer = this.layers[i];
        this.ringLayer = p[4]
            ? L.circleMarker(layer.getLatLng(), {radius: this.pinRadius[i] + 5, color: "#111", weight: 2.5,
                fill: false, interactive: false})
            : L.circle(layer.getLatLng(), {radius: p[5], color: "#111", weight: 3, fill: false, interactive: false});
        this.ringLayer.addTo(this.map);
    };

    /** Popup: the place, its counts per type, its newest events in view (escaped here). */
    Engine.prototype._popup = function (i) {
        var D = this.D, R = this.rows, view = this.view, nt = this.nt, self = this;
        var kinds = [];
        for (var t = 0; t < nt; t++) { if (this.typeCount[i * nt + t]) { kinds.push(t); } }
        kinds.sort(function (a, b) { return self.typeCount[i * nt + b] - self.typeCount[i * nt + a] || a - b; });
        var html = "<b>" + esc(D.places[i][1]) + "</b> <span class='popup-meta'>(" +
            esc(plural(this.count[i], "event")) + ": " +
            kinds.map(function (k) { return self.typeCount[i * nt + k] + " " + esc(D.typeLabels[k]); }).join(", ") +
            ")</span>";
        var info = D.info, items = [], limit = D.popupEvents || 5, more = 0;
        if (info) {
            var start = view.mode === "window" ? view.start : 0;
            var lo = lowerBound(R.d, start);
            for (var r = this.newest[i]; r >= lo && r >= 0; r--) {
                if (R.p[r] !== i || !this.typeOk[R.t[r]] || !this.claimOk[R.c[r] < 0 ? D.claimants.length : R.c[r]] ||
                    (this.eventOk && !this.eventOk[R.e[r]])) { continue; }
                if (items.length >= limit) { more += 1; continue; }
                var e = info[R.e[r]];   // [date label, type, claimant, status, summary, sources]
                items.push("<li><span class='popup-meta'>" + esc(e[0]) + " · " + esc(D.typeLabels[R.t[r]]) +
                    (e[1] ? " — " + esc(e[1]) + ", " : " — ") + esc(e[2]) + "</span>" +
                    (this.evContested[R.e[r]] ? " <b class='nm-contested'>contested</b>" : "") +
                    "<br>" + esc(e[3]) + (e[4] ? "<br><span class='popup-meta'>Source: " + esc(e[4]) + "</span>" : "") +
                    "</li>");
            }
        }
        html += items.length ? "<ol class='popup-events'>" + items.join("") + "</ol>" : "";
        if (more) { html += "<div class='popup-meta'>and " + more + " more</div>"; }
        if (D.popupNote) { html += "<div class='popup-meta'>" + esc(D.popupNote) + "</div>"; }
        var size = this.map.getSize();
        var latlng = this.layers[i].getLatLng();
        if (!D.places[i][4]) {
            var spot = this.placedLabels && this.placedLabels[i];
            if (spot) { latlng = this.map.containerPointToLatLng([spot.box.x + spot.box.w / 2, spot.box.y]); }
        }
        L.popup({maxWidth: Math.max(160, Math.min(320, size.x - 60)), minWidth: Math.min(200, size.x - 80),
            maxHeight: Math.max(120, Math.min(280, size.y - 90)), autoPanPadding: [12, 12],
            className: "nm-popup", pane: "nmPopupPane"})
            .setLatLng(latlng).setContent(html).openOn(this.map);
    };

    /**
     * Pins closer than their radii are spread on a ring around their common centre, in a
     * stable order (by place index), so places that share coordinates are each clickable.
     */
    Engine.prototype._spread = function (visible) {
        var map = this.map, D = this.D, self = this, pins = [];
        visible.forEach(function (i) { if (D.places[i][4]) { pins.push(i); } });
        var pts = {}, cell = 24, grid = {};
        pins.forEach(function (i) {
            var c = self._homePoint(i);
            pts[i] = c;
            var key = Math.floor(c.x / cell) + ":" + Math.floor(c.y / cell);
            (grid[key] || (grid[key] = [])).push(i);
        });
        var done = {};
        pins.forEach(function (i) {
            if (done[i]) { return; }
            var c = pts[i], cluster = [i];
            done[i] = true;
            var gx = Math.floor(c.x / cell), gy = Math.floor(c.y / cell);
            for (var dx = -1; dx <= 1; dx++) {
                for (var dy = -1; dy <= 1; dy++) {
                    (grid[(gx + dx) + ":" + (gy + dy)] || []).forEach(function (j) {
                        if (done[j]) { return; }
                        var q = pts[j], gap = self.pinRadius[i] + self.pinRadius[j] + 1;
                        if (Math.abs(q.x - c.x) < gap && Math.abs(q.y - c.y) < gap) { cluster.push(j); done[j] = true; }
                    });
                }
            }
            if (cluster.length === 1 || cluster.length > SPREAD_MAX) {
                cluster.forEach(function (j) {
                    if (!self.layers[j].getLatLng().equals(self.layers[j].nmHome)) { self.layers[j].setLatLng(self.layers[j].nmHome); }
                });
                return;
            }
            cluster.sort(function (a, b) { return a - b; });
            var cx = 0, cy = 0, rmax = 0;
            cluster.forEach(function (j) { cx += pts[j].x; cy += pts[j].y; rmax = Math.max(rmax, self.pinRadius[j]); });
            cx /= cluster.length;
            cy /= cluster.length;
            var ring = (rmax + 1.5) / Math.sin(Math.PI / Math.max(2, cluster.length));
            cluster.forEach(function (j, k) {
                var angle = -Math.PI / 2 + 2 * Math.PI * k / cluster.length;
                var at = map.containerPointToLatLng([cx + ring * Math.cos(angle), cy + ring * Math.sin(angle)]);
                if (!self.layers[j].getLatLng().equals(at)) { self.layers[j].setLatLng(at); }
            });
        });
    };

    /** Chips at the edge for places with events outside the view: direction and distance. */
    Engine.prototype._edges = function (outside, boxes, size, pins) {
        var taken = function (b) { return boxes.hits(b) || (pins && pins.hits(b)); };
        var self = this, D = this.D, map = this.map, box = this.edgeBox;
        var centre = map.getCenter(), used = {};
        this.edgeChips = this.edgeChips || {};
        outside.sort(function (a, b) { return self.count[b] - self.count[a] || a - b; });
        outside.slice(0, 12).forEach(function (i) {
            var p = D.places[i], id = p[0], chip = self.edgeChips[id];
            if (!chip) {
                chip = self.edgeChips[id] = L.DomUtil.create("button", "nm-edge", box);
                chip.type = "button";
                chip.dataset.place = id;
                L.DomEvent.disableClickPropagation(chip);
                chip.addEventListener("click", function (ev) {
                    var layer = self.layers[i];
                    if (p[4]) { map.panTo(layer.getLatLng()); } else { map.fitBounds(layer.getBounds(), {maxZoom: map.getZoom()}); }
                    self._clicked(i, ev);
                });
                chip.addEventListener("keydown", function (ev) { self._key(ev, id); });
                chip.addEventListener("focus", function () { self._tabStop(chip); });
                chip.tabIndex = -1;
            }
            var pt = map.latLngToContainerPoint(L.latLng(p[2], p[3]));
            var dx = pt.x - size.x / 2, dy = pt.y - size.y / 2;
            var angle = Math.atan2(-dy, dx), octant = Math.round(angle / (Math.PI / 4));
            var km = haversineKm(centre.lat, centre.lng, p[2], p[3]);
            var text = ARROWS[(octant + 8) % 8] + " " + p[1] + " · " + self.count[i] + (self.contested[i] ? " ⚑" : "") +
                " (" + Math.round(km / 10) * 10 + " km)";
            if (chip.textContent !== text) { chip.textContent = text; }
            // The accessible name starts with the visible text (WCAG 2.5.3), then says more.
            var name = text + ": " + p[1] + " is outside the map view, " +
                plural(self.count[i], "event") + ". Press to go there.";
            if (chip.nmName !== name) { chip.setAttribute("aria-label", name); chip.nmName = name; }
            var w = self._width(text) + 2, h = self._h || self._height();
            // Where the line from the centre to the place leaves the frame.
            var m = 6, sx = dx === 0 ? Infinity : (size.x / 2 - w / 2 - m) / Math.abs(dx),
                sy = dy === 0 ? Infinity : (size.y / 2 - h / 2 - m) / Math.abs(dy), s = Math.min(sx, sy);
            var x = size.x / 2 + dx * s - w / 2, y = size.y / 2 + dy * s - h / 2;
            // Along the edge it leaves by: towards the middle first, then the other way (a
            // chip near a corner found the zoom buttons one way and the legend the other).
            var step = sx < sy ? [0, h + 2] : [w + 2, 0], toward = sx < sy ? (dy > 0 ? -1 : 1) : (dx > 0 ? -1 : 1);
            var b = null;
            for (var k = 0; k <= 16 && !b; k++) {
                var n = k <= 8 ? k * toward : -(k - 8) * toward;
                var c = {x: x + n * step[0], y: y + n * step[1], w: w, h: h};
                if (c.x >= 0 && c.y >= 0 && c.x + w <= size.x && c.y + h <= size.y && !taken(c)) { b = c; }
            }
            // Near a corner: along the other edge there, from the corner inwards.
            var cx = Math.max(m, Math.min(size.x - w - m, x)), cy = Math.max(m, Math.min(size.y - h - m, y));
            for (var j = 0; j <= 12 && !b; j++) {
                var e = sx < sy
                    ? {x: cx + (dx > 0 ? -1 : 1) * j * (w + 2), y: dy > 0 ? size.y - h - m : m, w: w, h: h}
                    : {x: dx > 0 ? size.x - w - m : m, y: cy + (dy > 0 ? -1 : 1) * j * (h + 2), w: w, h: h};
                if (e.x >= 0 && e.y >= 0 && e.x + w <= size.x && e.y + h <= size.y && !taken(e)) { b = e; }
            }
            if (!b) { chip.style.display = "none"; return; }
            boxes.add(b);
            used[id] = true;
            chip.style.display = "";
            chip.style.transform = "translate(" + Math.round(b.x) + "px," + Math.round(b.y) + "px)";
        });
        Object.keys(this.edgeChips).forEach(function (id) {
            if (!used[id]) { self.edgeChips[id].style.display = "none"; }
        });
    };

    /**
     * The places drawn for the view, for exports and tests: per place its id, colour, whether
     * it is a pin and contested, whether it is within the frame (not only named at its
     * edge), its centre and radius in container pixels, and ``shift``: how far (px) it is
     * drawn from its place, to stand apart from pins on the same spot.
     */
    Engine.prototype.markers = function () {
        var out = [], D = this.D, map = this.map, bounds = map.getBounds();
        for (var i = 0; i < this.np; i++) {
            if (!this.count[i]) { continue; }
            var p = D.places[i], at = this.layers[i].getLatLng(), c = map.latLngToContainerPoint(at);
            var r = p[4] ? this.pinRadius[i]
                : c.y - map.latLngToContainerPoint(L.latLng(at.lat + p[5] / 111320, at.lng)).y;
            var home = map.latLngToContainerPoint(this.layers[i].nmHome);
            out.push({place_id: p[0], colour: D.colours[this._mainType(i)], pin: !!p[4],
                contested: this.contested[i] > 0, count: this.count[i],
                shift: Math.round(Math.sqrt((c.x - home.x) * (c.x - home.x) + (c.y - home.y) * (c.y - home.y))),
                in_frame: this._inFrame(i, bounds),
                x: c.x, y: c.y, r: r});
        }
        return out;
    };

    /** Label boxes as drawn (container pixels): for tests and the no-overlap measurement. */
    Engine.prototype.labelBoxes = function () {
        var out = [], nodes = this.map.getContainer().querySelectorAll(".nm-label:not(.nm-measure), .nm-edge");
        for (var i = 0; i < nodes.length; i++) {
            if (nodes[i].style.display === "none") { continue; }
            var r = this._rel(nodes[i].getBoundingClientRect());
            r.text = nodes[i].textContent;
            r.place = nodes[i].dataset.place || null;
            out.push(r);
        }
        return out;
    };
})(typeof window !== "undefined" ? window : this);
