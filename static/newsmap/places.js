/*
 * One view's places drawn from server-built GeoJSON features (lib.mapview.place_features):
 * what the PNG/GIF/PDF presentation page still uses. The live map and the standalone export
 * use engine.js instead. Defines newsmapPlaces(features, permanentLabels) -> an L.GeoJSON layer.
 */
function newsmapPlaces(data, permanentLabels) {
    var layer = L.geoJson(data, {
        pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            if (p.pin) {
                return L.circleMarker(latlng, {
                    radius: p.r_px, color: p.contested ? "#b00" : "#fff",
                    weight: p.contested ? 3 : 2, dashArray: p.contested ? "4 3" : null,
                    fillColor: p.colour, fillOpacity: 0.95, bubblingMouseEvents: false
                });
            }
            return L.circle(latlng, {
                radius: p.radius_m, color: p.contested ? "#b00" : p.colour,
                weight: p.radius_m > 150000 ? 0 : 2,
                dashArray: p.contested ? "8 5" : null, fillColor: p.colour,
                fillOpacity: p.fill_opacity, bubblingMouseEvents: false
            });
        },
        onEachFeature: function (feature, layer) {
            var p = feature.properties;
            layer.bindTooltip(p.label, {
                permanent: permanentLabels, direction: p.pin ? "right" : "top",
                interactive: true,
                offset: p.pin ? [p.r_px, 0] : [0, 0],
                className: "place-label" + (p.pin ? "" : " area") + (p.contested ? " contested" : "")
            });
            if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 320, maxHeight: 260}); }
        }
    });
    // An area's label sits on the top edge of its circle, so that nested and overlapping
    // areas (valley, province, district) do not stack their labels on one centre.
    // Leaflet's CSS may also arrive after this script (streamlit-folium adds stylesheets
    // last) and labels measured before it are misplaced: so place them again a few times.
    function placeLabels() {
        layer.eachLayer(function (l) {
            var p = l.feature.properties;
            if (!l.getTooltip() || !l.isTooltipOpen()) { return; }
            if (!p.pin) {
                var c = l.getLatLng();
                l.openTooltip(L.latLng(c.lat + p.radius_m / 111320, c.lng));
            } else {
                l.getTooltip().update();
            }
        });
    }
    layer.on("add", function () {
        // window.newsmapLabelsSettled tells tests and exports that labels stopped moving.
        window.newsmapLabelsSettled = false;
        placeLabels();
        [50, 400, 1500].forEach(function (ms) {
            setTimeout(function () {
                placeLabels();
                if (ms === 1500) { window.newsmapLabelsSettled = true; }
            }, ms);
        });
    });
    return layer;
}
