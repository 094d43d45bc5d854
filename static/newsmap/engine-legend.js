/*
 * The time engine's legend: its entries (``Newsmap.legendItems``, which the picture pages'
 * header uses too) and the live map's folding legend control.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var esc = Newsmap.esc, WIDE_M = Newsmap.WIDE_M;

    /**
     * The legend's entries as <li> HTML: ``types`` for the event types given (indices into
     * data.types, all when omitted), ``keys`` for how places are drawn. The live map's
     * legend and the picture page's header both use them.
     */
    Newsmap.legendItems = function (D, typeIndices) {
        var shown = typeIndices || D.types.map(function (_t, i) { return i; });
        return {
            types: shown.map(function (i) {
                return "<li data-type='" + esc(D.types[i]) + "'><i style='background:" + esc(D.colours[i]) + "'></i>" +
                    esc(D.typeLabels[i]) + "</li>";
            }).join(""),
            keys: "<li class='key'><i class='pin'></i>exact place, town</li>" +
                "<li class='key'><i class='area'></i>area (circle = uncertainty)</li>" +
                (D.places.some(function (p) { return !p[4] && p[5] > WIDE_M; })
                    ? "<li class='key'><i class='wide'></i>country-wide (outline only)</li>" : "") +
                "<li class='key'><i class='dashed'></i>contested claims ⚑</li>" +
                "<li class='key'>label: place · events</li>"
        };
    };

    Engine.prototype._legend = function () {
        var self = this, D = this.D;
        // Top right: at the bottom, the legend of a map taller than the space left under the
        // page's header was below the first screen (at 1440x900).
        var control = L.control({position: "topright"});
        control.onAdd = function () {
            var box = L.DomUtil.create("details", "nm-legend");
            var items = Newsmap.legendItems(D);
            box.innerHTML = "<summary>Legend</summary><div class='nm-legend-body'>" +
                "<b>Main event type at a place</b><ul class='cols types'>" + items.types + "</ul><ul class='cols'>" +
                items.keys + "</ul></div>";
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            box.addEventListener("toggle", function () {
                if (!self._legendBySelf) { self.userLegend = box.open; }
                self._legendBySelf = false;
                self._controls = null;
            });
            self.legendBox = box;
            return box;
        };
        control.addTo(this.map);
        // The map is often measured before its frame has its size (a few px wide): decide
        // again when it is resized, until the reader opens or closes the legend.
        this.map.on("resize", function () {
            var size = self.map.getSize();
            self._foldLegend(size.x < 480 || size.y < 420);
        });
        // Open on the first screen of a laptop (the map is 580 px wide beside the panel at
        // 1440x900), folded on a phone; it folds anyway where it would cover a place.
        this._foldLegend(this.map.getSize().x < 480 || this.map.getSize().y < 420);
    };

    Engine.prototype._foldLegend = function (fold) {
        if (!this.legendBox || this.userLegend !== null) { return; }
        if (this.legendBox.open === !fold) { return; }
        this._legendBySelf = true;
        this.legendBox.open = !fold;
        this._controls = null;
    };
})(typeof window !== "undefined" ? window : this);
