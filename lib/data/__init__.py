"""The data: ``events.csv``, the gazetteer, the articles, their schema, loading and checks.

The column rules and labels are declared in ``datapackage.json`` (read by ``schema``);
``package`` describes the events CSV that the exports and the reader edition carry.

Loaders never raise on bad content; they return the good rows and ``Problem`` records (file,
row, column, message, hint). Also here: text folding and escaping (``text``), durable writes
(``storage``) and the settings read from the environment (``settings``). Imports nothing else
from ``lib``.
"""
