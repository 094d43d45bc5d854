/*
 * The time engine's drawing: one Leaflet layer per place made once (a pin, or a circle as wide
 * as the gazetteer's uncertainty), the map's own controls and overlays, each view's restyle
 * (colour = most frequent type, dashed = contested), the selected place's ring, and the
 * places as drawn (``markers``) for exports and tests.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var WIDE_M = Newsmap.WIDE_M;
    /** A pin's smallest radius (px) under a finger: 24 px across, WCAG 2.5.8's minimum. */
    var PIN_MIN_TOUCH = 12;

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

    /** Each place in view in its colour and size (count, main type, contested); others off. */
    Engine.prototype._restyle = function () {
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
})(typeof window !== "undefined" ? window : this);
