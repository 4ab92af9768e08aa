"""Reading a store file directly, without thematic, in the backup and restore tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def coding_count(db: Path) -> int:
    """How many rows the ``codings`` table of the SQLite file ``db`` holds."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        con.close()
