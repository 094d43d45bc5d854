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
 * - a popup with the newest events (escaped in engine-popups.js: esc() is the only way data
 *   reaches its HTML);
 * - a legend that folds (on small maps, or when it would cover a marker);
 * - a text alternative (a live region) that says what the map shows.
 *
 * This file holds the constructor and the view cycle (setView: count, restyle, lay labels out,
 * report); each concern is a module that adds its methods to Newsmap.Engine.prototype, loaded
 * in this order after core.js (lib/map/mapview.py ENGINE_JS, the one list every page uses):
 *   engine-geometry.js  pure helpers (binary search, distances, the box index)
 *   engine.js           this file
 *   engine-filter.js    which events a view keeps, and the counts per place
 *   engine-draw.js      the layers, controls and overlays; each view's restyle; the ring
 *   engine-spread.js    pins on one point spread on a ring
 *   engine-layout.js    where each label goes (no overlaps)
 *   engine-labels.js    the label elements: measured, painted, updated in place
 *   engine-chips.js     chips at the edge for places outside the frame
 *   engine-legend.js    the legend
 *   engine-popups.js    the popup (escaped there)
 *   engine-keys.js      selection, focus and the arrow keys
 *
 * Test and benchmark hooks: window.newsmapState = {step, view, events, places, painted}.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var dateCaption = Newsmap.dateCaption, countCaption = Newsmap.countCaption;

    /** During a drag or Play, the most often that labels are ranked and placed anew (ms). */
    var FULL_LAYOUT_MS = 100;
    /**
     * An area wider than this (m, radius) is country-wide: drawn as an outline with no fill.
     * Filled, even faintly, Afghanistan's 449 km circle tinted the whole map, live and in
     * every picture, in the colour of its events.
     */
    Newsmap.WIDE_M = 150000;

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

    /** Show a view: restyle what changed, count, lay labels out, report. */
    Engine.prototype.setView = function (view) {
        var t0 = performance.now();
        view = this._normalise(view);
        this.view = view;
        var counts = this._count(view);
        this.counts = counts;
        this._restyle();
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

    /** The text alternative, said once the view has settled for a moment (not per frame). */
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
})(typeof window !== "undefined" ? window : this);
