"""One reader per format, kept in a ``catalogue`` registry under versioned names.

A reader takes the file's bytes, its display path and ``ReaderOptions`` and returns a ``Parsed``
(text + turns). Third-party readers can be registered under new names and chosen per file with
``format = "..."`` in thematic.toml.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Callable, Mapping

import catalogue

from ..._limits import DEFAULT_SIZE_LIMITS
from ..normalise import read_text
from ..parsed import Parsed

readers = catalogue.create("thematic", "readers", entry_points=False)

#: The reader used for each sniffed format.
FORMAT_READERS = {
    "text": "thematic.text.v1",
    "docx": "thematic.docx.v1",
    "vtt": "thematic.vtt.v1",
    "srt": "thematic.srt.v1",
    "csv": "thematic.survey_csv.v1",
    "xlsx": "thematic.survey_xlsx.v1",
    "pdf": "thematic.pdf.v1",
    "odt": "thematic.odt.v1",
    "rtf": "thematic.rtf.v1",
}


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """What a reader may need beyond the bytes: labels known to be speakers, survey settings, and the split of
    a stored survey into questions and attributes (``columns``: its columns keep their roles), and the most text
    a table may yield (``max_chars``: ``max_file_mb``, a character a byte)."""

    known_labels: tuple[str, ...] = ()
    interviewer_labels: tuple[str, ...] = ()
    survey: Mapping[str, Any] = field(default_factory=dict)
    key: str | None = None
    columns: Mapping[str, Any] | None = None
    max_chars: int = DEFAULT_SIZE_LIMITS.max_file_bytes


Reader = Callable[[bytes, str, ReaderOptions], Parsed]


def _with_warnings(parsed: Parsed, warnings: list[str]) -> Parsed:
    if not warnings:
        return parsed
    return dataclasses.replace(parsed, warnings=tuple(warnings) + parsed.warnings)


@readers.register("thematic.text.v1")
def read_text_transcript(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """Plain text or markdown transcript."""
    from .text import parse_text

    text, warnings = read_text(data, path)
    parsed = parse_text(text, path, known=options.known_labels, interviewer_labels=options.interviewer_labels)
    return _with_warnings(parsed, warnings)


@readers.register("thematic.docx.v1")
def read_docx_transcript(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """Word .docx transcript."""
    from .docx import read_docx

    return read_docx(data, path, known=options.known_labels, interviewer_labels=options.interviewer_labels)


@readers.register("thematic.pdf.v1")
def read_pdf_transcript(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """PDF transcript with a text layer (each segment keeps its page)."""
    from .pdf import read_pdf

    return read_pdf(data, path, known=options.known_labels, interviewer_labels=options.interviewer_labels)


@readers.register("thematic.odt.v1")
def read_odt_transcript(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """OpenDocument text (.odt) transcript."""
    from .odt import read_odt

    return read_odt(data, path, known=options.known_labels, interviewer_labels=options.interviewer_labels)


@readers.register("thematic.rtf.v1")
def read_rtf_transcript(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """RTF transcript (speaker labels written as ``Name:``)."""
    from .rtf import read_rtf

    return read_rtf(data, path, known=options.known_labels, interviewer_labels=options.interviewer_labels)


def _subtitles(fmt: str) -> Reader:
    def read(data: bytes, path: str, options: ReaderOptions) -> Parsed:
        from .subtitles import read_subtitles

        text, warnings = read_text(data, path)
        return _with_warnings(read_subtitles(text, path, fmt), warnings)

    read.__doc__ = f"{fmt.upper()} subtitles."
    return read


readers.register("thematic.vtt.v1", func=_subtitles("vtt"))
readers.register("thematic.srt.v1", func=_subtitles("srt"))


@readers.register("thematic.survey_csv.v1")
def read_survey_csv(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """Survey export as CSV or TSV."""
    from .survey import read_survey
    from .table import load_csv

    rows, warnings = load_csv(data, path, suffix=PurePath(path).suffix.lower(), keep_empty=True)
    return _with_warnings(read_survey(rows, path, "csv", options=options.survey, key=options.key,
                                      previous=options.columns, max_chars=options.max_chars), warnings)


@readers.register("thematic.survey_xlsx.v1")
def read_survey_xlsx(data: bytes, path: str, options: ReaderOptions) -> Parsed:
    """Survey export as an Excel workbook (the first visible sheet unless ``sheet`` is set; W017 names the other
    sheets that hold cells)."""
    from ...errors import Warnings
    from .survey import check_options, read_survey
    from .table import load_xlsx_sheet

    key = options.key or path
    check_options(options.survey, key, path)  # a sheet = 2 is E525, before any sheet is looked for
    rows, warnings, title, others = load_xlsx_sheet(data, path, sheet=options.survey.get("sheet"), keep_empty=True,
                                                    max_chars=options.max_chars)
    if others:
        warnings.insert(0, Warnings.W017.format(path=path, read=title, others=", ".join(f"'{o}'" for o in others),
                                                example=others[0], key=key))
    return _with_warnings(read_survey(rows, path, "xlsx", options=options.survey, key=options.key,
                                      previous=options.columns, max_chars=options.max_chars, sheet=title,
                                      other_sheets=others), warnings)


def get_reader(fmt: str) -> Reader:
    """The reader for a sniffed format (``text``, ``docx``...) or a registered name."""
    return readers.get(FORMAT_READERS.get(fmt, fmt))  # type: ignore[no-any-return]


__all__ = ["FORMAT_READERS", "ReaderOptions", "get_reader", "readers"]
