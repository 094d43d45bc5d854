"""The reader edition: a folder of static files (``index.html``, content-hashed assets and data)
that any web server or CDN serves to any number of readers, drawn by the same engine as the app.
``publish`` builds it atomically. Imports ``lib.data``, ``lib.places``, ``lib.map``,
``lib.pictures`` and ``lib.editing`` (the history, for the corrections log).
"""
