/*
 * The time engine's labels as elements: their text, measured in their own font (on a canvas,
 * calibrated against the DOM), painted where the layout put them (only what changed is
 * written), updated in place between full layouts during a drag, and moved with the map
 * while it is dragged.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var plural = Newsmap.plural;

    Engine.prototype._label = function (i, short) {
        var D = this.D, n = this.count[i], flag = this.contested[i] ? " ⚑" : "";
        return short ? n + flag : D.places[i][1] + " · " + n + flag;
    };

    /** Longest wait (ms) for a stylesheet that never says it loaded: one that failed before
     * the engine listened for its error would otherwise hold the labels back for good. */
    var STYLES_WAIT_MS = 10000;

    /**
     * Whether the styles the layout measures with apply: engine.css (its rule on the measuring
     * span: labels measured without it are measured in the wrong font) and every stylesheet
     * the document links (leaflet.css places the zoom buttons the labels keep clear of).
     * streamlit-folium links the stylesheets after running the scripts and does not wait for
     * them, so the first views can come before them: until then the layout waits (markers are
     * drawn and counted), and runs once they apply, measuring everything again.
     */
    Engine.prototype._styled = function () {
        if (this._cssReady) { return true; }
        this._cssReady = this._stylesApply();
        if (!this._cssReady && !this._cssWait) {
            var self = this, since = performance.now();
            this._cssWait = setInterval(function () {
                if (self._stylesApply() || performance.now() - since > STYLES_WAIT_MS) {
                    clearInterval(self._cssWait);
                    self._cssReady = true;
                    self.widths = {};
                    self._ctx = undefined;
                    self._h = 0;
                    self._controls = null;
                    self._layout();
                }
            }, 50);
        }
        return this._cssReady;
    };

    Engine.prototype._stylesApply = function () {
        if (root.getComputedStyle(this.measure).position !== "absolute") { return false; }
        // Checked anew each time: streamlit-folium rewrites the head, which replaces its links.
        var links = document.querySelectorAll("link[rel~='stylesheet']");
        for (var i = 0; i < links.length; i++) {
            var link = links[i];
            if (link.sheet || link.disabled || link.nmFailed) { continue; }
            if (!link.nmHeard) {
                link.nmHeard = true;
                link.addEventListener("error", function (ev) { ev.target.nmFailed = true; });
            }
            return false;
        }
        return true;
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

    Engine.prototype._height = function () {
        this.measure.textContent = "Ag";
        // Rounded up, as widths are: a label 25.2 px high placed 25 px below another overlapped it.
        var h = Math.ceil(this.measure.getBoundingClientRect().height) || 18;
        if (this._styled()) { this._h = h; }
        return h;
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
