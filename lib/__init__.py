"""The project's Python, in packages by concern; nothing here imports streamlit.

Layers, lowest first; a package imports only from packages listed before it (``tests/test_layout.py``
fails on an upward import, an import cycle, or a private name imported across modules):

- ``lib.data``: the three tables, the article corpus, their schema, loading and checks.
- ``lib.places``: geocoding and the offline gazetteer data.
- ``lib.map``: the map's view state, the time engine's data and the Leaflet page.
- ``lib.access``: editor accounts and logins.
- ``lib.editing``: saves that never lose work, merges, forms, drafts and the edit history.
- ``lib.pictures``: exports for journalists (PNG, GIF, MP4, PDF, SVG, HTML, CSV, GeoJSON).
- ``lib.edition``: the static reader edition for any web server or CDN.
- ``lib.commands``: command implementations that join several packages.

``python -m lib COMMAND`` (``lib.cli``) is the one command line. The ``lib/<name>.py`` files
beside the packages are one-release shims for the old ``python -m lib.<name>`` forms.
"""
