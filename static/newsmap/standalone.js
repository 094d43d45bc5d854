/*
 * The standalone HTML export: the same engine and timeline as the live dashboard, wired
 * together directly in one document (no server, no network).
 *
 *   Newsmap.standalone(map, data, config, {bounds, maxZoom, place, places, headlines})
 * sets window.newsmapExport = {ready, engine, timeline} once the first view is drawn.
 *
 * ``places`` (lib/pictures/presentation.py panel_places: the places of the exported view, as
 * the reader edition's place files) turns the popup into the edition's place panel
 * (panel.js, in #nm-panel): a click, tap or Enter on a place shows its events in the view and
 * every passage naming it. Without it, a place opens a popup.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    Newsmap.standalone = function (map, data, config, opts) {
        opts = opts || {};
        var timeline = null;
        var places = opts.places || null;
        var panel = places && document.getElementById("nm-panel");
        var status = document.getElementById("nm-status");
        // No article reader in one file: the panel names articles as text.
        var D = Object.assign({}, data, {noReader: true});
        var engine = new Newsmap.Engine(map, data, {
            popups: !panel,
            onCounts: function (c) {
                if (timeline) { timeline.setCounts(c); }
                showPanel(false);   // the dates moved: the panel lists the events in view
            },
            onSelect: function (id) { selected = id; showPanel(true); }
        });
        var selected = opts.place || null;
        var full = function (v) { return Object.assign({}, v, {place: selected}); };

        function showPanel(chosen) {
            if (!panel) { return; }
            var place = selected && Object.prototype.hasOwnProperty.call(places, selected) ? places[selected] : null;
            // One table of headlines for every place (presentation.py _standalone_options).
            if (place) { place = Object.assign({}, place, {headlines: opts.headlines || {}}); }
            if (!place) {
                panel.hidden = true;
                panel.innerHTML = "";
                return;
            }
            var view = timeline ? timeline.view : {mode: config.mode, start: config.start, end: config.end};
            var html = Newsmap.placePanel(place, view, D);
            if (html === panel.innerHTML && !panel.hidden) { return; }
            var opening = panel.hidden;
            panel.innerHTML = html;
            panel.hidden = false;
            if (opening) {
                // The map narrowed beside the panel (or shortened above it on a phone): keep the
                // chosen place in sight.
                map.invalidateSize({pan: false});
                var i = engine.placeIndex[selected], at = i === undefined ? null : L.latLng(data.places[i][2], data.places[i][3]);
                if (at && !map.getBounds().contains(at)) { map.panTo(at, {animate: false}); }
            }
            if (chosen) {
                var said = place.name + ": " + panel.querySelector(".nme-place-head p:last-child").textContent;
                if (status) { status.textContent = said; }
                panel.scrollTop = 0;
            }
        }

        if (panel) {
            panel.addEventListener("click", function (ev) {
                var close = ev.target.closest && ev.target.closest("[data-close='place']");
                if (!close) { return; }
                var was = selected;
                selected = null;
                engine.setView(full(timeline.view));
                showPanel(false);
                map.invalidateSize({pan: false});
                if (status) { status.textContent = "Panel closed"; }
                // Back to the place's label on the map, where the reader was.
                var label = was && map.getContainer().querySelector(".nm-label[data-place='" +
                    String(was).replace(/['\\]/g, "\\$&") + "']");
                if (label) { label.focus({preventScroll: true}); }
            });
        }

        if (opts.bounds) {
            map.fitBounds(opts.bounds, {padding: [24, 24], maxZoom: opts.maxZoom || 11, animate: false});
        }
        timeline = new Newsmap.Timeline(document.getElementById("nm-timeline"), config, {
            onInput: function (v) { engine.setView(full(v)); },
            onSettle: function () {}
        });
        timeline.fullView = full;
        engine.setView(full(timeline.view));
        showPanel(false);
        root.newsmapExport = {ready: true, engine: engine, timeline: timeline};
        return root.newsmapExport;
    };
})(window);
