/*
 * The time engine's spread: pins that share (or nearly share) a point are spread on a small
 * ring around it, so that each stays reachable; they go home when alone again.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    /**
     * Most pins spread on one ring. A bigger cluster stays where the gazetteer puts it: spread
     * on a ring, 50 pins moved up to 280 px from their places (off the map for some), which
     * draws a false geography; a reader zooms in to tell them apart.
     */
    var SPREAD_MAX = 8;

    /**
     * A pin's home (its gazetteer point) in container pixels. Cached until the map moves,
     * zooms or resizes: a date change moves no point, and converting hundreds of them per
     * drag step was a sixth of the step.
     */
    Engine.prototype._homePoint = function (i) {
        if (!this._homes) { this._homes = {}; }
        return this._homes[i] || (this._homes[i] = this.map.latLngToContainerPoint(this.layers[i].nmHome));
    };

    /**
     * Where pins go, in container pixels (pure): ``pins`` are place indices, ``pts[i]`` each
     * one's home {x, y} and ``radius[i]`` its radius (px). Pins closer than their radii form a
     * cluster; a cluster of 2 to SPREAD_MAX pins is spread on a ring around its centre, in a
     * stable order (by place index, the first at the top), so places that share coordinates
     * are each clickable. Returns {i: {x, y}} for the pins spread; the others stay home.
     */
    function spreadPins(pins, pts, radius) {
        var cell = 24, grid = {}, done = {}, out = {};
        pins.forEach(function (i) {
            var c = pts[i], key = Math.floor(c.x / cell) + ":" + Math.floor(c.y / cell);
            (grid[key] || (grid[key] = [])).push(i);
        });
        pins.forEach(function (i) {
            if (done[i]) { return; }
            var c = pts[i], cluster = [i];
            done[i] = true;
            var gx = Math.floor(c.x / cell), gy = Math.floor(c.y / cell);
            for (var dx = -1; dx <= 1; dx++) {
                for (var dy = -1; dy <= 1; dy++) {
                    (grid[(gx + dx) + ":" + (gy + dy)] || []).forEach(function (j) {
                        if (done[j]) { return; }
                        var q = pts[j], gap = radius[i] + radius[j] + 1;
                        if (Math.abs(q.x - c.x) < gap && Math.abs(q.y - c.y) < gap) { cluster.push(j); done[j] = true; }
                    });
                }
            }
            if (cluster.length === 1 || cluster.length > SPREAD_MAX) { return; }
            cluster.sort(function (a, b) { return a - b; });
            var cx = 0, cy = 0, rmax = 0;
            cluster.forEach(function (j) { cx += pts[j].x; cy += pts[j].y; rmax = Math.max(rmax, radius[j]); });
            cx /= cluster.length;
            cy /= cluster.length;
            var ring = (rmax + 1.5) / Math.sin(Math.PI / Math.max(2, cluster.length));
            cluster.forEach(function (j, k) {
                var angle = -Math.PI / 2 + 2 * Math.PI * k / cluster.length;
                out[j] = {x: cx + ring * Math.cos(angle), y: cy + ring * Math.sin(angle)};
            });
        });
        return out;
    }
    Newsmap.spread = {pins: spreadPins, MAX: SPREAD_MAX};

    /** Pins in view moved to where ``spreadPins`` puts them, or home (only what changed). */
    Engine.prototype._spread = function (visible) {
        var map = this.map, D = this.D, self = this, pins = [], pts = {};
        visible.forEach(function (i) { if (D.places[i][4]) { pins.push(i); pts[i] = self._homePoint(i); } });
        var spread = spreadPins(pins, pts, this.pinRadius);
        pins.forEach(function (j) {
            var layer = self.layers[j], s = spread[j];
            var at = s ? map.containerPointToLatLng([s.x, s.y]) : layer.nmHome;
            if (!layer.getLatLng().equals(at)) { layer.setLatLng(at); }
        });
    };
})(typeof window !== "undefined" ? window : this);
