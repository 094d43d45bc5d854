/*
 * The reader edition's panels, as HTML built from data through the one escaper (Newsmap.esc):
 * a place's events in the view and every passage naming it, the events table, and the article
 * reader. The reader edition (edition.js), the single-file export (standalone.js) and the app
 * (reader.js) draw them with these same functions. Pure: data in, HTML out.
 *
 *   Newsmap.placePanel(place, view, D, opts)   place: lib/map/panel.py place_data()
 *   Newsmap.eventsTable(D, view, opts)         the events in view, one row each
 *   Newsmap.articleReader(article, at)         article: lib/edition/publish.py article_data()
 *
 * Buttons carry data-article (and data-at, a character offset) to open the article reader,
 * data-place to open a place; the page listens for them. Where there is no article reader
 * (the single-file export: D.noReader), an article is named in a <cite>, not a button; where
 * the reader is another page (the app: opts.articleHref(article, place, at)), it is a link.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var esc = Newsmap.esc;
    // An event record: [id, iso date, day, precision, basis, type, claimant, status, summary,
    //                   quote, casualties, [articles], [contested with], corroboration]
    var ID = 0, DATE = 1, DAY = 2, PREC = 3, BASIS = 4, TYPE = 5, CLAIMANT = 6, STATUS = 7,
        SUMMARY = 8, QUOTE = 9, FIGURES = 10, ARTICLES = 11, RIVALS = 12, REPORTED = 13;

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

    /** One rule for "contested", as lib/data/events.py has it: it answers another claim, or
     *  its status says the claim is disputed. */
    function contested(ev) { return ev[RIVALS].length > 0 || ev[STATUS] === "disputed"; }
    Newsmap.isContested = contested;

    /** An article's name: a button that opens the reader, a link to the page that shows it
     *  (``opts.articleHref``), or plain text where there is none. */
    function articleLink(D, opts, link, label) {
        if (opts && opts.articleHref) {
            return "<a class='nme-link' target='_self' href='" +
                esc(opts.articleHref(link.article, link.place, link.at)) + "'>" + esc(label) + "</a>";
        }
        if (D.noReader) { return "<cite class='nme-cite'>" + esc(label) + "</cite>"; }
        var attrs = "data-article='" + esc(link.article) + "'" +
            (link.at !== undefined ? " data-at='" + esc(link.at) + "'" : "") +
            (link.place ? " data-place='" + esc(link.place) + "'" : "");
        return "<button type='button' class='nme-link' " + attrs + ">" + esc(label) + "</button>";
    }

    function dayLabel(iso) {
        var p = iso.split("-");
        return (+p[2]) + " " + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"][+p[1] - 1] + " " + p[0];
    }

    function precisionNote(precision) {
        return precision === "day" ? "" : precision === "undated" ? " (undated)" : " (approximate)";
    }

    function card(ev, place, D, opts, elsewhere) {
        var k = D.types.indexOf(ev[TYPE]), colour = k >= 0 ? D.colours[k] : "#999";
        var ink = k >= 0 && D.textOn ? D.textOn[k] : "#111";
        var label = k >= 0 ? D.typeLabels[k] : ev[TYPE];
        var sources = ev[ARTICLES].map(function (a) {
            return articleLink(D, opts, {article: a}, place.headlines[a] || a);
        }).join(", ");
        var changed = place.changes && Object.prototype.hasOwnProperty.call(place.changes, ev[ID]) ?
            place.changes[ev[ID]] : null;
        return "<article class='nme-ev' style='border-left-color:" + esc(colour) + "'>" +
            "<div class='nme-meta'><b" + (ev[BASIS] ? " title='" + esc(ev[BASIS]) + "'" : "") + ">" +
            (ev[PREC] === "undated" ? "by " : "") + esc(dayLabel(ev[DATE])) + precisionNote(ev[PREC]) + "</b> · " +
            "<span class='nme-tag' style='background:" + esc(colour) + ";color:" + esc(ink) + "'>" +
            esc(label) + "</span> · " + (ev[CLAIMANT] ? esc(ev[CLAIMANT]) + " · " : "") + esc(ev[STATUS]) +
            " <span class='nme-id'>[" + esc(ev[ID]) + "]</span>" +
            (contested(ev) ? " <span class='nme-tag nme-contested'>contested</span>" : "") +
            (elsewhere ? " <span class='nme-id'>(" + esc(elsewhere) + ")</span>" : "") + "</div>" +
            "<p>" + esc(ev[SUMMARY]) + "</p>" +
            (ev[FIGURES] ? "<div class='nme-meta'>Figures: " + esc(ev[FIGURES]) + "</div>" : "") +
            (ev[REPORTED] ? "<div class='nme-meta'>Reported by: " + esc(ev[REPORTED]) + "</div>" : "") +
            (ev[QUOTE] ? "<blockquote>“" + esc(ev[QUOTE]) + "”</blockquote>" : "") +
            "<div class='nme-meta'>Source: " + sources + "</div>" +
            (changed ? "<div class='nme-meta'>Last changed by " + esc(changed[0]) + " on " + esc(changed[1]) + "</div>" : "") +
            "</article>";
    }

    /** The events of ``place`` in ``view``, a contested one beside the claims it answers. */
    function cards(place, view, D, opts) {
        var shown = {}, out = [], here = {}, rivals = {};
        var events = place.events.filter(function (ev) { return inView(ev, view, D); });
        events.forEach(function (ev) { here[ev[ID]] = true; });
        place.rivals.forEach(function (ev) { rivals[ev[ID]] = ev; });
        events.slice().reverse().forEach(function (ev) {   // newest first
            if (shown[ev[ID]]) { return; }
            shown[ev[ID]] = true;
            if (!ev[RIVALS].length) { out.push(card(ev, place, D, opts)); return; }
            var others = ev[RIVALS].filter(function (id) { return rivals[id] && !shown[id] && !here[id]; })
                .map(function (id) { shown[id] = true; return rivals[id]; });
            out.push("<div class='nme-meta'><b>Contested</b>: the claims side by side" +
                (others.length ? esc(" (with " + Newsmap.plural(others.length, "rival claim") +
                    " from elsewhere or other dates)") : "") + "</div>" +
                "<div class='nme-side'>" + [card(ev, place, D, opts)].concat(others.map(function (r) {
                    return card(r, place, D, opts, "another place or date");
                })).join("") + "</div>");
        });
        return {html: out.join(""), count: events.length};
    }

    function marked(sentence, start, end) {
        return esc(sentence.slice(0, start)) + "<mark>" + esc(sentence.slice(start, end)) + "</mark>" +
            esc(sentence.slice(end));
    }

    Newsmap.placePanel = function (place, view, D, opts) {
        var shape = place.pin ? "a point" : "an area of about " + place.km + " km around the marker";
        var made = cards(place, view, D, opts);
        var dates = Newsmap.dateCaption(D.first, view);
        // [article, sentence, name start, name end, offset in the article, from a photo caption]
        var passages = place.passages.map(function (p) {
            return "<li class='nme-passage'>" + (p[5] ? "<span class='nme-meta'>Photo caption:</span> " : "") +
                marked(p[1], p[2], p[3]) + "<br><span class='nme-meta'>— " +
                articleLink(D, opts, {article: p[0], at: p[4], place: place.id}, place.headlines[p[0]] || p[0]) +
                "</span></li>";
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

    /** The type index of every event (its first row's), once per data set. */
    var typesOf = null, typesFor = null;
    function eventTypes(D) {
        if (typesFor !== D) {
            typesOf = new Int32Array(D.events.x.length);
            for (var k = 0; k < D.rows.e.length; k++) { typesOf[D.rows.e[k]] = D.rows.t[k]; }
            typesFor = D;
        }
        return typesOf;
    }

    /** The events in ``view``, newest first, one row each (at most ``opts.rows``, 200 unless
     *  said): date, places (buttons with data-place), type, claimant, status, summary. Above
     *  the engine's INFO_MAX events there is no per-event text in D: it says so. */
    Newsmap.eventsTable = function (D, view, opts) {
        var limit = (opts && opts.rows) || 200, found = Newsmap.eventsInView(D, view), types = eventTypes(D);
        var head = "<h2>Events in view <span class='nme-meta'>(" + esc(Newsmap.dateCaption(D.first, view)) + ": " +
            esc(Newsmap.plural(found.events.length, "event")) + ", newest first)</span></h2>";
        if (!D.info) {
            return head + "<p class='nme-meta'>Too many events to list here: open a place for its events" +
                esc((opts && opts.more) || "") + ".</p>";
        }
        var rows = found.events.slice(0, limit).map(function (e) {
            var info = D.info[e], where = found.places[e].map(function (p) {
                return "<button type='button' class='nme-link' data-place='" + esc(D.places[p][0]) + "'>" +
                    esc(D.places[p][1]) + "</button>";
            }).join(", ");
            return "<tr><td>" + esc(info[0]) + "</td><td>" + where + "</td><td>" + esc(D.typeLabels[types[e]]) +
                "</td><td>" + esc(info[1]) + "</td><td>" + esc(info[2]) +
                (D.events.x[e] ? " <span class='nme-contested-text'>contested</span>" : "") +
                "</td><td>" + esc(info[3]) + (info[5] ? " <span class='nme-id'>[" + esc(info[5]) + "]</span>" : "") +
                "</td></tr>";
        });
        if (!rows.length) { return head + "<p class='nme-meta'>No events in these dates and filters.</p>"; }
        return head + "<div class='nme-scroll' tabindex='0' role='region' aria-label='Events table'>" +
            "<table><thead><tr><th scope='col'>Date</th><th scope='col'>Place</th><th scope='col'>Type</th>" +
            "<th scope='col'>Claimant</th><th scope='col'>Status</th><th scope='col'>Summary</th></tr></thead><tbody>" +
            rows.join("") + "</tbody></table></div>" +
            (found.events.length > limit ? "<p class='nme-meta'>" + esc(Newsmap.plural(found.events.length - limit, "more event")) +
                ": narrow the dates or filters, or open a place" + esc((opts && opts.more) || "") + ".</p>" : "");
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
