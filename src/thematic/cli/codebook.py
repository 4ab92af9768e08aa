"""`thematic codebook validate|rules|show|diff|bump|migrate|flagged|export`: thin wrappers over thematic.codebook."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..errors import CodebookError, Errors, StudyError
from ._app import StudyOpt, codebook_app, console, err_console, error_boundary, lit, open_study, refuse_stdout

if TYPE_CHECKING:
    from ..codebook import Codebook, CodebookDiff, MigrationReport

FileArg = Annotated[Optional[Path], typer.Argument(help="Codebook YAML file (default: the study's codebook).")]


class Part(str, Enum):
    major = "major"
    minor = "minor"
    patch = "patch"


class Format(str, Enum):
    docx = "docx"
    md = "md"


def _study_or_none(study: Optional[Path]) -> Any:
    """The study (None when there is none and ``--study`` was not given)."""
    try:
        return open_study(study)
    except StudyError:
        if study is not None:
            raise
        return None


def _codebook_file(s: Any, file: Optional[Path]) -> Path:
    if file is not None:
        return file
    path = s.codebook_path if s is not None else None
    if s is not None and (path is None or not path.is_file()):
        raise CodebookError(s.codebook_problem(Errors.E202.format(where=s.root)))
    if path is None:
        raise CodebookError(Errors.E202.format(where="No FILE given and no study"))
    return Path(path)


@codebook_app.command("validate")
def validate_cli(file: FileArg = None, study: StudyOpt = None,
                 max_share: Annotated[float, typer.Option("--max-share", min=0.0, max=1.0, help="Warn when a keyword or pattern "
                                                          "matches more than this share of the study's segments.")]
                 = 0.1) -> None:
    """Check a codebook and list every problem at once, each with file:line and how to fix it.

    Also warns (W380) about keywords the lemmatiser reads as a different common word ("found" as "find"),
    (W389) about changes entries dated to a release that was frozen without them and, inside a study, (W381)
    about rules that match more than --max-share of its segments and (W385) about codings made under a newer
    version than the file's (a version lowered by hand).
    """
    from ..codebook import load_codebook, validate_codebook
    from ..codebook.release import backdated_warnings
    from ..codebook.usage import ahead_warning

    with error_boundary():
        s = _study_or_none(study)
        path = _codebook_file(s if file is None else None, file)
        problems = validate_codebook(path)
        warnings = [] if problems else _rule_warnings(path, s, max_share)
        if not problems:
            cb = load_codebook(path)
            ahead = ahead_warning(cb, s.store) if s is not None and file is None else None
            backdated = backdated_warnings(cb, s.store if s is not None and file is None else None)
    if problems:
        console.print(f"[bold red]{escape(str(path))}: {len(problems)} problem{'s' if len(problems) != 1 else ''}[/]",
                      highlight=False)
        for p in problems:
            console.print(f"  {escape(str(p))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"[green]{escape(str(path))} is valid[/]: {escape(cb.name)} {lit(cb.version)}, {len(cb.themes)} themes, "
                  f"{len(cb.codes)} codes, {len(cb.change_log)} changes entries.", highlight=False)
    for w in ([ahead] if ahead else []) + backdated:
        console.print(f"  [yellow]{escape(w)}[/]", highlight=False, soft_wrap=True)
    if warnings:
        console.print(f"[yellow]{len(warnings)} warning{'s' if len(warnings) != 1 else ''} about the rules[/] "
                      "(see `thematic codebook rules`):")
        for w in warnings:
            console.print(f"  {escape(str(w))}", highlight=False, soft_wrap=True)


def _rule_warnings(path: Path, s: Any, max_share: float) -> list[Any]:
    """W380 for lemma collisions; W381 for rules too common in the study's segments (when there is a study)."""
    from ..codebook import load_codebook
    from ..coding.rule_check import codebook_rules, corpus_warnings, lemma_warnings, rule_report

    warnings = lemma_warnings(path)
    if s is not None:
        segs = s.store.segments(include_interviewer=False)
        segs = segs[segs["text"].fillna("").str.strip() != ""]
        if len(segs):
            report = rule_report(load_codebook(path), segs, None, codebook_rules(path))
            warnings += corpus_warnings(report, path, len(segs), max_share=max_share)
    return sorted(warnings, key=lambda w: (w.line or 0, w.code))


@codebook_app.command("rules")
def rules_cli(
    code: Annotated[Optional[str], typer.Argument(help="Only this code's rules (default: every code).")] = None,
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Measure on a gold JSON Lines file instead of the "
                                                 "study's segments and manual codings.")] = None,
    file: Annotated[Optional[Path], typer.Option("--codebook", help="Codebook YAML (default: the study's).")] = None,
    study: StudyOpt = None,
) -> None:
    """Show each keyword's and pattern's hits on the study, precision against human codings, and each code's misses."""
    from ..codebook import load_codebook
    from ..coding.rule_check import code_coverage, codebook_rules, rule_report

    with error_boundary():
        s = _study_or_none(study) if (gold is None or file is None) else None
        path = _codebook_file(s, file)
        cb = load_codebook(path)
        if code is not None and code not in {c.id for c in cb.codable()}:
            raise CodebookError(Errors.E340.format(code=code, where=f" in {path}",
                                                   hint="List the codes with `thematic codebook show`."))
        segs, labels, source = _rule_units(s, gold)
        report = rule_report(cb, segs, labels, codebook_rules(path), code=code)
        coverage = code_coverage(cb, segs, labels, code=code) if labels is not None else None
    render_rules(report, coverage, source, len(segs))


def _rule_units(s: Any, gold: Optional[Path]) -> tuple[Any, Any, str]:
    """Segments, human codes (None when there are none) and a description of where they come from."""
    from ..coding.evaluate import read_gold, study_units
    from ..errors import InputError

    if gold is not None:
        units, labels = read_gold(gold)
        return units, labels, f"gold file {gold}"
    if s is None:
        raise StudyError(Errors.E001.format(path=Path.cwd()))
    try:
        units, labels = study_units(s)
        return units, labels, "the study's manually coded documents"
    except InputError:
        segs = s.store.segments(include_interviewer=False)
        return segs[segs["text"].fillna("").str.strip() != ""], None, "the study's segments (no human codings yet)"


def render_rules(report: Any, coverage: Any, source: str, n: int) -> None:
    """Print one row per rule (hits, share, precision), then per code what the rules miss."""
    from rich.markup import escape

    console.print(f"Rules measured on {escape(source)}: {n} segments.", highlight=False)
    t = Table(title="Each rule's hits")
    for col in ("code", "rule", "line", "hits", "share", "on code", "precision", "negated"):
        t.add_column(col, justify="left" if col in ("code", "rule") else "right", overflow="fold")
    for r in report.itertuples():
        prec = "-" if r.precision is None or r.precision != r.precision else f"{r.precision:.2f}"
        style = "yellow" if r.share > 0.1 or (prec != "-" and r.hits >= 3 and float(prec) < 0.3) else ""
        line = "" if r.line is None or r.line != r.line else str(int(r.line))
        cells = [escape(str(r.code_id)), escape(f"{r.kind} {r.rule}"), line,
                 str(r.hits), f"{r.share:.1%}", "-" if r.on_code is None else str(int(r.on_code)), prec, str(r.negated)]
        t.add_row(*[f"[{style}]{c}[/]" if style else c for c in cells])
    console.print(t)
    if coverage is not None:
        c = Table(title="Per code: human-coded segments the rules find and miss")
        for col in ("code", "human", "found", "missed", "fired", "precision", "recall"):
            c.add_column(col, justify="left" if col == "code" else "right")
        for r in coverage.itertuples():
            c.add_row(escape(str(r.code_id)), str(r.human), str(r.found), str(r.missed), str(r.fired),
                      "-" if r.precision != r.precision else f"{r.precision:.2f}",
                      "-" if r.recall != r.recall else f"{r.recall:.2f}")
        console.print(c)
    console.print("[dim]Yellow: a rule that fires on more than 10% of segments, or mostly on segments humans did not "
                  "give its code. Tune it in the codebook, then run `thematic codebook validate`.[/]")


@codebook_app.command("show")
def show_cli(file: FileArg = None, study: StudyOpt = None,
             ids: Annotated[bool, typer.Option("--ids/--labels", help="Show code ids beside the labels.")] = True,
             ) -> None:
    """Show the codebook as a tree, with the number of codings per code when a study store is found."""
    from ..codebook import code_usage, load_codebook, release_state
    from ..codebook.release import next_release
    from ..codebook.usage import ahead_warning, stray_advice

    with error_boundary():
        s = _study_or_none(study)
        path = _codebook_file(s, file)
        cb = load_codebook(path)
        usage = code_usage(cb, s.store) if s is not None else None
        state = release_state(cb, s.store if s is not None else None)
        ahead = ahead_warning(cb, s.store) if s is not None else None
        stray = usage[~usage["in_codebook"]] if usage is not None else None
        if stray is not None and len(stray):
            upcoming = next_release(cb, s.store)
            advice = {str(c): stray_advice(cb, str(c), s.store, upcoming) for c in stray["code_id"]}
    console.print(render_tree(cb, usage, ids=ids, state=state))
    if ahead:
        err_console.print(escape(ahead), highlight=False)
    if stray is not None and len(stray):
        console.print("[yellow]Codes in the store but not in this codebook:[/]")
        for r in stray.itertuples():
            console.print(f"  {escape(str(r.code_id))} ({r.codings}): {escape(advice[str(r.code_id)])}",
                          highlight=False, soft_wrap=True)
        console.print("Flagged codings, with their ids: `thematic codebook flagged`.")


def render_tree(cb: "Codebook", usage: Any = None, *, ids: bool = True, state: str = "") -> Tree:
    """A rich Tree of themes and codes; counts come from a ``code_usage`` frame when given."""
    counts = {} if usage is None else {r.code_id: r for r in usage.itertuples()}
    badge = {"released": "[green]released[/]", "modified": "[yellow]edited since release: bump it[/]",
             "unreleased": "[yellow]not released yet[/]"}.get(state, "")
    root = Tree(f"[bold]{escape(cb.name)}[/] {escape(cb.version)} {badge}".rstrip())
    nodes: dict[str | None, Tree] = {None: root}
    for code in cb:
        row = counts.get(code.id)
        n = ""
        if row is not None:
            n = f"  [cyan]{row.with_descendants if code.is_theme else row.codings}[/]"
            n += f" [dim]+{row.suggested} suggested[/]" if row.suggested else ""
        retired = not code.is_theme and code.id in cb.retired
        style = "bold" if code.is_theme else ("dim strike" if retired else "")
        label = f"[{style}]{escape(code.label)}[/]" if style else escape(code.label)
        label += " [dim](retired)[/]" if retired else ""
        ident = f" [dim]({lit(code.id)})[/]" if ids else ""
        parent = nodes.get(code.parent, root)
        nodes[code.id] = parent.add(f"{label}{ident}{n}")
    return root


@codebook_app.command("diff")
def diff_cli(
    a: Annotated[str, typer.Argument(help="Old codebook: a file, a released version (0.1.0) or 'current'.")],
    b: Annotated[str, typer.Argument(help="New codebook: a file, a released version or 'current' (default).")]
    = "current",
    study: StudyOpt = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Also write the differences to this CSV file.")]
    = None,
) -> None:
    """Show what changed between two codebooks: added, removed, renamed, moved, relabelled, redefined codes."""
    from ..codebook import resolve_codebook

    with error_boundary():
        if csv is not None:
            from ._app import check_csv_out

            check_csv_out(csv)
        s = _study_or_none(study)
        cb_path = s.codebook_path if s is not None else None
        store = s.store if s is not None else None
        old, new = resolve_codebook(a, cb_path, store), resolve_codebook(b, cb_path, store)
        result = old.diff(new)
    render_diff(result)
    if csv is not None:
        from ._app import save_csv

        with error_boundary():
            save_csv(result.to_frame(), csv)
        console.print(f"Wrote {escape(str(csv))}", highlight=False)


def render_diff(result: "CodebookDiff") -> None:
    """Print a diff: a summary line, then one table row per change."""
    console.print(f"[bold]{escape(result.old_label)}[/] -> [bold]{escape(result.new_label)}[/]", highlight=False)
    if not result:
        console.print("[green]No differences.[/]")
        return
    console.print(", ".join(f"{n} {kind}" for kind, n in result.summary().items()))
    table = Table(show_lines=False)
    for col in ("change", "code", "detail"):
        table.add_column(col, overflow="fold")
    colours = {"added": "green", "removed": "red", "renamed": "magenta", "moved": "blue", "retired": "red"}
    for c in result.changes:
        code = escape(f"{c.old_id} -> {c.code_id}" if c.kind == "renamed" else c.code_id)
        if c.kind in ("added", "removed"):
            detail = escape(str(c.after if c.kind == "added" else c.before)) + (f" [dim]{escape(c.note)}[/]"
                                                                               if c.note else "")
        elif c.kind == "retired":
            detail = escape("retired" + (f" ({c.after})" if c.after else "") + (f": {c.note}" if c.note else ""))
        elif c.kind == "renamed":
            detail = {"changes log": "[dim]recorded in the changes log[/]",
                      "same definition": "[dim]same definition under a new id[/]"}.get(c.note, escape(c.note))
        else:
            detail = escape(f"{c.field}: {_brief(c.before)} -> {_brief(c.after)}")
        colour = colours.get(c.kind, "yellow")
        table.add_row(f"[{colour}]{c.kind}[/]", code, detail)
    console.print(table)


def _brief(value: Any, width: int = 60) -> str:
    text = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@codebook_app.command("bump")
def bump_cli(
    part: Annotated[Part, typer.Argument(help="Which part of the version to raise.")] = Part.patch,
    current: Annotated[bool, typer.Option("--current", help="Release the version number as it is (first "
                                          "release) instead of raising it.")] = False,
    study: StudyOpt = None,
) -> None:
    """Release the codebook: raise its version, freeze a copy in codebooks/.versions/ and record it in the store."""
    from ..codebook import release_codebook

    with error_boundary():
        s = open_study(study)
        path = _codebook_file(s, None)
        release = release_codebook(path, s.store, None if current else part.value)
    was = "" if release.previous == release.version else f" (was {lit(release.previous)})"
    console.print(f"Released [bold]{escape(release.name)} {lit(release.version)}[/]{was}; frozen copy "
                  f"{escape(str(release.frozen))}"
                  + ("; recorded in the store." if release.recorded else "; already in the store."), highlight=False)
    console.print("Next: `thematic codebook migrate` brings existing codings to this version.")


@codebook_app.command("migrate")
def migrate_cli(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    actor: Annotated[str, typer.Option("--actor", help="Who runs the migration (recorded in the log).")]
    = "thematic",
    study: StudyOpt = None,
) -> None:
    """Apply the changes log (rename, merge, split, retire) to existing codings; loses no coding (an exact duplicate a merge makes is folded into the one kept)."""
    from ..codebook import load_codebook, migrate
    from ..codebook.release import backdated_warnings

    with error_boundary():
        s = open_study(study)
        cb = load_codebook(_codebook_file(s, None))
        report = migrate(cb, s.store, actor=actor, dry_run=dry_run)
        backdated = backdated_warnings(cb, s.store)  # entries migrate can never apply: say so, not just "nothing"
    render_migration(report)
    for w in backdated:
        err_console.print(escape(w), highlight=False, soft_wrap=True)


def render_migration(report: "MigrationReport") -> None:
    """Print a migration report: one row per step, then the totals."""
    frame = report.to_frame()
    frame = frame[frame["codings"] > 0]
    verb = "Would migrate" if report.dry_run else "Migrated"
    if report.newer:
        from ..errors import Warnings

        newer = ", ".join(f"{n} under {v}" for v, n in report.newer)
        err_console.print(escape(Warnings.W385.format(n=sum(n for _, n in report.newer), path=report.codebook,
                                                      version=report.version, newer=newer,
                                                      newest=report.newer[-1][0])), highlight=False)
    if frame.empty:
        at = "every other coding" if report.newer else "every coding"
        console.print(f"Nothing to migrate: {at} is at {escape(report.codebook)} {lit(report.version)}.",
                      highlight=False)
    else:
        table = Table(title=f"{verb} codings to {lit(report.codebook)} {lit(report.version)}")
        for col in frame.columns:
            table.add_column(col, justify="right" if col in ("codings", "remapped", "flagged", "removed") else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(str(v)) for v in row))
        console.print(table)
        gone = (f"{report.removed} exact duplicate(s) a merge created removed, one of each kept with both memos"
                if report.removed else "none deleted")
        console.print(f"{report.touched} codings changed, {report.remapped} remapped, {report.flagged} flagged for "
                      f"review; {report.count_before} codings before, {report.count_after} after ({gone}).",
                      highlight=False)
        if report.flagged:
            console.print("List the flagged codings with `thematic codebook flagged`.")
    if report.pending:
        console.print(f"[yellow]Pending until the next bump:[/] {escape('; '.join(report.pending))}", highlight=False)


@codebook_app.command("flagged")
def flagged_cli(
    code: Annotated[Optional[str], typer.Option("--code", help="Only codings of this code.")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only this coder's codings.")] = None,
    study: StudyOpt = None,
) -> None:
    """List the codings flagged for review (a split, a retired code, a merge duplicate, a moved quote) with their ids.

    Recode one with `thematic code add` / `thematic code remove`, or remove one coding by its id with
    `thematic code remove --id CODING_ID --coder AB`; a coding whose quote a re-ingest lost is removed only by
    its id, since its offsets point at other words now.
    """
    with error_boundary():
        s = open_study(study)
        df = s.store.codings(flagged=True, code=code, coder=coder)
    if df.empty:
        console.print("No flagged codings.")
        return
    table = Table(title=f"{len(df)} flagged coding(s)")
    for col in ("coding id", "segment", "code", "coder", "status", "flag"):
        table.add_column(col, overflow="fold")
    for r in df.itertuples():
        where = r.segment_id if isinstance(r.segment_id, str) and r.segment_id else f"{r.document_id} [{r.start}:{r.end}]"
        table.add_row(*(escape(str(v)) for v in (r.coding_id, where, r.code_id, r.coder, r.status, r.flag)))
    console.print(table)


@codebook_app.command("export")
def export_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (e.g. reports/codebook.docx).")],
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="docx or md (default: from --out).")]
    = None,
    file: FileArg = None,
    study: StudyOpt = None,
) -> None:
    """Export the codebook for a methods appendix: Word (a table per theme) or Markdown."""
    from ..codebook import export_codebook, load_codebook

    with error_boundary():
        refuse_stdout(out)
        s = _study_or_none(study) if file is None else (open_study(study) if study is not None else None)
        path = _codebook_file(s if file is None else None, file)
        written = export_codebook(load_codebook(path), out, format=format.value if format else None,
                                  paper=s.config.paper if s is not None else None)
    console.print(f"Wrote {escape(str(written))}", highlight=False)
