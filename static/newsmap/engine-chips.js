/*
 * The time engine's edge chips: a button at the map's edge for each place with events outside
 * the frame, with its direction, name, count and distance; pressing it goes there.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var plural = Newsmap.plural, haversineKm = Newsmap.geometry.haversineKm;
    var ARROWS = ["→", "↗", "↑", "↖", "←", "↙", "↓", "↘"];

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
})(typeof window !== "undefined" ? window : this);
