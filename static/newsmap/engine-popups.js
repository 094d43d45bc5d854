/*
 * The time engine's popup: a place, its counts per type and its newest events in view. Every
 * piece of data reaches its HTML through esc() (core.js), here and nowhere else.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var esc = Newsmap.esc, plural = Newsmap.plural, lowerBound = Newsmap.geometry.lowerBound;

    /** Popup: the place, its counts per type, its newest events in view (escaped here). */
    Engine.prototype._popup = function (i) {
        var D = this.D, R = this.rows, view = this.view, nt = this.nt, self = this;
        var kinds = [];
        for (var t = 0; t < nt; t++) { if (this.typeCount[i * nt + t]) { kinds.push(t); } }
        kinds.sort(function (a, b) { return self.typeCount[i * nt + b] - self.typeCount[i * nt + a] || a - b; });
        var html = "<b>" + esc(D.places[i][1]) + "</b> <span class='popup-meta'>(" +
            esc(plural(this.count[i], "event")) + ": " +
            kinds.map(function (k) { return self.typeCount[i * nt + k] + " " + esc(D.typeLabels[k]); }).join(", ") +
            ")</span>";
        var info = D.info, items = [], limit = D.popupEvents || 5, more = 0;
        if (info) {
            var start = view.mode === "window" ? view.start : 0;
            var lo = lowerBound(R.d, start);
            for (var r = this.newest[i]; r >= lo && r >= 0; r--) {
                if (R.p[r] !== i || !this.typeOk[R.t[r]] || !this.claimOk[R.c[r] < 0 ? D.claimants.length : R.c[r]] ||
                    (this.eventOk && !this.eventOk[R.e[r]])) { continue; }
                if (items.length >= limit) { more += 1; continue; }
                var e = info[R.e[r]];   // [date label, type, claimant, status, summary, sources]
                items.push("<li><span class='popup-meta'>" + esc(e[0]) + " · " + esc(D.typeLabels[R.t[r]]) +
                    (e[1] ? " — " + esc(e[1]) + ", " : " — ") + esc(e[2]) + "</span>" +
                    (this.evContested[R.e[r]] ? " <b class='nm-contested'>contested</b>" : "") +
                    "<br>" + esc(e[3]) + (e[4] ? "<br><span class='popup-meta'>Source: " + esc(e[4]) + "</span>" : "") +
                    "</li>");
            }
        }
        html += items.length ? "<ol class='popup-events'>" + items.join("") + "</ol>" : "";
        if (more) { html += "<div class='popup-meta'>and " + more + " more</div>"; }
        if (D.popupNote) { html += "<div class='popup-meta'>" + esc(D.popupNote) + "</div>"; }
        var size = this.map.getSize();
        var latlng = this.layers[i].getLatLng();
        if (!D.places[i][4]) {
            var spot = this.placedLabels && this.placedLabels[i];
            if (spot) { latlng = this.map.containerPointToLatLng([spot.box.x + spot.box.w / 2, spot.box.y]); }
        }
        L.popup({maxWidth: Math.max(160, Math.min(320, size.x - 60)), minWidth: Math.min(200, size.x - 80),
            maxHeight: Math.max(120, Math.min(280, size.y - 90)), autoPanPadding: [12, 12],
            className: "nm-popup", pane: "nmPopupPane"})
            .setLatLng(latlng).setContent(html).openOn(this.map);
    };
})(typeof window !== "undefined" ? window : this);
