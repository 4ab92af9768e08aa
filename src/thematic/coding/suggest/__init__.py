"""Suggesters: rules (keywords/patterns), model (supervised), similarity (embeddings, optional extra), ensemble, llm (a language model you run).

Importing this package registers the built-in suggesters in the ``thematic.suggesters`` registry.
The similarity suggester's heavy dependencies are imported only when it is fitted.
"""

from .base import (
    SHORT_NAMES,
    Suggester,
    check_is_fitted,
    get_suggester,
    resolve_name,
    split_names,
    suggester_names,
    suggesters,
)
from .ensemble import EnsembleSuggester
from .llm import LLMSuggester
from .model import ModelSuggester
from .rules import RulesSuggester
from .similarity import SimilaritySuggester

__all__ = [
    "SHORT_NAMES",
    "EnsembleSuggester",
    "LLMSuggester",
    "ModelSuggester",
    "RulesSuggester",
    "SimilaritySuggester",
    "Suggester",
    "check_is_fitted",
    "get_suggester",
    "resolve_name",
    "split_names",
    "suggester_names",
    "suggesters",
]
