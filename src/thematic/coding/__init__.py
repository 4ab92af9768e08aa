"""Coding: manual coding, search, coding sheets, review, and assisted suggestions.

Light to import: the suggesters (spaCy, scikit-learn, optional embeddings) load from
``thematic.coding.suggest`` and ``thematic.coding.run`` only when used.
"""

from .order import uncertainty_order

__all__ = ["uncertainty_order"]
