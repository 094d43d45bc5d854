/*
 * The live dashboard's side of the map iframe: an Engine on streamlit-folium's map, driven by
 * the timeline control in the app page (static/newsmap/timeline.js) through postMessage.
 *
 * Messages (same origin only):
 *   page -> map  {newsmap: "view", view: {...}}     show a view (engine.setView)
 *   map  -> page {newsmap: "ready"}                  the map is up; send the view
 *   map  -> page {newsmap: "counts", events, places, step}
 *   map  -> page {newsmap: "select", place: id}      a reader clicked or pressed a place
 * Python sends nothing per step: the map keeps every day's data.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    Newsmap.bridge = function (map, data) {
        var parent = root.parent && root.parent !== root ? root.parent : null;
        function post(message) {
            message.newsmap = message.newsmap || "counts";
            if (parent) { parent.postMessage(message, root.location.origin); }
        }
        var engine = new Newsmap.Engine(map, data, {
            onSelect: function (id) { post({newsmap: "select", place: id}); },
            onCounts: function (c) { post({newsmap: "counts", events: c.events, places: c.places, step: engine.step}); }
        });
        root.newsmapEngine = engine;
        // The page sizes the iframe (shorter on a phone): the map fills it, whatever height
        // streamlit-folium gave the map's own element.
        map.getContainer().classList.add("nm-app");
        root.addEventListener("message", function (ev) {
            if (ev.origin !== root.location.origin || !ev.data || ev.data.newsmap !== "view") { return; }
            engine.setView(ev.data.view);
        });
        // The view the timeline last showed, if the page has one already (same origin), else
        // the whole period; the timeline sends the real view as soon as it hears "ready".
        var initial = null;
        try { initial = parent && parent.newsmapView; } catch (_e) { initial = null; }
        engine.setView(initial || {mode: "cumulative", start: 0, end: data.ndays - 1});
        post({newsmap: "ready"});
        return engine;
    };
})(window);
