/* The publication page of lib.presentation.presentation_html: one view of the map at a fixed
 * pixel size, and any day of it for the animated exports.
 *
 * `newsmapPresentation(map, config)` draws the day `config.start` and exposes
 * `window.newsmapExport`, which lib.export drives in headless Chromium:
 *   ready        true once the labels are laid out (and tiles, if any, loaded or failed);
 *   showDay(iso) draws that day of `config.days` in place (no reload) and returns its caption;
 *   markers      per place drawn: place_id, colour, pin, contested, in_frame, x, y, r (CSS px);
 *   labelBoxes() every label's text and box, to check that none overlap;
 *   vector()     drops what a PDF would turn into images (shadows);
 *   svg()        the page as an SVG document (see vector.js).
 * Every string in `config` arrives through lib.presentation's one JSON escaper; labels and
 * popups are escaped HTML, captions plain text (set with textContent).
 * Needs: Leaflet, lib.mapview.PLACES_JS, labels.js, vector.js.
 */
/* global newsmapPlaces, newsmapHighlight, newsmapOffMap, newsmapOpenLabels, newsmapSpreadLabels,
          newsmapLabelBoxes, newsmapToSvg */
/* exported newsmapPresentation */
"use strict";

function newsmapPresentation(map, config) {
    var out = window.newsmapExport = {
        ready: false, markers: [], caption: "", day: null, showDay: showDay,
        labelBoxes: newsmapLabelBoxes,
        vector: function () { document.body.classList.add("nm-vector"); },
        svg: function () { return newsmapToSvg(document.body); }
    };
    var layer = null, ring = null, tilesReady = false;
    var dateEl = document.getElementById("nm-date"), countsEl = document.getElementById("nm-counts");
    var days = {};
    config.days.forEach(function (d) { days[d.day] = d; });

    if (config.bounds) {
        map.fitBounds(config.bounds, {paddingTopLeft: config.padTopLeft,
                                      paddingBottomRight: config.padBottomRight,
                                      maxZoom: config.maxZoom, animate: false});
    }

    function report() {
        var origin = map.getContainer().getBoundingClientRect();
        out.markers = [];
        layer.eachLayer(function (l) {
            var p = l.feature.properties, c = map.latLngToContainerPoint(l.getLatLng());
            var r = l.getElement() ? l.getElement().getBoundingClientRect() : null;
            out.markers.push({place_id: p.place_id, colour: p.colour, pin: p.pin,
                              contested: p.contested > 0, in_frame: !l._nmOffMap,
                              x: origin.left + c.x, y: origin.top + c.y,
                              r: p.pin ? p.r_px : (r ? r.width / 2 : 0)});
        });
    }

    function showDay(iso) {
        var d = days[iso];
        if (!d) { throw new Error("no day " + iso + " in this page"); }
        if (layer) { map.removeLayer(layer); }
        if (ring) { map.removeLayer(ring); ring = null; }
        dateEl.textContent = d.date;
        countsEl.textContent = d.counts;
        layer = newsmapPlaces(d.features, false).addTo(map);
        // A few more candidates than labels shown, as some find no free spot; each label
        // opened costs Leaflet a layout of the page.
        newsmapOpenLabels(layer, config.selected, config.maxLabels + 20);
        ring = newsmapHighlight(map, layer, config.selected);
        newsmapOffMap(map, layer);
        newsmapSpreadLabels(map, layer, config.selected, config.maxLabels);
        report();
        out.caption = d.date + " · " + d.counts;
        out.day = iso;
        out.ready = tilesReady;
        return out.caption;
    }

    showDay(config.start);
    // The header and footer keep the height of the first day drawn, so that the map, and
    // every place on it, stays put from one frame of an animation to the next.
    document.querySelectorAll(".nm-head, .nm-credits").forEach(function (el) {
        el.style.height = el.getBoundingClientRect().height + "px";
        el.style.overflow = "hidden";
        el.style.boxSizing = "border-box";
    });

    function done() {
        tilesReady = out.ready = true;
        document.documentElement.dataset.ready = "true";
    }
    var loading = [];
    map.eachLayer(function (l) {
        if (l instanceof L.TileLayer && l.isLoading && l.isLoading()) { loading.push(l); }
    });
    if (!loading.length) { done(); return; }
    // Tiles: wait until every visible tile has loaded or failed (Leaflet fires "load" then).
    var left = loading.length;
    loading.forEach(function (l) { l.once("load", function () { if (--left === 0) { done(); } }); });
}
