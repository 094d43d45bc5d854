/*
 * The time engine's filter and counts: which events a view keeps (dates, types, claimants,
 * articles) and how many fall on each place. Arithmetic over the typed arrays that engine.js
 * makes from the data; no Leaflet, no DOM.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var Engine = Newsmap.Engine;
    var lowerBound = Newsmap.geometry.lowerBound;

    /** Which events pass the non-date filters: recomputed only when the filters change. */
    Engine.prototype._filters = function (view) {
        var D = this.D, key = JSON.stringify([view.types || [], view.claimants || [], view.articles || []]);
        if (key === this.filterKey) { return; }
        this.filterKey = key;
        var i, types = view.types || [], claimants = view.claimants || [], articles = view.articles || [];
        this.typeOk.fill(types.length ? 0 : 1);
        types.forEach(function (t) { var k = D.types.indexOf(t); if (k >= 0) { this.typeOk[k] = 1; } }, this);
        this.claimOk.fill(claimants.length ? 0 : 1);
        claimants.forEach(function (c) { var k = D.claimants.indexOf(c); if (k >= 0) { this.claimOk[k] = 1; } }, this);
        if (!claimants.length) { this.claimOk[D.claimants.length] = 1; }   // no claimant (-1)
        this.eventOk = null;
        if (articles.length) {
            var wanted = {}, ok = new Uint8Array(D.events.x.length), off = D.events.ao, idx = D.events.ai;
            articles.forEach(function (a) { var k = D.articles.indexOf(a); if (k >= 0) { wanted[k] = 1; } });
            for (i = 0; i < ok.length; i++) {
                for (var j = off[i]; j < off[i + 1]; j++) { if (wanted[idx[j]]) { ok[i] = 1; break; } }
            }
            this.eventOk = ok;
        }
    };

    /** Counts for a view: per place, per place and type; distinct events. Pure arithmetic. */
    Engine.prototype._count = function (view) {
        var R = this.rows, nt = this.nt, D = this.D;
        this._filters(view);
        this.count.fill(0);
        this.typeCount.fill(0);
        this.contested.fill(0);
        this.newest.fill(-1);
        this.stamp += 1;
        if (this.stamp > 4e9) { this.seen.fill(0); this.stamp = 1; }
        var start = view.mode === "window" ? view.start : 0;
        var lo = lowerBound(R.d, start), hi = lowerBound(R.d, view.end + 1);
        var typeOk = this.typeOk, claimOk = this.claimOk, eventOk = this.eventOk, nc = D.claimants.length;
        var events = 0, places = 0;
        for (var i = lo; i < hi; i++) {
            var t = R.t[i], c = R.c[i], e = R.e[i];
            if (!typeOk[t] || !claimOk[c < 0 ? nc : c] || (eventOk && !eventOk[e])) { continue; }
            var p = R.p[i];
            if (this.count[p] === 0) { places += 1; }
            this.count[p] += 1;
            this.typeCount[p * nt + t] += 1;
            this.contested[p] += this.evContested[e];
            this.newest[p] = i;                // rows are in day order: the last is the newest
            if (this.seen[e] !== this.stamp) { this.seen[e] = this.stamp; events += 1; }
        }
        return {events: events, places: places, lo: lo, hi: hi};
    };

    Engine.prototype._mainType = function (p) {
        var best = 0, n = -1, base = p * this.nt;
        for (var t = 0; t < this.nt; t++) {
            if (this.typeCount[base + t] > n) { n = this.typeCount[base + t]; best = t; }
        }
        return best;
    };

    /**
     * The counts of a view ({events, places}) without drawing it; ``count`` and friends then
     * hold that view's numbers until the next call or ``setView``.
     */
    Engine.prototype.countView = function (view) {
        return this._count(this._normalise(view));
    };

    /** A view with its defaults filled in, moved to this data's first day, and clamped. */
    Engine.prototype._normalise = function (view) {
        view = Object.assign({mode: "cumulative", start: 0, end: this.D.ndays - 1}, view);
        if (view.first && view.first !== this.D.first) {
            // A view counted from another first day (the data changed under the page).
            var shift = Newsmap.dayDiff(this.D.first, view.first);
            view = Object.assign({}, view, {start: view.start + shift, end: view.end + shift, first: this.D.first});
        }
        view.end = Math.max(0, Math.min(this.D.ndays - 1, view.end | 0));
        view.start = Math.max(0, Math.min(view.end, view.start | 0));
        return view;
    };
})(typeof window !== "undefined" ? window : this);
