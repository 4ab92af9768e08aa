"""An output's format against its file name: `--format csv --out t.xlsx` would write CSV under a name that lies."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .errors import Errors, InputError

#: Suffixes thematic writes, and the format each one names.
SUFFIX_FORMATS: Mapping[str, str] = {
    "csv": "csv", "tsv": "tsv", "parquet": "parquet", "pq": "parquet", "xlsx": "xlsx", "xls": "xlsx",
    "docx": "docx", "md": "md", "markdown": "md", "json": "json", "png": "png", "svg": "svg", "pdf": "pdf",
    "qdpx": "qdpx", "qdc": "qdc",
}


def check_suffix(path: str | Path, fmt: str | None) -> None:
    """[E412] when ``fmt`` was asked for and ``path``'s suffix names another format thematic knows."""
    if not fmt:
        return
    suffix = Path(path).suffix.lstrip(".").lower()
    chosen = SUFFIX_FORMATS.get(fmt.lower(), fmt.lower())
    if suffix in SUFFIX_FORMATS and SUFFIX_FORMATS[suffix] != chosen:
        raise InputError(Errors.E412.format(path=path, suffix=suffix, format=chosen))
