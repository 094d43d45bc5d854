"""Pictures and files for journalists: the presentation page drawn by the time engine, alt text,
PNG/PDF/SVG through headless Chromium (``browser``), GIF/MP4 animation, CSV/GeoJSON, and the
``export`` command. Imports ``lib.data``, ``lib.places``, ``lib.map``.
"""
