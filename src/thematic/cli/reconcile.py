"""`thematic reconcile` and `thematic import reconcile`: settle two coders' disagreements into a consensus coder.

Terminal route: each disputed segment is shown with what each coder applied; for each disputed
code answer y (apply) or n (leave out), s to skip the segment, q to quit, then an optional memo.
Through a pipe each answer is a line, so a session can be scripted: an empty line asks again,
the end of input quits (segments already settled are kept). Sheet route: `--out FILE.xlsx`
writes the decision workbook; fill its `decision` column and run `thematic import reconcile FILE`.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from ..errors import Errors, InputError, Warnings
from ._app import StudyOpt, app, console, err_console, error_boundary, import_app, is_interactive, lit, open_study
from .review import read_answer

ByOpt = Annotated[Optional[str], typer.Option("--by", envvar="THEMATIC_CODER",
                                              help="Who decides (default: $THEMATIC_CODER, else your login).")]
ConsensusOpt = Annotated[Optional[str], typer.Option("--consensus", help="The consensus coder's name; only "
                                                     "thematic.toml's [study] consensus (default 'consensus'), the "
                                                     "one the tables count: to use another, set it there first.")]


def consensus_name(study: Any, given: str | None) -> str:
    """thematic.toml's consensus coder; ``--consensus`` must name it (case aside), since the tables count no other
    (E611); a name with blind work of its own is E610 first."""
    from ..reconcile import check_consensus

    configured = study.config.consensus
    if given is None:
        return configured
    name = study.store.person(given, "consensus coder")
    if name.casefold() != configured.casefold():
        check_consensus(study.store, name)  # [E610]: a coder's name says so before it is called "not thematic.toml's"
        raise InputError(Errors.E611.format(given=name, configured=configured))
    return configured


def _read(prompt: str, single_key: bool) -> str | None:
    """One answer: a key at a terminal, else a line from stdin; None at the end of piped input."""
    if single_key:
        return read_answer(prompt, single_key=True)
    console.print(prompt, end="")
    line = sys.stdin.readline()
    if not line:
        console.print("")
        return None
    if not sys.stdin.isatty():  # echo, so a piped session's output reads like a typed one
        console.print(line.strip(), highlight=False, markup=False)
    return line.strip()


def _ask(prompt: str, allowed: str, single_key: bool) -> str:
    """A choice among ``allowed``; an empty line asks again, the end of piped input quits ('q')."""
    while True:
        answer = _read(prompt, single_key)
        if answer is None:
            return "q"
        key = answer.lower()[:1]
        if key in allowed and key:
            return key
        if key:
            err_console.print(f"[yellow]'{escape(answer)}' is not a choice:[/] press one of {', '.join(allowed)}.")


def _render(item: Any, pos: int, total: int, coders: list[str]) -> None:
    body = Text(item.text)
    console.print(Panel(body, title=Text(f"{pos}/{total}  {item.where}"), title_align="left"))
    console.print(f"Both applied: {lit(', '.join(item.agreed) or '(none)')}", highlight=False)
    for coder in coders:
        only = [k for k, who in item.disputed.items() if who == coder]
        console.print(f"Only {lit(coder)}: {lit(', '.join(only) or '(none)')}", highlight=False)


def terminal_session(study: Any, items: list[Any], coders: list[str], consensus: str, who: str,
                     flagged: list[tuple[str, str]] | None = None) -> tuple[int, int]:
    """Ask about each disputed segment and settle it at once; returns (settled, skipped). ``flagged`` collects the
    consensus codings written flagged (an agreed code retired or split since, W036)."""
    from ..reconcile import settle

    codebook = study.codebook if study.codebook_path is not None and study.codebook_path.is_file() else None
    single_key = is_interactive()
    disputed = [i for i in items if i.disputed]
    settled = skipped = 0
    for pos, item in enumerate(disputed, start=1):
        _render(item, pos, len(disputed), coders)
        keep: list[str] = []
        action = ""
        for code, coder in item.disputed.items():
            action = _ask(f"Apply [bold]{escape(code)}[/] ({escape(coder)} only)? "
                          r"\[y]es / \[n]o / \[s]kip segment / \[q]uit > ",
                          "ynsq", single_key)
            if action in "sq":
                break
            if action == "y":
                keep.append(code)
        if action == "q":
            break
        if action == "s":
            skipped += 1
            continue
        memo = _read("Memo for this decision (Enter for none): ", False)
        settle(study.store, item, [*keep, *item.kept], coders=coders, consensus=consensus, decided_by=who,
               route="terminal", memo=memo or None, codebook=codebook, flagged=flagged)
        settled += 1
    return settled, skipped


@app.command("reconcile")
def reconcile_cli(
    coders: Annotated[str, typer.Option("--coders", help="The two coders to reconcile, e.g. HT,SO.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the decision workbook (.xlsx) instead of asking "
                                                "in the terminal; then `thematic import reconcile FILE`.")] = None,
    sample: Annotated[Optional[str], typer.Option("--sample", help="Only this recorded sample's segments (id, latest, latest:CODER).")] = None,
    consensus: ConsensusOpt = None,
    by: ByOpt = None,
    study: StudyOpt = None,
) -> None:
    """Walk the disagreements of two coders and write the consensus coder (a memo per decision).

    Segments both coders saw and coded alike are settled at once; each disputed segment is asked
    about (y/n per disputed code, s skip, q quit; resumable). A settled segment whose coders' codings
    changed since is offered again (W604), as is one another pair settled and this pair codes
    differently (W605). The consensus coder is thematic.toml's [study] consensus, which the tables count
    where it settled. See docs/two-coders.md.
    """
    from ..reconcile import _pair, reconcile_items, reconcile_table, settle_agreed

    with error_boundary():
        s = open_study(study)
        pair = _pair(coders, s.store.person(consensus, "consensus coder") if consensus is not None
                     else s.config.consensus)  # [E608] first: a compared coder named as the consensus
        name = consensus_name(s, consensus)
        cb = s.codebook if s.codebook_path is not None and s.codebook_path.is_file() else None
        picked = list(s.store.sample_segments(sample)["segment_id"]) if sample else None
        items = reconcile_items(s.store, coders=pair, codebook=cb, consensus=name, sample=picked)
        _warn_reopened(items, pair)
        if out is not None:
            from ..export.tables import write_table
            from ._app import out_path

            path = write_table(reconcile_table(items, pair), out_path(out), format="xlsx")
            console.print(f"Wrote {lit(path)}: {sum(1 for i in items if i.disputed)} disputed segment(s). Fill the "
                          f"'decision' column (codes to apply, or none), then `thematic import reconcile "
                          f"{lit(path.name)}`.",
                          highlight=False)
            return
        who = by or getpass.getuser()
        flagged: list[tuple[str, str]] = []
        n_agreed = settle_agreed(s.store, items, coders=pair, consensus=name, decided_by=who, route="terminal",
                                 codebook=cb, flagged=flagged)
    console.print(f"{n_agreed} segment(s) coded alike settled as [bold]{lit(name)}[/]; "
                  f"{sum(1 for i in items if i.disputed)} disputed.", highlight=False)
    _warn_flagged(flagged, name)
    with error_boundary():
        flagged = []
        settled, skipped = terminal_session(s, items, pair, name, who, flagged)
    _warn_flagged(flagged, name)
    left = sum(1 for i in reconcile_items(s.store, coders=pair, codebook=cb, consensus=name, sample=picked)
               if i.disputed)
    console.print(f"Done: {settled} settled, {skipped} skipped; {left} disputed segment(s) left"
                  + (" — run `thematic reconcile` again to continue." if left else "."), highlight=False)


def _shown(segments: list[str]) -> str:
    return ", ".join(segments[:8]) + (f" and {len(segments) - 8} more" if len(segments) > 8 else "")


def _warn_flagged(flagged: list[tuple[str, str]], consensus: str) -> None:
    """W036 naming the consensus codings written flagged: an agreed code the codebook retired or split since."""
    from ..reconcile import flagged_warning

    warning = flagged_warning(flagged, consensus)
    if warning:
        err_console.print(warning, highlight=False, markup=False)


def _warn_reopened(items: list[Any], pair: list[str]) -> None:
    """W604 naming the settled segments offered again because a coder's codings there changed since; W605 those
    offered because another pair settled them and this pair codes them differently."""
    again = [i.segment_id for i in items if i.reopened and not i.settled_by]
    if again:
        err_console.print(Warnings.W604.format(n=len(again), coders=" or ".join(pair), segments=_shown(again)),
                          highlight=False, markup=False)
    others = [i for i in items if i.reopened and i.settled_by]
    if others:
        pairs = list(dict.fromkeys(p for i in others for p in i.settled_by))
        err_console.print(Warnings.W605.format(
            n=len(others), others="; ".join(p.replace(",", " and ") for p in pairs), coders=" and ".join(pair),
            segments=_shown([i.segment_id for i in others])), highlight=False, markup=False)


@import_app.command("reconcile")
def import_reconcile_cli(
    path: Annotated[Path, typer.Argument(help="The decision workbook written by `thematic reconcile --out`.")],
    coders: Annotated[Optional[str], typer.Option("--coders", help="The two coders (default: read from the workbook).")] = None,
    consensus: ConsensusOpt = None,
    by: ByOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 if any row was skipped (W601, W620-W622).")] = False,
    study: StudyOpt = None,
) -> None:
    """Read the 'decision' column of a reconcile workbook (codes to apply, or none) and write the consensus coder
    (thematic.toml's [study] consensus, which the tables count)."""
    from ..reconcile import import_reconcile

    with error_boundary():
        s = open_study(study)
        cb = s.codebook if s.codebook_path is not None and s.codebook_path.is_file() else None
        report = import_reconcile(s.store, path, consensus=consensus_name(s, consensus),
                                  decided_by=by or getpass.getuser(), codebook=cb, coders=coders)
    extra = [f"{report.unchanged} row(s) already settled the same way"] if report.unchanged else []
    extra += [f"changed {report.changed} earlier decision(s)"] if report.changed else []
    extra += [f"{report.own_codes} code(s) applied by neither coder kept"] if report.own_codes else []
    extra += [f"{report.reopened} segment(s) settled before settled again (a coder's codings changed there since)"] \
        if report.reopened else []
    extra += [f"{report.others} segment(s) another pair settled before settled again (this pair codes them "
              "differently)"] if report.others else []
    extra += [f"{report.moved} row(s) found by their text (a re-ingest moved their segment ids)"] if report.moved \
        else []
    console.print(f"Settled {report.settled} disputed segment(s) and {report.agreed} coded alike; "
                  f"{report.undecided} row(s) left undecided" + "".join(f"; {e}" for e in extra) + ".",
                  highlight=False)
    for p in report.problems or []:
        err_console.print(f"  {p.message}", highlight=False, markup=False)
    if strict and not report.ok:
        raise typer.Exit(1)
