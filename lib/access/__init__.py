"""Who may write: personal editor accounts (``users``), logins and their throttle (``auth``).
Imports ``lib.data``.
"""
