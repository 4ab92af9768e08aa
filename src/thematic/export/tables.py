"""Writing tables to CSV, Parquet or Excel, the codings export, and the Markdown quote export.

Writers take plain frames and write atomically (temp file + rename). They only ever see what the
store holds (pseudonymised at ingest); nothing here reads the study's private folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
import warnings
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._atomic import _clean_stale, atomic_path, check_output, check_target, publish
from .._formats import check_suffix
from .._spreadsheet import write_csv
from ..codebook import Codebook
from ..errors import Errors, InputError, Warnings
from ..analysis.quotes import segment_location, span_location
from ..analysis.selection import SUPERSEDED, coded_segments, entry_table, select_codings, unanchored
from .workbook import flat_frame, write_workbook

TABLE_FORMATS = ("csv", "parquet", "xlsx")


_ALIASES = {"xls": "xlsx", "pq": "parquet", "markdown": "md"}
#: Suffixes that name a format: a file with one of them must be written in that format.
KNOWN_SUFFIXES = ("csv", "parquet", "xlsx", "docx", "md", "xls", "pq", "markdown")


def format_of(path: str | Path, fmt: str | None = None, *, allowed: tuple[str, ...] = TABLE_FORMATS) -> str:
    """The format to write: ``fmt`` if given, else the file's suffix; a coded error if unknown, or if the
    suffix names another format than ``fmt`` (``--format xlsx --out c.csv``)."""
    check_suffix(path, fmt)
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    chosen = _ALIASES.get(chosen, chosen)
    if chosen not in allowed:
        raise InputError(Errors.E405.format(path=path, format=chosen or "(none)", allowed=", ".join(allowed)))
    return chosen


def _atomic(path: Path, write) -> Path:  # type: ignore[no-untyped-def]
    try:
        with atomic_path(path) as tmp:
            write(tmp)
    except OSError as exc:
        raise InputError(Errors.E407.format(path=path, detail=exc.strerror or exc)) from exc
    return path


def write_table(df: pd.DataFrame, path: str | Path, *, format: str | None = None) -> Path:
    """Write one table as CSV (UTF-8 with BOM, so Excel reads accents), Parquet or a one-sheet XLSX."""
    out = Path(path)
    fmt = format_of(out, format)
    if fmt in ("csv", "parquet"):
        return _atomic(out, _table_writer(df, fmt))
    return write_workbook({out.stem[:31] or "table": df}, out)


def _table_writer(df: pd.DataFrame, fmt: str) -> Callable[[Path], None]:
    """What writes ``df`` as CSV (UTF-8 with BOM) or Parquet to the path it is given."""
    flat = flat_frame(df)
    if fmt == "parquet":
        return lambda p: flat.convert_dtypes().to_parquet(p, index=False)

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # its OSError names no temporary file
            write_csv(flat, fh)
    return write


def safe_name(name: str) -> str:
    """A file-name-safe version of a table name: letters (of any script) and digits kept, the rest ``-``."""
    text = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name)).strip("-").lstrip(".").lower()
    return text.encode("utf-8")[:120].decode("utf-8", "ignore").strip("-") or "table"  # a file name's byte limit


def table_file_names(names: Iterable[str], suffix: str) -> list[str]:
    """One file name per table name, in order: ``safe_name`` plus ``-2``, ``-3``… when a name (in any case) is
    taken, so that no table overwrites another on any disk."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = stem = safe_name(name)
        n = 2
        while stem.casefold() in taken:
            stem, n = f"{base}-{n}", n + 1
        taken.add(stem.casefold())
        out.append(f"{stem}.{suffix}")
    return out


#: The hidden file in a tables folder that lists the files the last `export tables` wrote there.
TABLES_MANIFEST = ".thematic-tables.json"
_TABLE_SUFFIXES = (".csv", ".parquet")


def _recorded(folder: Path) -> dict[str, str]:
    """The table files an earlier run recorded in ``folder`` with their SHA-256 (bare names only: a record never
    reaches outside the folder)."""
    try:
        files = json.loads((folder / TABLES_MANIFEST).read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {f: h for f, h in files.items() if isinstance(f, str) and isinstance(h, str) and f == Path(f).name
            and f.endswith(_TABLE_SUFFIXES) and not f.startswith(".")}


def _digest(path: Path) -> str | None:
    """SHA-256 of a plain file (not a link or anything else), None when there is none."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _replace_all(folder: Path, files: Iterable[tuple[Path, Callable[[Path], None]]]) -> None:
    """Write every (path, writer) of ``files`` and the manifest (their checksums) to temporary files in ``folder``,
    then rename them all into place; when a write or rename fails, the files already replaced are put back and no
    temporary file is left.

    Raises:
        InputError: [E417]/[E067] a path that may not be replaced (before anything is written); [E420] a file could
            not be written or replaced, the folder unchanged; [E421] one could not be put back (the files named).
    """
    files = [*files]
    for path in [*(p for p, _ in files), folder / TABLES_MANIFEST]:
        check_target(path)
        check_output(path)
    staged: list[tuple[Path, Path]] = []  # (final path, temporary file holding its new bytes)
    current = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for current, write in files:
            staged.append((current, _staged(current, write)))
        record = {"written_by": "thematic export tables", "files": {p.name: _digest(tmp) for p, tmp in staged}}
        text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
        current = folder / TABLES_MANIFEST
        staged.append((current, _staged(current, lambda p: p.write_text(text, encoding="utf-8"))))
        failed = _swap_in(folder, staged)
    except OSError as exc:
        raise InputError(Errors.E420.format(path=current, detail=exc.strerror or exc, folder=folder)) from exc
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
    if failed is not None:
        raise InputError(Errors.E420.format(path=failed[0], detail=failed[1], folder=folder))


def _staged(path: Path, write: Callable[[Path], None]) -> Path:
    """A temporary file beside ``path`` (named as ``atomic_path`` names them) that ``write`` filled."""
    _clean_stale(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(name))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _swap_in(folder: Path, staged: Sequence[tuple[Path, Path]]) -> tuple[Path, str] | None:
    """Rename each temporary file onto its path, its old file first moved aside, and drop the old files; None, or
    on an OSError (path, why) with every path put back as it was (anything else, such as an interrupt, is raised
    again once they are back).

    Raises:
        InputError: [E421] a path could not be put back (the folder mixes two runs; the files named).
    """
    done: list[tuple[Path, Path | None]] = []  # (path, where its old file went; None when it had none)
    failed: tuple[Path, str] | None = None
    interrupted: BaseException | None = None
    for path, tmp in staged:
        aside = None
        try:
            if _regular(path):
                aside = _staged(path, lambda p: None)
                try:
                    os.replace(path, aside)
                except OSError:
                    aside.unlink(missing_ok=True)
                    raise
            try:
                publish(tmp, path)
            except BaseException:
                if aside is not None:
                    done.append((path, aside))  # its old file goes back below
                raise
        except BaseException as exc:  # an interrupt too: put back what was replaced, then let it through
            failed, interrupted = (path, str(getattr(exc, "strerror", None) or exc)), exc
            break
        done.append((path, aside))
    if failed is None:
        for _, aside in done:
            if aside is not None:
                aside.unlink(missing_ok=True)
        return None
    stuck = []
    for path, aside in reversed(done):
        try:
            if aside is None:
                path.unlink()
            else:
                os.replace(aside, path)
        except OSError:
            stuck.append(path.name)
    if stuck:
        raise InputError(Errors.E421.format(path=failed[0], detail=failed[1], folder=folder,
                                            new=", ".join(sorted(stuck))))
    if not isinstance(interrupted, OSError):
        raise interrupted  # type: ignore[misc]
    return failed


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _write_folder(tables: Mapping[str, pd.DataFrame], folder: Path, fmt: str) -> list[Path]:
    """Write one file per table into ``folder`` and remove the files an earlier run recorded there that this one
    does not write and that nobody changed since (W402), so the folder holds this run's tables; other table files
    are named, never removed (W403). The tables and the manifest are replaced all together or not at all
    (``_replace_all``)."""
    names = table_file_names(tables, fmt)
    earlier = _recorded(folder)
    paths = [folder / name for name in names]
    _replace_all(folder, zip(paths, (_table_writer(df, fmt) for df in tables.values())))
    removed = []
    for f, digest in earlier.items():
        if f not in names and _digest(folder / f) == digest:  # as that run wrote it: its table, not yours
            try:
                (folder / f).unlink()
                removed.append(f)
            except OSError:
                pass  # still there: W403 names it below
    if removed:
        warnings.warn(Warnings.W402.format(path=folder, n=len(removed), files=", ".join(removed)), UserWarning,
                      stacklevel=3)
    others = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in _TABLE_SUFFIXES
                    and not p.name.startswith(".") and unicodedata.normalize("NFC", p.name) not in names)
    if others:
        warnings.warn(Warnings.W403.format(path=folder, n=len(others), files=", ".join(others)), UserWarning,
                      stacklevel=3)
    return paths


def write_tables(tables: Mapping[str, pd.DataFrame], path: str | Path, *, format: str | None = None,
                 descriptions: Mapping[str, str] | None = None) -> list[Path]:
    """Write many tables: one workbook (xlsx), or a folder with one file per table (csv, parquet) that afterwards
    holds this run's tables only (see ``_write_folder``)."""
    out = Path(path)
    suffix = out.suffix.lstrip(".").lower()
    if not suffix or (format and suffix not in KNOWN_SUFFIXES):  # `reports/tables`: a folder, CSV unless told
        fmt = format_of(f"{out}.{format or 'csv'}", format)
    else:
        fmt = format_of(out, format)  # E405 for `tables.xlxs`, E412 for `--format csv --out tables.xlsx`
    if fmt == "xlsx":
        book = out if suffix in ("xlsx", "xls") else out.with_name(f"{out.name}.xlsx")
        return [write_workbook(tables, book.with_suffix(".xlsx"), descriptions=descriptions)]
    if suffix in KNOWN_SUFFIXES:
        out = out.with_suffix("")  # `--out tables.csv` means the folder `tables/`
    return _write_folder(tables, out, fmt)


def stack_crosstabs(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Crosstabs of several attributes by one, as one long table: ``attribute``, ``value``, then the columns."""
    parts = []
    for name, table in tables.items():
        flat = table.copy()
        flat.index.name = "value"
        flat.columns.name = None
        flat = flat.reset_index()
        flat.insert(0, "attribute", name)
        parts.append(flat)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["attribute", "value"])


def write_crosstabs(tables: Mapping[str, pd.DataFrame], path: str | Path, *, format: str | None = None) -> Path:
    """Write crosstabs to the one file ``path``: a sheet each in .xlsx, else stacked (``stack_crosstabs``)."""
    out = Path(path)
    if format_of(out, format) == "xlsx":
        return write_workbook({name: t.rename_axis(index=name, columns=None) for name, t in tables.items()}, out)
    return write_table(stack_crosstabs(tables), out, format=format)


def codings_table(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    all_statuses: bool = False,
) -> pd.DataFrame:
    """Codings for sharing: each with its code's label and theme, the segment's participant and location.

    Without ``all_statuses`` every manual and accepted coding (plus suggested if asked); with it, every
    status including rejected suggestions. ``counted`` says whether the tables (of the same ``coder`` view)
    count it: not on an interviewer's turn alone, not a quote lost at a re-ingest, and without ``coder`` not
    ``superseded`` by a consensus coding (a coder's own tables count their superseded codings).
    """
    statuses = ("manual", "accepted", "suggested", "rejected") if all_statuses else None
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested, statuses=statuses,
                         strict=True, audit=True)
    entries = entry_table(codebook, sel["code_id"].dropna().unique()).set_index("code_id")
    first, last, speaking = _spans(sel, segments)
    lost = unanchored(sel).to_numpy()
    first = [None if gone else f for f, gone in zip(first, lost)]  # a lost quote's offsets point at others' words
    last = [None if gone else x for x, gone in zip(last, lost)]
    sel = sel.assign(segment_id=sel["segment_id"].astype("string").fillna(pd.Series(first, dtype="string")))
    sel.loc[lost, "segment_id"] = pd.NA
    seg_cols = [c for c in ("segment_id", "participant_id", "speaker", "index", "time_start", "kind", "question",
                            "page") if c in segments]
    out = sel.merge(segments[seg_cols], on="segment_id", how="left")
    out.insert(out.columns.get_loc("code_id") + 1, "code_label", out["code_id"].map(entries["label"]))
    out.insert(out.columns.get_loc("code_label") + 1, "theme_id", out["code_id"].map(entries["theme_id"]))
    needed = segments.loc[segments["segment_id"].isin({*out["segment_id"].dropna(), *(x for x in last if x)})] \
        .drop_duplicates("segment_id")
    where = {sid: segment_location(i, t, k, q, pg) for sid, i, t, k, q, pg in zip(
        needed["segment_id"], *(needed[c] if c in needed else [None] * len(needed)
                                for c in ("index", "time_start", "kind", "question", "page")))}
    out["location"] = [span_location(where.get(a, ""), where.get(b, "")) for a, b in zip(out["segment_id"], last)]
    out.loc[lost, "location"] = "quote lost at a re-ingest"
    counted_statuses = {"manual", "accepted"} | ({"suggested"} if include_suggested else set())
    superseded = (out[SUPERSEDED].fillna(False).astype(bool) if SUPERSEDED in out
                  else pd.Series(False, index=out.index)).to_numpy()
    out["superseded"] = superseded
    replaced = superseded if coder is None else np.zeros(len(out), dtype=bool)  # as select_codings counts them
    out["counted"] = (out["status"].isin(counted_statuses).fillna(False).astype(bool).to_numpy()
                      & pd.Series(speaking, dtype=bool).to_numpy() & ~replaced & ~unanchored(out).to_numpy())
    return out.drop(columns=[c for c in ("index", "time_start", "kind", "question", "page", "params") if c in out])


def _spans(codings: pd.DataFrame, segments: pd.DataFrame) -> tuple[list[object], list[object], list[bool]]:
    """For each coding (in order): the segment it starts in, the one it ends in, and whether any of the
    segments it overlaps is a participant's (tables count only those)."""
    keyed = codings.reset_index(drop=True).assign(coding_id=[str(i) for i in range(len(codings))])
    if not len(keyed) or "segment_id" not in segments:
        return [None] * len(keyed), [None] * len(keyed), [False] * len(keyed)
    hits = coded_segments(keyed, segments, include_interviewer=True)
    info = segments[["segment_id", "start"]].rename(columns={"start": "seg_start"}).assign(
        speaking=~segments["is_interviewer"].fillna(False).astype(bool) if "is_interviewer" in segments else True)
    hits = hits[["coding_id", "segment_id"]].merge(info, on="segment_id", how="inner").sort_values(
        ["coding_id", "seg_start"], kind="stable")
    groups = hits.groupby("coding_id", sort=False)
    first, last = groups["segment_id"].first(), groups["segment_id"].last()
    speaking = groups["speaking"].any()
    ids = keyed["coding_id"]
    return (list(ids.map(first).astype(object).where(ids.isin(first.index), None)),
            list(ids.map(last).astype(object).where(ids.isin(last.index), None)),
            [bool(speaking.get(i, False)) for i in ids])


_MD_LINE_START = re.compile(r"^(\s*)([#>+*=|`~_-]|\d+[.)])")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|]|&(?=#?\w+;))")  # `&` that would start an entity (`&amp;`, `&#65;`)


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: inline marks and entity references (``&amp;``) escaped, and a line
    start that would begin a heading, list, quote, rule, table or code fence escaped too."""
    out = []
    for line in str(text).split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        m = _MD_LINE_START.match(line)
        if m and not m.group(2).startswith("\\"):
            mark = m.group(2)
            line = (line[:m.start(2)] + mark[:-1] + "\\" + mark[-1] + line[m.end(2):]) if mark[0].isdigit() \
                else line[:m.start(2)] + "\\" + line[m.start(2):]
        out.append(line)
    return "\n".join(out)


def md_destination(path: str) -> str:
    """A link destination any CommonMark reader follows, whatever the file is called: as it is, or in angle
    brackets when it holds a space, a parenthesis, ``<``, ``>`` or ``\\`` (``<my appendix-figure-1.png>``)."""
    if not re.search(r"[\s\x00-\x1f\x7f()<>\\]", path):
        return path
    return "<" + re.sub(r"([\\<>])", r"\\\1", path).replace("\n", "%0A").replace("\r", "%0D") + ">"


def _md_quote(text: str) -> list[str]:
    """A block quote: every line of the (possibly multi-paragraph) quote starts with ``>``."""
    lines = md_escape(text).split("\n")
    lines[0] = "\u201c" + lines[0]
    lines[-1] = lines[-1] + "\u201d"
    return [f"> {ln}" if ln else ">" for ln in lines]


def _md_table(header: list[str], rows: list[list[object]], bold: list[bool], indents: list[int]) -> list[str]:
    def cell(value: object) -> str:
        return md_escape(" ".join(str(value).split())).replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in header) + " |",
           "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|"]
    for row, strong, depth in zip(rows, bold, indents):
        first = cell(row[0])
        first = f"**{first}**" if strong else "\u00a0\u00a0" * int(depth) + first
        out.append("| " + " | ".join([first, *(cell(v) for v in row[1:])]) + " |")
    return out


def quotes_markdown(content: "AppendixContent", figure_files: Sequence[str] = ()) -> str:  # noqa: F821
    """The appendix as Markdown: the at-a-glance table, charts (``figure_files``: the PNGs' relative
    paths, one per ``content.figures``), then headings per theme and code, definitions, counts and
    block quotes (every line quoted, Markdown marks escaped so a quote never becomes a heading)."""
    from .word import HEADING, appendix_rows, glance_table, summary_line, group_line
    from ..analysis.frequency import ALL_GROUP

    lines = [f"# {md_escape(content.title)}", ""]
    if content.subtitle:
        lines += [f"*{md_escape(content.subtitle)}*", ""]
    lines += [*(f"{md_escape(n)}  " for n in content.notes), ""]
    if content.show_table and len(content.entries):
        table = glance_table(content)
        lines += ["## Themes and codes at a glance", "",
                  *_md_table(table.header, table.rows, table.bold, table.indents), "", f"*{md_escape(table.caption)}*", ""]
    if content.figures and figure_files:
        lines += ["## Charts", ""]
        for i, ((caption, _), name) in enumerate(zip(content.figures, figure_files), start=1):
            lines += [f"![Figure {i}. {md_escape(caption)}]({md_destination(name)})", "",
                      f"*Figure {i}. {md_escape(caption)}*", ""]
    freq = content.frequencies
    by_code = {c: g for c, g in content.quotes.groupby("code_id", sort=False)} if len(content.quotes) else {}
    for row in appendix_rows(content.entries).itertuples(index=False):
        lines += [f"{'#' * min(int(row.depth) + 2, 6)} {md_escape(' '.join(str(row.label).split()))}", ""]
        if row.kind == HEADING:
            continue
        if row.definition:
            lines += [f"*{md_escape(' '.join(str(row.definition).split()))}*", ""]
        overall = freq.loc[(freq.code_id == row.code_id) & (freq.group == ALL_GROUP)]
        if len(overall):
            lines += [md_escape(summary_line(overall) + "."), ""]
        groups = freq.loc[(freq.code_id == row.code_id) & (freq.group != ALL_GROUP)]
        if content.by and len(groups):
            lines += [md_escape(group_line(content.by, groups)), ""]
        for q in by_code.get(row.code_id, pd.DataFrame()).itertuples(index=False):
            source = " \u00b7 ".join(x for x in (q.attribution, q.location) if x)
            lines += [*_md_quote(str(q.text)), ">", f"> \u2014 {md_escape(source)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_quotes_markdown(content: "AppendixContent", path: str | Path) -> Path:  # noqa: F821
    """Write ``quotes_markdown`` to ``path`` atomically, each chart as a PNG beside it (``NAME-figure-1.png``)."""
    out = Path(path)
    names = [f"{out.stem}-figure-{i}.png" for i in range(1, len(content.figures) + 1)]
    for (_, png), name in zip(content.figures, names):
        _atomic(out.with_name(name), lambda p, data=png: p.write_bytes(data))
    text = quotes_markdown(content, names)
    return _atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
