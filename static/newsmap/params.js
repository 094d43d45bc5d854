/*
 * The view in the address bar, with the app's parameter names (lib/map/viewstate.py:
 * state_from_params / state_to_params), so a permalink from the app opens the same view in
 * the reader edition and the reverse. Pure functions of their inputs.
 *
 *   Newsmap.readParams("?to=2021-09-01&type=clash", D, places)
 *     -> {view: {mode, start, end, types, claimants, articles, place}, read, at, notes: [...]}
 *   Newsmap.writeParams(view, D, {read, at}) -> "to=2021-09-01&type=clash"
 *
 * D is the engine's data (lib/map/engine.py engine_data); ``places`` the place ids a link may
 * select. Each value that cannot be honoured is left out with a note, worded as the app's.
 * ``read`` (an article id) and ``at`` (a character offset in it) open the article reader.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var VIEW = ["to", "from", "mode", "place", "type", "claimant", "article"];
    var READER = ["read", "at"];
    Newsmap.PARAMS = VIEW.concat(READER);

    /** A real calendar day written YYYY-MM-DD, as Python's date.fromisoformat reads it. */
    function isoDate(value) {
        if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) { return null; }
        var d = new Date(value + "T00:00:00Z");
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : null;
    }

    function list(params, name) {
        var out = [];
        params.getAll(name).forEach(function (item) {
            item.split(",").forEach(function (part) { part = part.trim(); if (part) { out.push(part); } });
        });
        return out;
    }

    /** Which event types occur in the data (the app's Bounds.types). */
    function presentTypes(D) {
        var seen = {};
        for (var i = 0; i < D.rows.t.length; i++) { seen[D.rows.t[i]] = true; }
        return D.types.filter(function (_t, k) { return seen[k]; });
    }

    Newsmap.readParams = function (search, D, places) {
        var params = new URLSearchParams(search || ""), notes = [];
        var first = D.first, last = Newsmap.isoDay(D.first, Math.max(0, D.ndays - 1));
        params.forEach(function (_value, key) {
            if (Newsmap.PARAMS.indexOf(key) < 0 && notes.indexOf("'" + key + "'") < 0) {
                notes.push("'" + key + "' is not a parameter of this map; ignored");
            }
        });
        var toRaw = params.get("to"), fromRaw = params.get("from");
        var end = isoDate(toRaw), start = isoDate(fromRaw);
        if (toRaw && !end) { notes.push("'to=" + toRaw + "' is not a date (YYYY-MM-DD); showing up to the last day"); }
        if (fromRaw && !start) { notes.push("'from=" + fromRaw + "' is not a date (YYYY-MM-DD); ignored"); }
        [["to", end], ["from", start]].forEach(function (pair) {
            if (pair[1] && (pair[1] < first || pair[1] > last)) {
                notes.push("'" + pair[0] + "=" + pair[1] + "' is outside the data (" + first + " to " + last + "); clamped");
            }
        });
        var clamp = function (d) { return d < first ? first : (d > last ? last : d); };
        end = end ? clamp(end) : last;
        start = start ? clamp(start) : null;
        var modeRaw = params.get("mode");
        var mode = modeRaw === "cumulative" || modeRaw === "window" ? modeRaw : (start ? "window" : "cumulative");
        if (modeRaw && mode !== modeRaw) { notes.push("'mode=" + modeRaw + "' is not known; ignored"); }
        if (mode === "window") {
            start = start || first;
            if (start > end) { notes.push("'from' is after 'to'; swapped"); var s = start; start = end; end = s; }
        }
        function pick(name, allowed) {
            var chosen = [];
            list(params, name).forEach(function (value) {
                if (allowed.indexOf(value) >= 0) {
                    if (chosen.indexOf(value) < 0) { chosen.push(value); }
                } else {
                    notes.push("'" + name + "=" + value + "' is not known; ignored");
                }
            });
            return chosen;
        }
        // In the app's order, so the notes read the same.
        var place = params.get("place") || null;
        if (place && places.indexOf(place) < 0) {
            notes.push("'place=" + place + "' is not a known place; ignored");
            place = null;
        }
        var types = pick("type", presentTypes(D));
        var claimants = pick("claimant", D.claimants);
        var articles = pick("article", D.articles);
        var at = params.get("at"), read = params.get("read") || null;
        if (at !== null && !/^\d{1,9}$/.test(at)) { notes.push("'at=" + at + "' is not a position in the article; ignored"); at = null; }
        return {
            view: {
                mode: mode,
                start: mode === "window" ? Newsmap.dayDiff(first, start) : 0,
                end: Newsmap.dayDiff(first, end),
                types: types, claimants: claimants, articles: articles, place: place
            },
            read: read,
            at: at === null ? null : +at,
            notes: notes
        };
    };

    Newsmap.writeParams = function (view, D, extra) {
        var out = new URLSearchParams();
        out.set("to", Newsmap.isoDay(D.first, view.end));
        if (view.mode === "window") {
            out.set("from", Newsmap.isoDay(D.first, view.start));
            out.set("mode", "window");
        }
        if (view.types && view.types.length) { out.set("type", view.types.join(",")); }
        if (view.claimants && view.claimants.length) { out.set("claimant", view.claimants.join(",")); }
        if (view.articles && view.articles.length) { out.set("article", view.articles.join(",")); }
        if (view.place) { out.set("place", view.place); }
        extra = extra || {};
        if (extra.read) { out.set("read", extra.read); }
        if (extra.read && extra.at !== null && extra.at !== undefined) { out.set("at", String(extra.at)); }
        return out.toString();
    };

    /**
     * The events of a view, newest first, and per event the places it is at: what the events
     * table lists. ``ignoreDates`` keeps every day (for the timeline's chart).
     */
    Newsmap.eventsInView = function (D, view, ignoreDates) {
        var R = D.rows, ok = filterTest(D, view);
        var lo = 0, hi = R.d.length, start = view.mode === "window" ? view.start : 0;
        var order = [], where = {};
        for (var i = lo; i < hi; i++) {
            if (!ignoreDates && (R.d[i] < start || R.d[i] > view.end)) { continue; }
            if (!ok(R.t[i], R.c[i], R.e[i])) { continue; }
            var e = R.e[i];
            if (!where[e]) { where[e] = []; order.push(e); }
            if (where[e].indexOf(R.p[i]) < 0) { where[e].push(R.p[i]); }
        }
        order.reverse();   // rows are in day order: newest last
        return {events: order, places: where};
    };

    /** Distinct events per day and type under the view's filters: the timeline's chart. */
    Newsmap.perDay = function (D, view) {
        var R = D.rows, ok = filterTest(D, view), seen = {}, counts = {};
        for (var i = 0; i < R.d.length; i++) {
            var e = R.e[i];
            if (seen[e] || !ok(R.t[i], R.c[i], e)) { continue; }
            seen[e] = true;
            var key = R.d[i] + ":" + R.t[i];
            counts[key] = (counts[key] || 0) + 1;
        }
        return Object.keys(counts).map(function (k) {
            var p = k.split(":");
            return [+p[0], +p[1], counts[k]];
        });
    };

    function filterTest(D, view) {
        var types = {}, claimants = {}, articles = {};
        (view.types || []).forEach(function (t) { types[D.types.indexOf(t)] = true; });
        (view.claimants || []).forEach(function (c) { claimants[D.claimants.indexOf(c)] = true; });
        (view.articles || []).forEach(function (a) { articles[D.articles.indexOf(a)] = true; });
        var anyType = !(view.types || []).length, anyClaimant = !(view.claimants || []).length;
        var anyArticle = !(view.articles || []).length, off = D.events.ao, idx = D.events.ai;
        return function (t, c, e) {
            if (!anyType && !types[t]) { return false; }
            if (!anyClaimant && (c < 0 || !claimants[c])) { return false; }
            if (anyArticle) { return true; }
            for (var j = off[e]; j < off[e + 1]; j++) { if (articles[idx[j]]) { return true; } }
            return false;
        };
    }
})(typeof window !== "undefined" ? window : this);
