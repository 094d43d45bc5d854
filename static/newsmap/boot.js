/*
 * The live map's loader (lib/map/mapview.py live_map). streamlit-folium loads a map's scripts
 * one after another, waiting for each: Leaflet, the base map, then the engine took four round
 * trips before the map could draw. This file is the first of the two it loads: it asks for
 * every script and stylesheet named in its own `load` parameter at once (scripts run in the
 * order given: `async = false`), and streamlit-folium's second script, added after this one
 * ran, runs after all of them, so the map's own script finds everything loaded.
 */
(function () {
    "use strict";
    var me = document.currentScript;
    var load = me ? new URL(me.src, document.baseURI).searchParams.get("load") : null;
    (load ? load.split(",") : []).forEach(function (url) {
        var node;
        if (/\.css(\?|$)/.test(url)) {
            node = document.createElement("link");
            node.rel = "stylesheet";
            node.href = url;
        } else {
            node = document.createElement("script");
            node.src = url;
            node.async = false;   // fetched in parallel, run in insertion order
            node.onerror = function () { console.error("newsmap: could not load " + url); };
        }
        document.head.appendChild(node);
    });
})();
