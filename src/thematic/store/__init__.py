"""The study's SQLite store (DESIGN.md §4): the only package that writes SQL."""

from .db import Store, coding_from_row
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "coding_from_row"]
