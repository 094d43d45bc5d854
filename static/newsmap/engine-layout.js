/*
 * The time engine's label layout: every place in the frame gets a label "place · count" where
 * it overlaps no other label, no other pin, no control and no edge chip; by priority (the
 * focused place, the selected one, then the busiest), shortening to the count, then hiding.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var overlaps = Newsmap.geometry.overlaps, BoxIndex = Newsmap.geometry.BoxIndex;

    /**
     * Spread pins that sit on (nearly) the same pixel, place every label without overlap,
     * and put chips at the edge for places outside the view. Runs per view and per zoom/pan.
     */
    Engine.prototype._layout = function (viewOnly) {
        // Not before the stylesheets it measures with apply: _styled lays out again then.
        if (!this.view || !this._styled()) { return; }
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
                var b = candidates(anchor, self._width(t[0]), h, chosen).find(function (c) {
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
     * Spots for a label of w x h px around anchor ``a`` (``_anchor``), best first. ``far`` (the place the
     * reader chose) adds spots farther out, so that its name finds room in a crowded valley.
     */
    function candidates(a, w, h, far) {
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
    }
    Newsmap.layout = {candidates: candidates};
})(typeof window !== "undefined" ? window : this);
