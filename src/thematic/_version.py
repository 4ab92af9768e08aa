"""The installed package's version, at the bottom so exports and the CLI can name it without importing the package root."""

from __future__ import annotations

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("thematic")
except _metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
