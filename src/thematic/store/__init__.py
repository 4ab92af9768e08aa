"""The study's SQLite store (DESIGN.md §4): the only package that writes SQL."""

from ._codings import BatchUndo, person_name
from ._participants import ROSTER_SOURCE, AttributeConflict, document_source, source_document
from ._twocoders import spelt_as_known
from .db import Store, coding_from_row
from .schema import SCHEMA_VERSION

__all__ = ["ROSTER_SOURCE", "SCHEMA_VERSION", "AttributeConflict", "BatchUndo", "Store", "coding_from_row", "document_source",
           "person_name", "source_document", "spelt_as_known"]
