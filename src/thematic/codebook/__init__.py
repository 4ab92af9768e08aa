"""The versioned codebook (DESIGN.md §3): model, YAML io, validate, diff, migrate."""

from .io import load_codebook, loads_codebook
from .model import Codebook

__all__ = ["Codebook", "load_codebook", "loads_codebook"]
