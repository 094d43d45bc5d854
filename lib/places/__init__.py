"""Places: resolving a name to coordinates (gazetteer first, then offline GeoNames data), the
province outlines, and the script that builds the offline geocoding data. Imports ``lib.data``.
"""
