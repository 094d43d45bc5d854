/*
 * The timeline control: date caption, per-day chart, slider (one thumb, or two in window
 * mode), Play/Pause with speeds. It repaints itself and calls onInput on every input event
 * (the map restyles at once, no server round trip) and onSettle when the scrub settles
 * (release, a pause in key presses, Pause), which is when the rest of the page catches up.
 *
 *   var t = new Newsmap.Timeline(element, config, {onInput: fn(view), onSettle: fn(view)});
 *   t.update(config); t.setCounts({events, places}); t.view -> {mode, start, end, first}
 * handlers.holdChart: draw the chart's bars only when showChart() is called (the app page
 * draws the map first: its chart waits for the map's first paint).
 *
 * config: {first: "YYYY-MM-DD", ndays, mode: "cumulative"|"window", start, end (day offsets),
 *          firstEventDay, types: [...], colours: [...], typeLabels: [...],
 *          perDay: [[day, typeIndex, count], ...], label}
 * The chart's bars sit exactly under the slider's thumb positions for their day.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});
    var esc = function (v) { return Newsmap.esc ? Newsmap.esc(v) : String(v); };
    var SPEEDS = [1, 2, 4];            // days per second
    var THUMB = 18;                    // px, as in timeline.css
    var SETTLE_MS = 250;               // quiet time after a key press before the page catches up
    /** The Play button's icons, inline: they need no emoji font (static markup, no data). */
    var PLAY_ICONS = {
        play: "<svg class='nmt-icon' viewBox='0 0 10 10' width='10' height='10' aria-hidden='true' focusable='false'>" +
            "<path d='M1.5 .5v9l8-4.5z' fill='currentColor'/></svg>",
        pause: "<svg class='nmt-icon' viewBox='0 0 10 10' width='10' height='10' aria-hidden='true' focusable='false'>" +
            "<path d='M1.5 .5h2.6v9H1.5zM5.9 .5h2.6v9H5.9z' fill='currentColor'/></svg>"
    };

    function el(tag, cls, parent) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (parent) { parent.appendChild(e); }
        return e;
    }

    function Timeline(host, config, handlers) {
        this.host = host;
        this.on = handlers || {};
        this.playing = null;
        this.speed = 4;
        this._settleTimer = null;
        this.chartHeld = !!this.on.holdChart;
        this._build();
        this.update(config, true);
    }
    Newsmap.Timeline = Timeline;

    Timeline.prototype._build = function () {
        var self = this, box = el("div", "nmt", null);
        this.caption = el("p", "nmt-caption", box);
        this.dateEl = el("strong", "nmt-date", this.caption);
        this.caption.appendChild(document.createTextNode(": "));
        this.countEl = el("span", "nmt-counts", this.caption);
        var row = el("div", "nmt-row", box);
        this.play = el("button", "nmt-play", row);
        this.play.type = "button";
        this.play.setAttribute("aria-pressed", "false");
        this.speedEl = el("select", "nmt-speed", row);
        this.speedEl.setAttribute("aria-label", "Play speed");
        SPEEDS.forEach(function (s) {
            var o = el("option", null, self.speedEl);
            o.value = String(s);
            o.textContent = s + "×  (" + s + " day" + (s === 1 ? "" : "s") + "/s)";
        });
        this.speedEl.value = String(this.speed);
        this.track = el("div", "nmt-track", row);
        this.chart = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        this.chart.setAttribute("class", "nmt-chart");
        this.chart.setAttribute("aria-hidden", "true");
        this.track.appendChild(this.chart);
        this.startInput = el("input", "nmt-range nmt-start", this.track);
        this.endInput = el("input", "nmt-range nmt-end", this.track);
        [this.startInput, this.endInput].forEach(function (input) {
            input.type = "range";
            input.min = "0";
            input.step = "1";
        });
        var axis = el("div", "nmt-axis", this.track);
        this.axisFirst = el("span", null, axis);
        this.axisLast = el("span", null, axis);
        this.host.appendChild(box);
        this.box = box;

        var onInput = function (ev) {
            var s = +self.startInput.value, e = +self.endInput.value;
            if (self.view.mode === "window" && s > e) {
                // Thumbs cannot cross: the one being dragged pushes the other.
                if (ev.target === self.startInput) { self.endInput.value = s; } else { self.startInput.value = e; }
            }
            if (self.playing) { self.pause(false); }
            self._read();
            self._paint();
            if (self.on.onInput) { self.on.onInput(self.view); }
            self._settleSoon(SETTLE_MS * 4);
        };
        var onChange = function () { self._pointer = false; self._settleSoon(SETTLE_MS); };
        [this.startInput, this.endInput].forEach(function (input) {
            input.addEventListener("input", onInput);
            input.addEventListener("change", onChange);
            // While a finger or the mouse holds the thumb, the scrub has not settled, however
            // long the reader pauses: the release ("change") settles it.
            input.addEventListener("pointerdown", function () { self._pointer = true; });
        });
        // A release settles at once (the reader has chosen the day); key presses wait for a
        // pause (SETTLE_MS), so that holding an arrow key does not rerun the page per day.
        root.addEventListener("pointerup", function () {
            if (self._pointer) { self._pointer = false; self.settle(); }
        }, true);
        this.play.addEventListener("click", function () {
            if (self.playing) { self.pause(true); } else { self.start(); }
        });
        this.speedEl.addEventListener("change", function () {
            self.speed = +self.speedEl.value;
            if (self.playing) { self._schedule(); }
        });
        if (root.ResizeObserver) {
            new root.ResizeObserver(function () {
                self._width = self.track.clientWidth;
                self._drawChart();
                self._paint();
            }).observe(this.track);
        }
    };

    /** New data from Python (dates, mode, chart). Keeps the reader's live position unless the
     * page itself moved the view (a different start/end than the last one settled). */
    Timeline.prototype.update = function (config, first) {
        var old = this.config;
        this.config = config;
        // The page echoing the view this control settled on is not a move: by the time the
        // rerun's data arrives the reader may have moved on (a key pressed right after a
        // settle), and resetting to the echo would undo that input.
        var echo = !first && old && old.first === config.first && old.ndays === config.ndays &&
            JSON.stringify([config.mode, config.start, config.end]) === this._settledKey;
        var moved = !echo && (first || !old || old.mode !== config.mode || old.first !== config.first ||
            old.start !== config.start || old.end !== config.end || old.ndays !== config.ndays);
        if (moved && !this.playing) {
            this.view = {mode: config.mode, start: config.start, end: config.end, first: config.first};
        }
        var max = Math.max(0, config.ndays - 1);
        this.startInput.max = this.endInput.max = String(max);
        var windowMode = config.mode === "window";
        this.view.mode = config.mode;
        this.startInput.hidden = !windowMode;
        this.box.classList.toggle("nmt-window", windowMode);
        this.startInput.setAttribute("aria-label", "First day shown");
        this.endInput.setAttribute("aria-label", windowMode ? "Last day shown" : (config.label || "Show events up to"));
        this.startInput.value = String(this.view.start);
        this.endInput.value = String(this.view.end);
        this.play.disabled = max === 0;
        this.axisFirst.textContent = Newsmap.shortDay(Newsmap.isoDay(config.first, 0));
        this.axisLast.textContent = Newsmap.shortDay(Newsmap.isoDay(config.first, max));
        this._drawChart();
        this._paint();
        return moved;
    };

    Timeline.prototype._read = function () {
        this.view.end = +this.endInput.value;
        this.view.start = this.view.mode === "window" ? +this.startInput.value : 0;
    };

    Timeline.prototype.setCounts = function (counts) {
        this.counts = counts;
        this.countEl.textContent = Newsmap.countCaption(counts);
    };

    /** Caption, thumbs' accessible values, play button and the chart's shaded range. */
    Timeline.prototype._paint = function () {
        var c = this.config, v = this.view;
        this.dateEl.textContent = Newsmap.dateCaption(c.first, v);
        var endIso = Newsmap.isoDay(c.first, v.end);
        this.endInput.setAttribute("aria-valuetext", Newsmap.longDay(endIso));
        this.startInput.setAttribute("aria-valuetext", Newsmap.longDay(Newsmap.isoDay(c.first, v.start)));
        if (this.endInput.value !== String(v.end)) { this.endInput.value = String(v.end); }
        if (this.startInput.value !== String(v.start)) { this.startInput.value = String(v.start); }
        var playing = this.playing ? "pause" : "play";
        if (this._playShown !== playing) {
            // Icons drawn here, not emoji: "⏸" was an empty box where no emoji font is installed.
            this._playShown = playing;
            this.play.innerHTML = PLAY_ICONS[playing] + (this.playing ? "Pause" : "Play");
        }
        this.play.setAttribute("aria-pressed", this.playing ? "true" : "false");
        this.play.setAttribute("aria-label", this.playing ? "Pause" : "Play the timeline, one day per step");
        if (this.shade) {
            var a = v.mode === "window" ? v.start : 0;
            var x0 = this._x(a) - this._dx() / 2, x1 = this._x(v.end) + this._dx() / 2;
            this.shade.setAttribute("x", String(Math.max(0, x0)));
            this.shade.setAttribute("width", String(Math.max(0, x1 - Math.max(0, x0))));
        }
        root.newsmapView = this.fullView ? this.fullView(v) : v;
    };

    /** The track's width (px). Read once per resize: reading it per input event forced a
     * layout of the page in the middle of a drag. */
    Timeline.prototype._trackWidth = function () {
        if (!this._width) { this._width = this.track.clientWidth; }
        return this._width || 600;
    };

    /** x of a day's thumb centre inside the track (the same for chart and slider). */
    Timeline.prototype._x = function (day) {
        var w = this._trackWidth(), max = Math.max(1, this.config.ndays - 1);
        return THUMB / 2 + (w - THUMB) * day / max;
    };
    Timeline.prototype._dx = function () {
        return (this._trackWidth() - THUMB) / Math.max(1, this.config.ndays - 1);
    };

    Timeline.prototype._drawChart = function () {
        var c = this.config, svg = this.chart, h = 44, w = this._trackWidth();
        if (!c) { return; }
        svg.setAttribute("viewBox", "0 0 " + w + " " + h);
        svg.setAttribute("width", String(w));
        svg.setAttribute("height", String(h));
        if (this.chartHeld) {
            svg.innerHTML = "<rect class='nmt-shade' x='0' y='0' width='0' height='" + h + "'></rect>";
            this.shade = svg.firstChild;
            return;
        }
        var totals = new Array(c.ndays).fill(0);
        (c.perDay || []).forEach(function (r) { totals[r[0]] += r[2]; });
        var peak = Math.max(1, Math.max.apply(null, totals.concat([1])));
        var bw = Math.max(1, Math.min(18, this._dx() * 0.7)), parts = [];
        parts.push("<rect class='nmt-shade' x='0' y='0' width='0' height='" + h + "'></rect>");
        var stack = new Array(c.ndays).fill(0), self = this;
        (c.perDay || []).slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).forEach(function (r) {
            var bh = (h - 2) * r[2] / peak, y = h - stack[r[0]] - bh;
            stack[r[0]] += bh;
            parts.push("<rect x='" + (self._x(r[0]) - bw / 2).toFixed(1) + "' y='" + y.toFixed(1) + "' width='" +
                bw.toFixed(1) + "' height='" + bh.toFixed(1) + "' fill='" + esc(c.colours[r[1]]) + "'><title>" +
                esc(Newsmap.longDay(Newsmap.isoDay(c.first, r[0])) + ": " + r[2] + " " + c.typeLabels[r[1]]) +
                "</title></rect>");
        });
        svg.innerHTML = parts.join("");
        this.shade = svg.querySelector(".nmt-shade");
    };

    /** Draw the chart's bars, if they were held back (handlers.holdChart). */
    Timeline.prototype.showChart = function () {
        if (!this.chartHeld) { return; }
        this.chartHeld = false;
        this._drawChart();
        this._paint();
    };

    Timeline.prototype._settleSoon = function (ms) {
        var self = this;
        clearTimeout(this._settleTimer);
        if (this._pointer) { return; }
        this._settleTimer = setTimeout(function () { self.settle(); }, ms);
    };

    Timeline.prototype.settle = function () {
        clearTimeout(this._settleTimer);
        this._settleTimer = null;
        var key = JSON.stringify([this.view.mode, this.view.start, this.view.end]);
        if (key === this._settledKey) { return; }
        this._settledKey = key;
        if (this.on.onSettle) { this.on.onSettle(this.view); }
    };

    /** Play from here; from the first day with events when at the end or before that day. */
    Timeline.prototype.start = function () {
        var c = this.config, v = this.view, max = c.ndays - 1;
        if (v.end >= max || v.end < (c.firstEventDay || 0)) {
            var width = v.mode === "window" ? v.end - v.start : 0;
            v.end = Math.min(max, Math.max(c.firstEventDay || 0, width));
            v.start = v.mode === "window" ? v.end - width : 0;
        }
        this.playing = {shown: 0, from: v.end, started: performance.now()};
        root.newsmapPlay = this.playing;
        this._paint();
        if (this.on.onInput) { this.on.onInput(v); }
        this._schedule();
    };

    Timeline.prototype._schedule = function () {
        var self = this;
        clearTimeout(this._timer);
        var period = 1000 / this.speed, next = performance.now() + period;
        var tick = function () {
            if (!self.playing) { return; }
            var v = self.view, max = self.config.ndays - 1;
            if (v.end >= max) { self.pause(true); return; }
            // Exactly one day per tick, never skipped, whatever the frame rate.
            v.end += 1;
            if (v.mode === "window") { v.start += 1; }
            self.playing.shown += 1;
            self._paint();
            if (self.on.onInput) { self.on.onInput(v); }
            next += period;
            var wait = next - performance.now();
            if (wait < 0) { self.playing.late = (self.playing.late || 0) + 1; next = performance.now(); wait = 0; }
            self._timer = setTimeout(tick, wait);
        };
        this._timer = setTimeout(tick, period);
    };

    Timeline.prototype.pause = function (settle) {
        clearTimeout(this._timer);
        if (this.playing) { this.playing.ended = performance.now(); this.playing.to = this.view.end; }
        this.playing = null;
        this._paint();
        if (settle) { this.settle(); }
    };
})(window);
