"""Editing the data files without losing anyone's work: snapshots, diffs and three-way merges,
locked atomic saves with backups, the place and article forms, drafting from an article
(``snapshot``), and the append-only edit history (``history``). Imports ``lib.data``,
``lib.places``, ``lib.map``, ``lib.access``.
"""
