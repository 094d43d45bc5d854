/* The presentation page as an SVG document, for print and graphics desks (lib.export svg).
 *
 * `newsmapToSvg(root)` walks the laid-out page in paint order and writes what it sees:
 * Leaflet's SVG paths (outlines, places, rings) as they are, boxes with a background or border
 * as <rect>/<line>, tiles as <image>, and every line of text as a <text> element at its
 * baseline, in the page's font, so that an editor can select and change labels in a vector
 * tool. Positions are CSS px of the page; the map is clipped to its frame.
 * It draws what this page uses (no gradients, shadows, transforms other than translation).
 */
/* exported newsmapToSvg */
"use strict";

// biome-ignore lint/correctness/noUnusedVariables: a global, called by presentation.js
function newsmapToSvg(root) {
    var page = root.getBoundingClientRect(), parts = [];
    // Liberation Sans (Arial's metrics): the baseline sits 0.212 em above the text box's bottom.
    var DESCENT = 0.212;

    function esc(s) {
        return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
                        .replace(/"/g, "&quot;");
    }
    function num(n) { return String(Math.round(n * 100) / 100); }
    // "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" -> {hex, alpha}; null when transparent.
    function colour(css) {
        var m = /rgba?\(([^)]+)\)/.exec(css || "");
        if (!m) { return null; }
        var v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        var alpha = v.length > 3 ? v[3] : 1;
        if (!alpha) { return null; }
        var hex = "#" + v.slice(0, 3).map(function (c) {
            return ("0" + Math.round(c).toString(16)).slice(-2);
        }).join("");
        return {hex: hex, alpha: alpha};
    }
    function paint(attr, c) {
        return " " + attr + "=\"" + c.hex + "\"" +
               (c.alpha < 1 ? " " + attr + "-opacity=\"" + num(c.alpha) + "\"" : "");
    }
    function dash(style, width) {
        if (style === "dashed") { return " stroke-dasharray=\"" + num(3 * width) + " " + num(2 * width) + "\""; }
        if (style === "dotted") { return " stroke-dasharray=\"" + num(width) + " " + num(width) + "\""; }
        return "";
    }

    function box(s, r) {
        var fill = colour(s.backgroundColor);
        var radius = parseFloat(s.borderTopLeftRadius) || 0;
        if (s.borderTopLeftRadius.indexOf("%") >= 0) { radius = r.width * radius / 100; }
        radius = Math.min(radius, r.width / 2, r.height / 2);
        var sides = ["Top", "Right", "Bottom", "Left"].map(function (side) {
            return {w: parseFloat(s["border" + side + "Width"]) || 0, style: s["border" + side + "Style"],
                    c: colour(s["border" + side + "Color"])};
        });
        var drawn = sides.filter(function (b) { return b.w > 0 && b.style !== "none" && b.c; });
        var uniform = drawn.length === 4 && drawn.every(function (b) {
            return b.w === drawn[0].w && b.style === drawn[0].style && b.c.hex === drawn[0].c.hex;
        });
        if (fill || uniform) {
            var inset = uniform ? drawn[0].w / 2 : 0;
            parts.push("<rect x=\"" + num(r.left + inset) + "\" y=\"" + num(r.top + inset) +
                       "\" width=\"" + num(r.width - 2 * inset) + "\" height=\"" + num(r.height - 2 * inset) + "\"" +
                       (radius ? " rx=\"" + num(Math.max(radius - inset, 0)) + "\"" : "") +
                       (fill ? paint("fill", fill) : " fill=\"none\"") +
                       (uniform ? paint("stroke", drawn[0].c) + " stroke-width=\"" + num(drawn[0].w) + "\"" +
                                  dash(drawn[0].style, drawn[0].w) : "") + "/>");
        }
        if (uniform) { return; }
        var lines = [
            [r.left, r.top, r.right, r.top], [r.right, r.top, r.right, r.bottom],
            [r.left, r.bottom, r.right, r.bottom], [r.left, r.top, r.left, r.bottom]
        ];
        sides.forEach(function (b, i) {
            if (!(b.w > 0 && b.style !== "none" && b.c)) { return; }
            var l = lines[i], h = b.w / 2, vertical = i % 2 === 1;
            var dx = vertical ? (i === 1 ? -h : h) : 0, dy = vertical ? 0 : (i === 0 ? h : -h);
            parts.push("<line x1=\"" + num(l[0] + dx) + "\" y1=\"" + num(l[1] + dy) + "\" x2=\"" +
                       num(l[2] + dx) + "\" y2=\"" + num(l[3] + dy) + "\"" + paint("stroke", b.c) +
                       " stroke-width=\"" + num(b.w) + "\"" + dash(b.style, b.w) + "/>");
        });
    }

    // One <text> per line of a text node: words are measured with a Range and grouped by line.
    function text(node, s) {
        var fill = colour(s.color);
        if (!fill) { return; }
        var size = parseFloat(s.fontSize), lines = [], re = /\S+\s*/g, m;
        var range = document.createRange();
        while ((m = re.exec(node.data)) !== null) {
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].replace(/\s+$/, "").length);
            var r = range.getClientRects()[0];
            if (!r || !r.width) { continue; }
            var line = lines[lines.length - 1];
            if (line && Math.abs(line.bottom - r.bottom) < size / 2) {
                line.text += line.gap + m[0].replace(/\s+$/, "");
                line.bottom = Math.max(line.bottom, r.bottom);
            } else {
                lines.push({text: m[0].replace(/\s+$/, ""), left: r.left, bottom: r.bottom});
                line = lines[lines.length - 1];
            }
            line.gap = /\s$/.test(m[0]) ? " " : "";
        }
        lines.forEach(function (l) {
            parts.push("<text x=\"" + num(l.left) + "\" y=\"" + num(l.bottom - DESCENT * size) +
                       "\" font-family=\"" + esc(s.fontFamily) + "\" font-size=\"" + num(size) + "\"" +
                       (parseInt(s.fontWeight, 10) >= 600 ? " font-weight=\"bold\"" : "") +
                       (s.fontStyle === "italic" ? " font-style=\"italic\"" : "") +
                       paint("fill", fill) + ">" + esc(l.text) + "</text>");
        });
    }

    function walk(el) {
        var s = getComputedStyle(el);
        if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) { return; }
        var r = el.getBoundingClientRect();
        if (el instanceof SVGSVGElement) {
            // Leaflet's renderer: paths are already in this svg's own coordinates.
            var vb = el.getAttribute("viewBox");
            parts.push("<svg x=\"" + num(r.left) + "\" y=\"" + num(r.top) + "\" width=\"" + num(r.width) +
                       "\" height=\"" + num(r.height) + "\"" + (vb ? " viewBox=\"" + esc(vb) + "\"" : "") +
                       " overflow=\"visible\">");
            el.querySelectorAll("path").forEach(function (p) {
                var attrs = ["d", "stroke", "stroke-opacity", "stroke-width", "stroke-linecap",
                             "stroke-linejoin", "stroke-dasharray", "fill", "fill-opacity", "fill-rule"];
                parts.push("<path" + attrs.map(function (a) {
                    var v = p.getAttribute(a);
                    return v === null ? "" : " " + a + "=\"" + esc(v) + "\"";
                }).join("") + "/>");
            });
            parts.push("</svg>");
            return;
        }
        if (el instanceof HTMLImageElement) {
            if (r.width && r.height && el.complete && el.naturalWidth) {
                parts.push("<image href=\"" + esc(el.src) + "\" x=\"" + num(r.left) + "\" y=\"" +
                           num(r.top) + "\" width=\"" + num(r.width) + "\" height=\"" + num(r.height) +
                           "\" preserveAspectRatio=\"none\"/>");
            }
            return;
        }
        var clip = el.classList.contains("leaflet-container");
        if (clip) {
            // The map's frame clips what lies beyond it (tiles, far outlines).
            parts.push("<svg x=\"" + num(r.left) + "\" y=\"" + num(r.top) + "\" width=\"" + num(r.width) +
                       "\" height=\"" + num(r.height) + "\" viewBox=\"" + [r.left, r.top, r.width, r.height].map(num).join(" ") +
                       "\" overflow=\"hidden\">");
        }
        if (r.width && r.height) { box(s, r); }
        el.childNodes.forEach(function (child) {
            if (child.nodeType === Node.TEXT_NODE) {
                if (child.data.trim()) { text(child, s); }
            } else if (child.nodeType === Node.ELEMENT_NODE && child.tagName !== "SCRIPT" &&
                       child.tagName !== "STYLE") {
                walk(child);
            }
        });
        if (clip) { parts.push("</svg>"); }
    }

    walk(root);
    var w = num(page.width), h = num(page.height);
    // The alt text (the page's description) as the drawing's <desc>, named by role="img".
    var meta = document.querySelector("meta[name=description]");
    var desc = meta && meta.content ? "<desc id=\"nm-desc\">" + esc(meta.content) + "</desc>\n" : "";
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
           "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-labelledby=\"nm-title\"" +
           (desc ? " aria-describedby=\"nm-desc\"" : "") + ">\n<title id=\"nm-title\">" +
           esc(document.title) + "</title>\n" + desc +
           "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + parts.join("\n") + "\n</svg>\n";
}
