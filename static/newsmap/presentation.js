/* The publication page of lib.presentation.presentation_html: one view of the map at a fixed
 * pixel size, and any day of it for the animated exports, drawn by the time engine
 * (engine.js) that the live map and the standalone export use, in its still mode.
 *
 * `Newsmap.presentation(map, config)` draws the day `config.start` and exposes
 * `window.newsmapExport`, which lib.export drives in headless Chromium:
 *   ready        true once the labels are laid out (and tiles, if any, loaded or failed);
 *   showDay(iso) draws that day of `config.days` in place (no reload) and returns its caption;
 *   markers      per place drawn: place_id, colour, pin, contested, in_frame, x, y, r (page px);
 *   labelBoxes() every label's and edge chip's text, place and box (x, y, w, h and left, top,
 *                right, bottom in page px), to check that none overlap;
 *   engine       the engine itself (tests read its counts);
 *   vector()     drops what a PDF would turn into images (shadows);
 *   svg()        the page as an SVG document (see vector.js).
 * config: {engine: lib.engine.engine_data, view: {mode, start}, days: {iso: date caption},
 *   start, selectedName, legendTypes, bounds, padTopLeft, padBottomRight, maxZoom, maxLabels,
 *   popups}. The data is plain text; the engine escapes it, captions are set as textContent.
 * Needs: Leaflet, core.js, engine.js, vector.js.
 */
/* global newsmapToSvg */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    Newsmap.presentation = function (map, config) {
        var D = config.engine, selected = config.view.place || null;
        var engine = new Newsmap.Engine(map, D, {
            still: true, legend: false, popups: config.popups !== false,
            labelLimit: config.maxLabels, cooperative: false
        });
        var out = root.newsmapExport = {
            ready: false, caption: "", day: null, showDay: showDay, engine: engine,
            // Measured when asked for (an export asks once), not for every frame drawn.
            get markers() { return page(engine.markers()); },
            labelBoxes: function () { return page(engine.labelBoxes()); },
            vector: function () { document.body.classList.add("nm-vector"); },
            svg: function () { return newsmapToSvg(document.body); }
        };
        var tilesReady = false;
        var dateEl = document.getElementById("nm-date"), countsEl = document.getElementById("nm-counts");
        var legendEl = document.getElementById("nm-key");
        if (legendEl) {
            var items = Newsmap.legendItems(D, config.legendTypes);
            legendEl.innerHTML = items.types + items.keys;
        }

        /** Container pixels -> page pixels (what a screenshot of the page measures). */
        function page(items) {
            var origin = map.getContainer().getBoundingClientRect();
            return items.map(function (b) {
                var o = Object.assign({}, b);
                o.x = o.left = b.x + origin.left;
                o.y = o.top = b.y + origin.top;
                if (b.w !== undefined) { o.right = o.left + b.w; o.bottom = o.top + b.h; }
                return o;
            });
        }

        function note() {
            if (!selected) { return ""; }
            var i = engine.placeIndex[selected];
            if (i !== undefined && engine.count[i]) { return "highlighted: " + D.places[i][1]; }
            var name = i !== undefined ? D.places[i][1] : (config.selectedName || selected);
            return name + ": no events in these dates";
        }

        function view(iso) {
            if (!Object.prototype.hasOwnProperty.call(config.days, iso)) {
                throw new Error("no day " + iso + " in this page");
            }
            return {mode: config.view.mode, start: config.view.start, end: Newsmap.dayDiff(D.first, iso),
                    place: selected};
        }

        function caption(iso, counts) {
            var bits = [Newsmap.countCaption(counts)], extra = note();
            if (extra) { bits.push(extra); }
            dateEl.textContent = config.days[iso];
            countsEl.textContent = bits.join(" · ");
            return config.days[iso] + " · " + countsEl.textContent;
        }

        function showDay(iso) {
            out.caption = caption(iso, engine.setView(view(iso)));
            out.day = iso;
            out.ready = tilesReady;
            return out.caption;
        }

        // The captions first, from the counts alone (drawing 2,000 places and then fitting
        // the map would draw them twice): the header's height, and so the map's, depends on them.
        caption(config.start, engine.countView(view(config.start)));
        // The header and footer keep the height of the first day drawn, so that the map, and
        // every place on it, stays put from one frame of an animation to the next.
        document.querySelectorAll(".nm-head, .nm-credits").forEach(function (el) {
            el.style.height = el.getBoundingClientRect().height + "px";
            el.style.overflow = "hidden";
            el.style.boxSizing = "border-box";
        });
        // Leaflet measured the map before the legend and captions were written: measure it
        // again, fit the places into what is left, and draw the first day for that frame.
        map.invalidateSize(false);
        if (config.bounds) {
            map.fitBounds(config.bounds, {paddingTopLeft: config.padTopLeft,
                                          paddingBottomRight: config.padBottomRight,
                                          maxZoom: config.maxZoom, animate: false});
        }
        showDay(config.start);

        function done() {
            tilesReady = out.ready = true;
            document.documentElement.dataset.ready = "true";
        }
        var loading = [];
        map.eachLayer(function (l) {
            if (l instanceof L.TileLayer && l.isLoading && l.isLoading()) { loading.push(l); }
        });
        if (!loading.length) { done(); return out; }
        // Tiles: wait until every visible tile has loaded or failed (Leaflet fires "load" then).
        var left = loading.length;
        loading.forEach(function (l) { l.once("load", function () { if (--left === 0) { done(); } }); });
        return out;
    };
})(window);
