"""The language-model suggester (``thematic.llm.v1``): prompts, answers, cache, HTTP and in-process backends."""

from .suggester import LLMSuggester

__all__ = ["LLMSuggester"]
