/*
 * The base map's furniture (lib/mapview.py base_map): what every map of the project has,
 * whatever it shows. Python passes only data: `Newsmap.baseMap(map, {labels, legend})`.
 * - keyboard focus without scrolling: Leaflet focuses the map on mousedown and restores the
 *   scroll of its own window only; inside streamlit-folium's iframe the focus scrolled the
 *   parent page, so the mouseup landed elsewhere and a click on a marker was lost;
 * - the scale bar, top left (bottom left, the long attribution hides it);
 * - province names at their centroids, faint and not interactive ([name, lat, lon]; names
 *   arrive escaped);
 * - an optional static legend (trusted HTML built by lib.mapview.legend_html), bottom right.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    Newsmap.baseMap = function (map, options) {
        if (map.keyboard) {
            map.keyboard.removeHooks();
            map.keyboard._onMouseDown = function () {
                if (this._focused) { return; }
                this._map._container.focus({preventScroll: true});
            };
            map.keyboard.addHooks();
        }
        L.control.scale({position: "topleft"}).addTo(map);
        (options.labels || []).forEach(function (l) {
            L.marker([l[1], l[2]], {
                interactive: false, keyboard: false,
                icon: L.divIcon({className: "province-label", html: l[0], iconSize: null})
            }).addTo(map);
        });
        if (options.legend) {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "map-legend");
                div.innerHTML = options.legend;
                return div;
            };
            legend.addTo(map);
        }
    };
})(window);
