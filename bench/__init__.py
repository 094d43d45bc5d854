"""Benchmarks, each writing its own section of bench/results.md between markers.

``make bench``: ``bench.live`` (the live timeline in Chromium), ``bench.peer`` (folium's Timeline
plugin) and ``bench.baseline`` (the naive app) with the same drag probe, ``bench.mentions``,
``bench.exports`` and ``bench.load`` (concurrent viewers). By hand: ``bench.hotspots`` (a
settle's server time by function) and ``bench.lighthouse``. Data: ``bench.generate``.
"""
