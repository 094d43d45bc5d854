/* Labels of the exported maps (lib.presentation): the selected place's ring, places beyond the
 * frame named at its edge, and labels laid out so that no two overlap.
 *
 * Loaded after lib.mapview.PLACES_JS (newsmapPlaces) and after `newsmapLabelLimit` is set.
 * Labels move through the CSS `translate` property, which Leaflet leaves alone when it
 * re-places a tooltip (it sets `transform`), so a move survives PLACES_JS's delayed
 * re-placements. A label that finds no free spot is closed, never drawn over another.
 */
/* exported newsmapHighlight, newsmapOffMap, newsmapOpenLabels, newsmapSpreadLabels,
            newsmapLabelBoxes */
"use strict";

var NEWSMAP_GAP = 2;  // CSS px kept free between two labels

function newsmapBoxOverlap(a, b, gap) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left) + gap;
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + gap;
    return w > 0 && h > 0 ? w * h : 0;
}

function newsmapMoved(r, dx, dy) {
    return {left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy};
}

// Rings the selected place and emphasises its label (drawn last, so on top).
function newsmapHighlight(map, layer, placeId) {
    var ring = null;
    layer.eachLayer(function (l) {
        var p = l.feature.properties;
        if (p.place_id !== placeId) { return; }
        ring = p.pin
            ? L.circleMarker(l.getLatLng(), {radius: p.r_px + 6, color: "#111", weight: 3,
                                            fill: false, interactive: false})
            : L.circle(l.getLatLng(), {radius: p.radius_m, color: "#111", weight: 3.5,
                                       fill: false, interactive: false});
        ring.addTo(map);
        var t = l.getTooltip() && l.getTooltip().getElement();
        if (t) { t.classList.add("selected"); t.parentNode.appendChild(t); }
    });
    return ring;
}

// A place outside the frame gets a label on the frame's edge, in its direction, with its
// distance from the centre (a click opens its popup, which pans the map to it). Two such
// labels that would overlap are slid apart along the edge; one that finds no room is left out.
function newsmapOffMap(map, layer) {
    (map._nmOffMap || []).forEach(function (el) { L.DomUtil.remove(el); });
    map._nmOffMap = [];
    var size = map.getSize(), view = map.getBounds(), centre = size.divideBy(2), m = 6;
    var arrows = ["→", "↘", "↓", "↙", "←", "↖", "↑", "↗"];
    var placed = [];
    layer.eachLayer(function (l) {
        var p = l.feature.properties, ll = l.getLatLng();
        l._nmOffMap = !(p.pin ? view.contains(ll) : view.intersects(l.getBounds()));
        if (!l._nmOffMap) { return; }
        var d = map.latLngToContainerPoint(ll).subtract(centre);
        var arrow = arrows[(Math.round(Math.atan2(d.y, d.x) / (Math.PI / 4)) + 8) % 8];
        var km = Math.round(map.distance(map.getCenter(), ll) / 10000) * 10;
        var el = L.DomUtil.create("div", "place-label nm-offmap" + (p.contested ? " contested" : ""),
                                  map.getContainer());
        el.innerHTML = "<i style='background:" + p.colour + "'></i>" + p.label + " " + arrow +
                       " <small>" + km + " km</small>";
        L.DomEvent.on(el, "click", function () { l.openPopup(); });
        L.DomEvent.disableClickPropagation(el);
        var w = el.offsetWidth, h = el.offsetHeight;
        // Where the line from the centre towards the place leaves the frame.
        var t = Math.min((centre.x - m) / Math.max(Math.abs(d.x), 1e-9),
                         (centre.y - m) / Math.max(Math.abs(d.y), 1e-9));
        var edge = centre.add(d.multiplyBy(t));
        var x = Math.min(Math.max(edge.x - w / 2, m), size.x - w - m);
        var y = Math.min(Math.max(edge.y - h / 2, m), size.y - h - m);
        // On a side edge slide up and down, on the top or bottom edge left and right.
        var vertical = Math.abs(d.x) * (centre.y - m) >= Math.abs(d.y) * (centre.x - m);
        var spot = null;
        [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6].some(function (k) {
            var cx = vertical ? x : x + k * (w + NEWSMAP_GAP);
            var cy = vertical ? y + k * (h + NEWSMAP_GAP) : y;
            if (cx < m || cy < m || cx + w > size.x - m || cy + h > size.y - m) { return false; }
            var box = {left: cx, top: cy, right: cx + w, bottom: cy + h};
            if (placed.some(function (b) { return newsmapBoxOverlap(box, b, NEWSMAP_GAP); })) {
                return false;
            }
            spot = box;
            return true;
        });
        if (!spot) { L.DomUtil.remove(el); return; }
        placed.push(spot);
        el.style.left = spot.left + "px";
        el.style.top = spot.top + "px";
        map._nmOffMap.push(el);
    });
}

// Who is labelled first: the selected place, then most events, pins before areas.
function newsmapLabelOrder(selectedId) {
    function rank(p) { return p.place_id === selectedId ? 0 : 1; }
    return function (a, b) {
        return rank(a) - rank(b) || b.count - a.count || (b.pin ? 1 : 0) - (a.pin ? 1 : 0) ||
               a.radius_m - b.radius_m || (a.place_id < b.place_id ? -1 : 1);
    };
}

// Opens permanent labels for the `count` most important places of a layer drawn without
// them (newsmapPlaces(data, false)): measuring a few hundred labels is cheap, thousands not.
function newsmapOpenLabels(layer, selectedId, count) {
    var all = [];
    layer.eachLayer(function (l) { if (l.getTooltip()) { all.push(l); } });
    var order = newsmapLabelOrder(selectedId);
    all.sort(function (a, b) { return order(a.feature.properties, b.feature.properties); });
    all.slice(0, count).forEach(function (l) {
        var t = l.getTooltip(), p = l.feature.properties, c = l.getLatLng();
        var options = L.extend({}, t.options, {permanent: true});
        var content = t.getContent();
        l.unbindTooltip();
        l.bindTooltip(content, options);  // opens it, at the place's centre
        // Where PLACES_JS puts it: an area's label on the top edge of its circle.
        if (!p.pin) { l.openTooltip(L.latLng(c.lat + p.radius_m / 111320, c.lng)); }
    });
}

// Lays the labels out: each tries spots near its place (a pin's label may flip to its left)
// and takes the cheapest one that overlaps no label placed before it; labels are placed in
// the order of newsmapLabelOrder, and one with no free spot, or beyond `maxLabels`, is
// closed. Area labels are brought inside the frame. Everything is measured first and moved
// after, so the page is laid out twice, not once per label.
function newsmapSpreadLabels(map, layer, selectedId, maxLabels) {
    var container = map.getContainer(), pad = 4;
    var limit = maxLabels === undefined ? Infinity : maxLabels;
    var items = [], pins = [];
    // Writes first: labels back to their natural spot, earlier hidden ones open again.
    layer.eachLayer(function (l) {
        var p = l.feature.properties;
        if (l._nmHidden) {
            // Hidden by an earlier layout (another zoom): give it another chance.
            l._nmHidden = false;
            var c = l.getLatLng();
            l.openTooltip(p.pin ? c : L.latLng(c.lat + p.radius_m / 111320, c.lng));
        }
        var t = l.getTooltip();
        if (t && l.isTooltipOpen()) {
            t.getElement().style.translate = "";
            // An off-map place's own label lies beyond the frame, clipped: the edge label
            // stands for it.
            if (!l._nmOffMap) { items.push({p: p, l: l, el: t.getElement()}); }
        }
        if (p.pin && l.getElement() && !l._nmOffMap) { pins.push(l.getElement()); }
    });
    // Then reads. Hard obstacles: the off-map labels and the map's controls (and each label
    // placed). Soft ones, with a cost per square pixel covered: pins fully, province names a
    // little.
    var box = container.getBoundingClientRect(), hard = [], soft = [];
    container.querySelectorAll(".nm-offmap, .leaflet-control").forEach(function (el) {
        hard.push(el.getBoundingClientRect());
    });
    container.querySelectorAll(".province-label").forEach(function (el) {
        soft.push({r: el.getBoundingClientRect(), w: 0.2});
    });
    pins.forEach(function (el) { soft.push({r: el.getBoundingClientRect(), w: 1}); });
    items.forEach(function (it) { it.r = it.el.getBoundingClientRect(); });
    var order = newsmapLabelOrder(selectedId);
    items.sort(function (a, b) { return order(a.p, b.p); });
    var shown = 0;
    items.forEach(function (it) {
        var r = it.r, w = r.right - r.left, h = r.bottom - r.top + NEWSMAP_GAP, x0 = 0, y0 = 0;
        if (!it.p.pin) {
            // An area's label may sit far outside the frame (its circle's top edge): bring it in.
            x0 = Math.max(box.left + pad - r.left, Math.min(0, box.right - pad - r.right));
            y0 = Math.max(box.top + pad - r.top, Math.min(0, box.bottom - pad - r.bottom));
        }
        var dxs = it.p.pin ? [0, -(w + 2 * (it.p.r_px + 6))] : [0, -w / 2, w / 2];
        // Each step away from the natural spot costs a little, so that grazing a province
        // name does not send a label away from its place.
        var best = null, bestCost = Infinity, step = 0;
        if (shown < limit) {
            [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5].forEach(function (k) {
                dxs.forEach(function (dx) {
                    var c = newsmapMoved(r, x0 + dx, y0 + k * h), penalty = 60 * step++;
                    if (c.top < box.top || c.bottom > box.bottom || c.left < box.left ||
                        c.right > box.right) { return; }
                    if (hard.some(function (o) { return newsmapBoxOverlap(c, o, NEWSMAP_GAP); })) {
                        return;
                    }
                    var cost = soft.reduce(function (s, o) {
                        return s + o.w * newsmapBoxOverlap(c, o.r, 0);
                    }, penalty);
                    if (cost < bestCost) { best = [x0 + dx, y0 + k * h]; bestCost = cost; }
                });
            });
        }
        it.best = best;
        if (!best) { return; }
        shown += 1;
        hard.push(newsmapMoved(r, best[0], best[1]));
    });
    // Then the moves.
    items.forEach(function (it) {
        if (!it.best) { it.l.closeTooltip(); it.l._nmHidden = true; return; }
        if (it.best[0] || it.best[1]) { it.el.style.translate = it.best[0] + "px " + it.best[1] + "px"; }
    });
}

// Every label a reader sees, with its box in CSS px of the page, clipped to the map's frame
// (a label beyond the frame is not seen).
function newsmapLabelBoxes() {
    var out = [];
    document.querySelectorAll(".place-label").forEach(function (el) {
        var r = el.getBoundingClientRect(), map = el.closest(".leaflet-container");
        var f = map ? map.getBoundingClientRect() : r;
        var box = {text: el.textContent, left: Math.max(r.left, f.left), top: Math.max(r.top, f.top),
                   right: Math.min(r.right, f.right), bottom: Math.min(r.bottom, f.bottom)};
        if (box.right <= box.left || box.bottom <= box.top ||
            getComputedStyle(el).visibility === "hidden") { return; }
        out.push(box);
    });
    return out;
}
