"""A one-code codebook (``staff``) shared by the survey re-ingest tests."""

STAFF_CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- {id: t_support, label: Support, definition: Help people got.}
codes:
- {id: staff, label: Staff, parent: t_support, definition: Staffing levels.}
"""
