"""Composing reports from a study's frames: the quote appendix (Word or Markdown), the workbook of
every analysis table, and the table bundle behind ``thematic export tables``.

These functions take ``StudyFrames`` (see ``analysis.frames``) and call the pure analysis
functions, then the writers; the ``Study`` facade and the CLI are thin shells over them.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._version import __version__
from ..analysis import (
    agreement,
    attribute_tallies,
    code_matrix,
    cooccurrence,
    disagreements,
    frequencies,
    frequency_wide,
    select_quotes,
    with_labels,
)
from ..analysis.frames import StudyFrames
from ..analysis.frequency import ALL_GROUP, population_note
from ..analysis.selection import (
    _as_list,
    entry_table,
    resolve_coders,
    resolve_codes,
    resolve_groups,
    value_key,
)
from ..errors import Errors, InputError
from .tables import codings_table, format_of, write_quotes_markdown, write_tables
from .word import AppendixContent, write_quote_appendix

_STYLE_NOTES = {
    "pseudonym-role": ("participant id and {role}", "participant id"),
    "name-role": ("pseudonymised name and {role}", "pseudonymised name"),
    "role": ("{role} only", "role (none is recorded, so 'participant')"),
}


def _attribution_note(style: str, quotes: pd.DataFrame, participants: pd.DataFrame, role_attribute: str = "role") -> str:
    """How quotes are attributed, with an example taken from the quotes themselves."""
    has_role = role_attribute in participants.columns and participants[role_attribute].notna().any()
    with_role, without = _STYLE_NOTES[style]
    what = with_role.format(role=role_attribute) if has_role else without
    example = next((str(a) for a in quotes["attribution"] if isinstance(a, str) and a), None) if len(quotes) else None
    return what + (f", e.g. {example}" if example else "")


def _png(fig, where: str) -> bytes:  # type: ignore[no-untyped-def]
    from ..analysis.charts import missing_glyphs_reported

    buf = io.BytesIO()
    with missing_glyphs_reported(where):
        fig.savefig(buf, format="png", dpi=200)
    return buf.getvalue()


def _shown_entries(frames: StudyFrames, freq: pd.DataFrame, quotes: pd.DataFrame, codes: list[str] | None,
                   groups_given: bool) -> pd.DataFrame:
    """Entries with codings (and, with a group filter, with quotes), plus the headings above them."""
    cb = frames.codebook
    entries = entry_table(cb, freq["code_id"].unique())
    counted = set(freq.loc[(freq.group == ALL_GROUP) & (freq.n_segments > 0), "code_id"])
    quoted = set(quotes["code_id"])
    keep = set()
    for code in entries["code_id"]:
        if codes is not None and code not in codes:
            continue
        if code in counted and (not groups_given or code in quoted or any(
                d.id in quoted for d in (cb.descendants(code) if cb is not None and code in cb else []))):
            keep.add(code)
            if cb is not None and code in cb:
                keep.update(a.id for a in cb.ancestors(code))
    return entries.loc[entries["code_id"].isin(keep)].reset_index(drop=True)


def appendix_content(
    frames: StudyFrames,
    *,
    codes: str | Iterable[str] | None = None,
    by: str | None = None,
    groups: str | Iterable[str] | None = None,
    max_quotes: int | None = None,
    order: str = "participant",
    style: str = "pseudonym-role",
    charts: bool = False,
    table: bool = True,
    title: str | None = None,
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    chosen: Iterable[str] = (),
    documents: str | Iterable[str] | None = None,
    document_label: str = "neutral",
    source: str = "kind",
) -> AppendixContent:
    """Compute everything the quote appendix shows (see ``report_quotes`` for the options)."""
    _check_title(title)
    wanted = resolve_codes(frames.codebook, codes)
    coder = resolve_coders(frames.codings, coder)  # [E409] for a coder with no codings; as stored otherwise
    group_list = resolve_groups(frames.participants, by, groups)  # [E410]/[E411] rather than an empty appendix
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, by=by,
                       coder=coder, include_suggested=include_suggested, documents=documents, source=source,
                       coverage=frames.coverage)
    if by and group_list is not None:
        freq = freq.loc[freq["group"].isin([ALL_GROUP, *group_list])]
    quotes = select_quotes(frames.codings, frames.segments, frames.participants, frames.codebook, codes=wanted,
                           by=by, groups=group_list, max_quotes=max_quotes, order=order, style=style,
                           chosen=chosen, coder=coder, include_suggested=include_suggested,
                           documents=frames.documents, document_label=document_label, in_documents=documents)
    if group_list is not None and quotes.empty:
        _no_quotes_from(frames, by, group_list, wanted=wanted, coder=coder, include_suggested=include_suggested,
                        documents=documents)
    entries = _shown_entries(frames, freq, quotes, wanted, group_list is not None)
    figures: tuple[tuple[str, bytes], ...] = ()
    if charts:
        from ..analysis.charts import frequency_chart

        shown = freq.loc[freq["code_id"].isin(entries["code_id"])]
        # Groups differ in size, so by group the bars show the share of each group.
        value, what = ("pct_participants", f"Share of participants in each {by} (%)") if by else \
            ("n_participants", "Participants")
        every = shown.loc[shown["group"] == ALL_GROUP]  # codes by group would make a chart pages long
        figures = (
            (f"{what} per theme.",
             _png(frequency_chart(shown, level="theme", value=value), "the appendix's theme chart")),
            ("Participants per code.",
             _png(frequency_chart(every, level="code", value="n_participants"), "the appendix's code chart")),
        )
    return AppendixContent(
        title=title or "Appendix: quotes by theme", entries=entries, frequencies=freq, quotes=quotes,
        subtitle=frames.name, by=by, show_table=table, figures=figures,
        notes=_notes(frames, freq, _attribution_note(style, quotes, frames.participants), max_quotes, order, coder,
                     include_suggested, by, group_list)
        + ((f"Documents: {', '.join(_as_list(documents) or [])}.",) if documents else ())
        + _left_out_note(frames, entries, wanted),
    )


def _left_out_note(frames: StudyFrames, entries: pd.DataFrame, wanted: list[str] | None) -> tuple[str, ...]:
    """A note naming the codable codes (of those asked for) the appendix leaves out for want of a quote, so a code
    nobody coded reads as no evidence rather than an omission."""
    cb = frames.codebook
    if cb is None:
        return ()
    shown = set(entries["code_id"])
    missing = [c for c in cb.codable() if c.id not in shown and (wanted is None or c.id in wanted)]
    if not missing:
        return ()
    named = sorted(f"{c.label} ({cb.theme_of(c.id).label})" for c in missing)
    return (f"Codes with no quote here, not shown: {'; '.join(named)}.",)


def _check_title(title: str | None) -> None:
    """[E419] for a title holding a character no Word file can hold, before anything is computed or written."""
    from .._spreadsheet import illegal_character

    found = illegal_character(title) if isinstance(title, str) else None
    if found is not None:
        raise InputError(Errors.E419.format(position=found[0], char=found[1]))


def _no_quotes_from(frames: StudyFrames, by: str | None, groups: list[str], *, wanted: list[str] | None,
                    coder: list[str] | None, include_suggested: bool,
                    documents: str | Iterable[str] | None) -> None:
    """[E418] for an appendix whose groups have no quote (it would be empty), naming the groups that have some;
    nothing is raised when the study has no quote at all (the appendix is then empty whatever the groups)."""
    every = select_quotes(frames.codings, frames.segments, frames.participants, frames.codebook, codes=wanted,
                          by=by, coder=coder, include_suggested=include_suggested, in_documents=documents)
    if every.empty:
        return
    from ..analysis.ordering import natural_order

    scope = " in the codes asked for" if wanted is not None else ""
    scope += " in the documents asked for" if documents else ""
    raise InputError(Errors.E418.format(attribute=by, groups=" or ".join(groups), scope=scope,
                                        known=", ".join(natural_order(every["group"].dropna()))))


def _notes(frames: StudyFrames, freq: pd.DataFrame, attributed: str, max_quotes: int | None, order: str,
           coder: object, include_suggested: bool, by: str | None, groups: list[str] | None) -> tuple[str, ...]:
    cb = frames.codebook
    counted = "manual and accepted codings" + (" and unreviewed suggestions" if include_suggested else "")
    who = f" by {', '.join(_as_list(coder) or [])}" if coder else " by all coders"
    notes = [
        f"Codebook: {cb.name}, version {cb.version}." if cb is not None else "No codebook: codes are listed as applied.",
        f"Counts: {counted}{who}. {population_note(freq)}",
        f"Quotes are verbatim from the pseudonymised transcripts, attributed by {attributed}, "
        f"with document and turn or time."
        + (f" At most {max_quotes} per code, one per participant first." if max_quotes else "")
        + (" Chosen quotes first." if order == "chosen" else ""),
    ]
    if frames.consensus_note and not coder:
        notes.append(frames.consensus_note)
    if by and groups is not None:
        notes.append(f"Only quotes from participants whose {by} is {', '.join(groups)}.")
    notes.append(f"Generated on {date.today():%d %B %Y} with thematic {__version__}.")
    return tuple(notes)


def report_quotes(frames: StudyFrames, path: str | Path, *, template: str | Path | None = None,
                  paper: str | None = None, **options: object) -> Path:
    """Write the quote appendix: Word (.docx) or Markdown (.md), chosen by the file's suffix.

    Args:
        frames: The study's frames (``load_frames(study)``).
        path: Output file, e.g. ``reports/appendix.docx``.
        template: A .docx whose styles (headings, ``Quote``, ...) the appendix uses.
        paper: ``A4`` or ``Letter`` (thematic.toml's ``[report] paper``; default from the locale).
        **options: codes, by, groups, max_quotes, order (participant | document | chosen), style
            (pseudonym-role | name-role | role), charts, table, title, coder, include_suggested,
            chosen, documents (id patterns), document_label (neutral | title | id); see
            ``appendix_content``.
    """
    fmt = format_of(path, allowed=("docx", "md"))
    content = appendix_content(frames, **options)  # type: ignore[arg-type]
    if fmt == "md":
        return write_quotes_markdown(content, path)
    return write_quote_appendix(content, path, template=template, paper=paper)


def _attribute_columns(participants: pd.DataFrame, max_values: int = 12) -> list[str]:
    """Attributes worth a by-group sheet: 2 to ``max_values`` values, spellings of one value counted once."""
    from ..analysis.attributes import is_personal

    return [c for c in participants.columns if not is_personal(c)
            and 1 < participants[c].dropna().map(value_key).nunique() <= max_values]


def analysis_tables(
    frames: StudyFrames,
    *,
    by: str | Iterable[str] | None = None,
    coders: str | Iterable[str] | None = None,
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every analysis table of the study, with a one-line description of each.

    ``by`` defaults to every participant attribute with 2-12 values; agreement tables are included
    when ``coders`` names two or more coders.
    """
    cb, f = frames.codebook, frames
    coder = resolve_coders(f.codings, coder)  # [E409] for a coder with no codings; as stored otherwise
    kw = {"coder": coder, "include_suggested": include_suggested}
    seen = {"coverage": f.coverage}  # with a coder: N = the participants that coder saw
    tables: dict[str, pd.DataFrame] = {}
    desc: dict[str, str] = {}

    def add(name: str, df: pd.DataFrame, text: str) -> None:
        tables[name], desc[name] = df, text

    freq = frequencies(f.codings, f.segments, f.participants, cb, **kw, **seen)
    add("Frequencies", freq, "Segments, documents and participants (n of N) per theme and code. "
        + population_note(freq) + (f" {f.consensus_note}" if f.consensus_note and not coder else ""))
    for attr in _as_list(by) if by is not None else _attribute_columns(f.participants):
        grouped = frequencies(f.codings, f.segments, f.participants, cb, by=attr, **kw, **seen)
        add(f"By {attr}", frequency_wide(grouped),
            f"Participants (n of N) per theme and code, by {attr}. " + population_note(grouped))
    add("Code x participant", with_labels(code_matrix(f.codings, f.segments, f.participants, cb, **kw), cb),
        "Coded segments per theme/code and participant.")
    add("Code x document", with_labels(code_matrix(f.codings, f.segments, f.participants, cb, columns="document",
                                                   **kw), cb), "Coded segments per theme/code and document.")
    cooc = cooccurrence(f.codings, f.segments, cb, min_count=1, **kw)
    add("Co-occurrence", cooc, "Pairs of codes applied to the same segment: counts and Jaccard index.")
    add("Co-occurrence by participant", cooccurrence(f.codings, f.segments, cb, unit="participant", min_count=1, **kw),
        "Pairs of codes applied to the same participant.")
    if len(f.participants.columns) > 1:
        add("Attributes", attribute_tallies(f.participants), "Participants per attribute value (n of N).")
    coder_list = _as_list(coders)
    if coder_list and len(coder_list) >= 2:
        table = agreement(f.codings, f.segments, coders=coder_list, codebook=cb, n_boot=n_boot, seed=seed,
                          include_suggested=include_suggested, coverage=f.coverage)
        shared = int(table["n_shared"].iloc[0]) if len(table) else 0
        add("Agreement", table, f"Agreement of {', '.join(coder_list)} per code over the {shared} segment(s) all of "
            "them saw" + (" with bootstrap 95% intervals." if n_boot > 0 else " (no intervals)."))
        add("Disagreements", disagreements(f.codings, f.segments, coders=coder_list, codebook=cb,
                                           include_suggested=include_suggested, coverage=f.coverage),
            "Segments the coders coded differently, for reconciliation.")
    add("Codings", codings_table(f.codings, f.segments, cb, **kw), ("Every manual and accepted coding" + (" and unreviewed suggestion" if include_suggested else "")
         + (f" by {', '.join(_as_list(coder) or [])}" if coder else "")
         + " with its location (the turn it starts in, or 'turns 3-4'); column counted is FALSE for a coding "
           "the other tables do not count: only on interviewer turns, "
           + ("" if coder else "superseded by the consensus coding (column superseded), ")
           + "or whose quote a re-ingest lost"
           + (" (a coder's own tables count the codings a consensus supersedes: column superseded)." if coder
              else ".")))
    add("Codebook", entry_table(cb, f.codings["code_id"].dropna().unique()), "Themes and codes with definitions.")
    return tables, desc


def default_coders(frames: StudyFrames, configured: Iterable[str]) -> list[str] | None:
    """The configured coders with codings (those a consensus supersedes too) or recorded coverage, if at least two
    (else None: no agreement); counted as ``agreement`` counts them, so reconciling never drops a coder."""
    from ..analysis.intercoder import spelt_as_stored
    from ..analysis.selection import select_codings

    names = spelt_as_stored(frames.codings, list(configured), frames.coverage)
    present = set(select_codings(frames.codings, coder=names)["coder"].dropna().astype(str))
    if frames.coverage is not None and "coder" in frames.coverage:
        present |= set(frames.coverage["coder"].dropna().astype(str))
    found = [c for c in names if c in present]
    return found if len(found) >= 2 else None


def report_workbook(frames: StudyFrames, path: str | Path, **options: object) -> Path:
    """Write every analysis table as a sheet of one .xlsx workbook (options as ``analysis_tables``)."""
    format_of(path, allowed=("xlsx",))  # a coded error for any other suffix
    tables, desc = analysis_tables(frames, **options)  # type: ignore[arg-type]
    return write_tables(tables, path, format="xlsx", descriptions=desc)[0]


def export_tables(frames: StudyFrames, path: str | Path, *, format: str | None = None,
                  **options: object) -> list[Path]:
    """Write every analysis table as CSV or Parquet files in a folder, or one XLSX workbook."""
    tables, desc = analysis_tables(frames, **options)  # type: ignore[arg-type]
    return write_tables(tables, path, format=format, descriptions=desc)
