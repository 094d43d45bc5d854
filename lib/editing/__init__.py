"""Editing the data files without losing anyone's work, one concern per module:

- ``snapshot``: what an editor loaded (rows and the fingerprint of the bytes), and writing rows
  back so that they read back as meant;
- ``diff``: rows added, changed and deleted between two versions;
- ``merge``: the three-way merge of an editor's rows with the version on disk;
- ``saving``: locked, atomic, fingerprint-checked saves with backups;
- ``grid``: the events table as ``st.data_editor`` shows it;
- ``forms``: the place and article forms;
- ``corpus``: adding an article as one transaction, and recovering an interrupted add;
- ``drafts`` and ``drafting``: drafting events from a new article, and names to look up;
- ``review_list``: an article's drafts, accepted, edited or dropped before they join events.csv;
- ``review``: review states, who approved, and the second approver;
- ``preview``: a small map to preview rows on;
- ``history``: the append-only edit history.

Imports ``lib.data``, ``lib.places``, ``lib.map``, ``lib.access``.
"""
