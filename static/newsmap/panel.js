/*
 * The reader edition's panels, as HTML built from data through the one escaper (Newsmap.esc):
 * a place's events in the view and every passage naming it (ui/render.py draws the same in
 * the app), and the article reader (pages/1_Articles.py). Pure functions: data in, HTML out.
 *
 *   Newsmap.placePanel(place, view, D)     place: lib/edition/publish.py place_data()
 *   Newsmap.articleReader(article, at)     article: lib/edition/publish.py article_data()
 *
 * Buttons carry data-article (and data-at, a character offset) to open the article reader,
 * data-place to open a place; edition.js listens for them. Where there is no article reader
 * (the single-file export: D.noReader), an article is named in a <cite>, not a button.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var esc = Newsmap.esc;
    // An event record: [id, iso date, day, precision, basis, type, claimant, status, summary,
    //                   quote, casualties, [articles], [contested with]]
    var ID = 0, DATE = 1, DAY = 2, PREC = 3, BASIS = 4, TYPE = 5, CLAIMANT = 6, STATUS = 7,
        SUMMARY = 8, QUOTE = 9, FIGURES = 10, ARTICLES = 11, RIVALS = 12;

    function inView(ev, view, _D) {
        var start = view.mode === "window" ? view.start : 0;
        if (ev[DAY] < start || ev[DAY] > view.end) { return false; }
        if ((view.types || []).length && view.types.indexOf(ev[TYPE]) < 0) { return false; }
        if ((view.claimants || []).length && view.claimants.indexOf(ev[CLAIMANT]) < 0) { return false; }
        if ((view.articles || []).length &&
            !ev[ARTICLES].some(function (a) { return view.articles.indexOf(a) >= 0; })) { return false; }
        return true;
    }
    Newsmap.eventInView = inView;

    /** An article's name: a button that opens the reader, or plain text where there is none.
     *  ``attrs`` is already escaped. */
    function articleLink(D, attrs, label) {
        return D.noReader ? "<cite class='nme-cite'>" + esc(label) + "</cite>" :
            "<button type='button' class='nme-link' " + attrs + ">" + esc(label) + "</button>";
    }

    function dayLabel(iso) {
        var p = iso.split("-");
        return (+p[2]) + " " + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"][+p[1] - 1] + " " + p[0];
    }

    function card(ev, place, D, elsewhere) {
        var k = D.types.indexOf(ev[TYPE]), colour = k >= 0 ? D.colours[k] : "#999";
        var ink = k >= 0 && D.textOn ? D.textOn[k] : "#111";
        var label = k >= 0 ? D.typeLabels[k] : ev[TYPE];
        var sources = ev[ARTICLES].map(function (a) {
            return articleLink(D, "data-article='" + esc(a) + "'", place.headlines[a] || a);
        }).join(", ");
        return "<article class='nme-ev' style='border-left-color:" + esc(colour) + "'>" +
            "<div class='nme-meta'><b" + (ev[BASIS] ? " title='" + esc(ev[BASIS]) + "'" : "") + ">" +
            esc(dayLabel(ev[DATE])) + (ev[PREC] === "day" ? "" : " (approximate)") + "</b> · " +
            "<span class='nme-tag' style='background:" + esc(colour) + ";color:" + esc(ink) + "'>" +
            esc(label) + "</span> · " + (ev[CLAIMANT] ? esc(ev[CLAIMANT]) + " · " : "") + esc(ev[STATUS]) +
            " <span class='nme-id'>[" + esc(ev[ID]) + "]</span>" +
            (ev[RIVALS].length || ev[STATUS] === "disputed" ? " <span class='nme-tag nme-contested'>contested</span>" : "") +
            (elsewhere ? " <span class='nme-id'>(" + esc(elsewhere) + ")</span>" : "") + "</div>" +
            "<p>" + esc(ev[SUMMARY]) + "</p>" +
            (ev[FIGURES] ? "<div class='nme-meta'>Figures: " + esc(ev[FIGURES]) + "</div>" : "") +
            (ev[QUOTE] ? "<blockquote>“" + esc(ev[QUOTE]) + "”</blockquote>" : "") +
            "<div class='nme-meta'>Source: " + sources + "</div></article>";
    }

    /** The events of ``place`` in ``view``, a contested one beside the claims it answers. */
    function cards(place, view, D) {
        var shown = {}, out = [], here = {}, rivals = {};
        var events = place.events.filter(function (ev) { return inView(ev, view, D); });
        events.forEach(function (ev) { here[ev[ID]] = true; });
        place.rivals.forEach(function (ev) { rivals[ev[ID]] = ev; });
        events.slice().reverse().forEach(function (ev) {   // newest first
            if (shown[ev[ID]]) { return; }
            shown[ev[ID]] = true;
            if (!ev[RIVALS].length) { out.push(card(ev, place, D)); return; }
            var others = ev[RIVALS].filter(function (id) { return rivals[id] && !shown[id] && !here[id]; })
                .map(function (id) { shown[id] = true; return rivals[id]; });
            out.push("<div class='nme-meta'><b>Contested</b>: the claims side by side" +
                (others.length ? esc(" (with " + Newsmap.plural(others.length, "rival claim") +
                    " from elsewhere or other dates)") : "") + "</div>" +
                "<div class='nme-side'>" + [card(ev, place, D)].concat(others.map(function (r) {
                    return card(r, place, D, "another place or date");
                })).join("") + "</div>");
        });
        return {html: out.join(""), count: events.length};
    }

    function marked(sentence, start, end) {
        return esc(sentence.slice(0, start)) + "<mark>" + esc(sentence.slice(start, end)) + "</mark>" +
            esc(sentence.slice(end));
    }

    Newsmap.placePanel = function (place, view, D) {
        var shape = place.pin ? "a point" : "an area of about " + place.km + " km around the marker";
        var made = cards(place, view, D);
        var dates = Newsmap.dateCaption(D.first, view);
        var passages = place.passages.map(function (p) {
            return "<li class='nme-passage'>" + marked(p[1], p[2], p[3]) + "<br><span class='nme-meta'>— " +
                articleLink(D, "data-article='" + esc(p[0]) + "' data-at='" + esc(p[4]) + "' data-place='" +
                    esc(place.id) + "'", place.headlines[p[0]] || p[0]) + "</span></li>";
        });
        return "<div class='nme-place-head'><h2 tabindex='-1'>" + esc(place.name) + "</h2>" +
            "<button type='button' class='nme-close' data-close='place' aria-label='Close the panel of " +
            esc(place.name) + "'>×</button>" +
            "<p class='nme-meta'>" + esc(place.kind.charAt(0).toUpperCase() + place.kind.slice(1)) +
            "; precision: " + esc(place.precision) + " (" + esc(shape) + "). Coordinates: " + esc(place.source) + "</p>" +
            "<p><b>" + esc(Newsmap.plural(made.count, "event")) + " here</b> <span class='nme-meta'>(" +
            esc(dates) + ")</span></p></div>" +
            (made.html || "<p class='nme-meta'>No event here in these dates and filters.</p>") +
            "<h3>Every passage naming " + esc(place.name) + " <span class='nme-meta'>(" +
            esc(Newsmap.plural(place.passages.length, "passage")) + ", any spelling)</span></h3>" +
            (passages.length ? "<ol class='nme-passages'>" + passages.join("") + "</ol>" :
                "<p class='nme-meta'>No article names this place.</p>");
    };

    /** The article: metadata, then its text with every place name marked (id m<offset>). */
    Newsmap.articleReader = function (article, at) {
        var text = article.text, pieces = [], pos = 0, hidden = {};
        (article.boilerplate || []).forEach(function (n) { hidden[n] = true; });
        article.mentions.forEach(function (m) {
            pieces.push(esc(text.slice(pos, m[0])));
            var name = article.places[m[2]] || m[2];
            pieces.push("<mark id='m" + m[0] + "' class='nme-mention" + (m[0] === at ? " nme-target" : "") +
                "' title='" + esc(name) + "'>" + esc(text.slice(m[0], m[1])) + "</mark>");
            pos = m[1];
        });
        pieces.push(esc(text.slice(pos)));
        var lines = pieces.join("").split("\n"), raw = text.split("\n"), body = [], skippedHead = false;
        lines.forEach(function (line, i) {
            var plain = raw[i].trim();
            if (!plain || hidden[i + 1]) { return; }
            if (!skippedHead && plain === article.headline) { skippedHead = true; return; }
            body.push("<p>" + line + "</p>");
        });
        var named = Object.keys(article.places).map(function (id) { return article.places[id]; });
        function field(name, value, note) {
            return value ? "<dt>" + esc(name) + "</dt><dd>" + esc(value) +
                (note ? "<br><span class='nme-meta'>" + esc(note) + "</span>" : "") + "</dd>" : "";
        }
        return "<div class='nme-reader-bar'><button type='button' class='nme-back' data-close='reader'>" +
            "← Back to the map</button></div>" +
            "<article class='nme-article'><h2 tabindex='-1'>" + esc(article.headline) + "</h2>" +
            "<dl class='nme-about'>" + field("Outlet", article.outlet || "not identified in the text", article.outletEvidence) +
            field("Published", article.published, article.reasoning) + field("Notes", article.notes) + "</dl>" +
            "<p class='nme-meta'>Places named: " + esc(named.join(", ") || "none") + "</p>" +
            "<div class='nme-text'>" + body.join("") + "</div></article>";
    };
})(typeof window !== "undefined" ? window : this);
