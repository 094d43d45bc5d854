"""The map: the shareable view state and its filters (``viewstate``), the data the browser's
time engine receives (``engine``), the Leaflet page and its offline assets (``mapview``,
``offline``), colours and links between map and articles. Imports ``lib.data``, ``lib.places``.
"""
