/*
 * The standalone HTML export: the same engine and timeline as the live dashboard, wired
 * together directly in one document (no server, no network).
 *
 *   Newsmap.standalone(map, data, config, {bounds, maxZoom, place})
 * sets window.newsmapExport = {ready, engine, timeline} once the first view is drawn.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    Newsmap.standalone = function (map, data, config, opts) {
        opts = opts || {};
        var timeline = null;
        var engine = new Newsmap.Engine(map, data, {
            onCounts: function (c) { if (timeline) { timeline.setCounts(c); } },
            onSelect: function (id) { selected = id; }
        });
        var selected = opts.place || null;
        var full = function (v) { return Object.assign({}, v, {place: selected}); };
        if (opts.bounds) {
            map.fitBounds(opts.bounds, {padding: [24, 24], maxZoom: opts.maxZoom || 11, animate: false});
        }
        timeline = new Newsmap.Timeline(document.getElementById("nm-timeline"), config, {
            onInput: function (v) { engine.setView(full(v)); },
            onSettle: function () {}
        });
        timeline.fullView = full;
        engine.setView(full(timeline.view));
        root.newsmapExport = {ready: true, engine: engine, timeline: timeline};
        return root.newsmapExport;
    };
})(window);
