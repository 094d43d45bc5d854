"""Streamlit glue shared by dashboard.py and pages/: cached loading, state keys, common widgets.

Only this package and the page scripts import streamlit; ``lib/`` stays testable without it.
"""
