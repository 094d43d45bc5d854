"""The data: ``events.csv``, the gazetteer, the articles, their schema, loading and checks.

Loaders never raise on bad content; they return the good rows and ``Problem`` records (file,
row, column, message, hint). Also here: text folding and escaping (``text``), durable writes
(``storage``) and the settings read from the environment (``settings``). Imports nothing else
from ``lib``.
"""
