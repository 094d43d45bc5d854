/*
 * What the map engine and the timeline share: the one HTML escaper, plurals, and dates.
 * Days are offsets from the data's first day ("YYYY-MM-DD"), computed in UTC.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
    /** The one escaping point for data that reaches HTML. */
    function esc(value) {
        return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
            return ESC[c];
        });
    }
    Newsmap.esc = esc;

    /** "1,234": thousands separated as en-GB does, without Intl (toLocaleString was the
     * largest single cost of a drag step: it runs for every label). */
    function thousands(n) {
        var s = String(n);
        return Math.abs(n) < 1000 ? s : s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    }
    Newsmap.thousands = thousands;

    function plural(n, word, words) {
        return thousands(n) + " " + (n === 1 ? word : (words || word + "s"));
    }
    Newsmap.plural = plural;

    var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"];
    /** ISO day of offset `off` from `first` (a "YYYY-MM-DD" string), computed in UTC. */
    function isoDay(first, off) {
        var d = new Date(first + "T00:00:00Z");
        d.setUTCDate(d.getUTCDate() + off);
        return d.toISOString().slice(0, 10);
    }
    function longDay(iso) {
        var p = iso.split("-");
        return (+p[2]) + " " + MONTHS[+p[1] - 1] + " " + p[0];
    }
    function shortDay(iso) {
        var p = iso.split("-");
        return (+p[2]) + " " + MONTHS[+p[1] - 1].slice(0, 3);
    }
    Newsmap.isoDay = isoDay;
    Newsmap.longDay = longDay;
    Newsmap.shortDay = shortDay;

    /** "As of 4 September 2021" or "30 Aug – 4 September 2021" (as the live timeline shows). */
    function dateCaption(first, view) {
        var end = isoDay(first, view.end);
        if (view.mode === "window") {
            var start = isoDay(first, view.start);
            return start === end ? longDay(end) : shortDay(start) + " – " + longDay(end);
        }
        return "As of " + longDay(end);
    }
    Newsmap.dateCaption = dateCaption;

    function countCaption(counts) {
        if (!counts.events) { return "no events"; }
        return plural(counts.events, "event") + " at " + plural(counts.places, "place");
    }
    Newsmap.countCaption = countCaption;

    /** Days from ISO day a to ISO day b. */
    Newsmap.dayDiff = function (a, b) {
        return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86400000);
    };
})(typeof window !== "undefined" ? window : this);
