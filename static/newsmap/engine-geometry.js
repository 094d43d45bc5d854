/*
 * Pure helpers of the time engine: a binary search over day-sorted rows, great-circle
 * distances, and an index of boxes (container pixels) that answers "does this overlap
 * anything placed?" in constant time however many labels are placed. Newsmap.geometry.
 */
(function (root) {
    "use strict";
    var Newsmap = root.Newsmap || (root.Newsmap = {});

    function lowerBound(arr, value) {
        var lo = 0, hi = arr.length;
        while (lo < hi) {
            var mid = (lo + hi) >> 1;
            if (arr[mid] < value) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }

    function haversineKm(lat1, lon1, lat2, lon2) {
        var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
        var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
            Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 6371.0088 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }

    function overlaps(a, b) {
        return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }

    /**
     * Boxes placed so far, bucketed on a grid so that a check costs the same at 2,000 labels.
     * Cells are numbered (no strings built): thousands of candidate boxes are checked per step.
     */
    function BoxIndex(cell) {
        this.cell = cell;
        this.grid = new Map();
        this.all = [];
    }
    BoxIndex.prototype.each = function (b, fn) {
        var c = this.cell, x1 = Math.floor((b.x + b.w) / c), y1 = Math.floor((b.y + b.h) / c);
        for (var gx = Math.floor(b.x / c); gx <= x1; gx++) {
            for (var gy = Math.floor(b.y / c); gy <= y1; gy++) {
                if (fn((gx + 1024) * 4096 + gy + 1024)) { return true; }
            }
        }
        return false;
    };
    /** Whether ``b`` overlaps a box here, other than one whose ``pin`` is ``except``. */
    BoxIndex.prototype.hits = function (b, except) {
        var grid = this.grid;
        return this.each(b, function (key) {
            var bucket = grid.get(key);
            if (!bucket) { return false; }
            for (var j = 0; j < bucket.length; j++) {
                if ((except === undefined || bucket[j].pin !== except) && overlaps(b, bucket[j])) { return true; }
            }
            return false;
        });
    };
    BoxIndex.prototype.add = function (b) {
        var grid = this.grid;
        this.each(b, function (key) {
            var bucket = grid.get(key);
            if (bucket) { bucket.push(b); } else { grid.set(key, [b]); }
            return false;
        });
        this.all.push(b);
    };

    Newsmap.geometry = {lowerBound: lowerBound, haversineKm: haversineKm, overlaps: overlaps, BoxIndex: BoxIndex};
})(typeof window !== "undefined" ? window : this);
