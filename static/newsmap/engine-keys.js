/*
 * The time engine's selection and keyboard: a click or Enter selects a place by id; one label
 * or chip is in the Tab order (a roving tabindex) and the arrow keys walk the others in
 * reading order.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;

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
})(typeof window !== "undefined" ? window : this);
