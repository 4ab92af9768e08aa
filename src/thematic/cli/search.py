"""`thematic search QUERY` (keyword in context, optionally coding every hit) and `thematic undo BATCH_ID`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ._app import (StudyOpt, app, console, err_console, error_boundary, keep_on_interrupt, library_warnings, lit,
                   open_study)

ListOpt = Optional[list[str]]


def parse_where(items: list[str] | None) -> dict[str, list[str]]:
    """`--where role=peer mentor --where role=mentor --where site=North` -> {attribute: [values]}."""
    from ..errors import Errors, InputError

    out: dict[str, list[str]] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(Errors.E353.format(what=f"--where {item!r}", need="ATTRIBUTE=VALUE, e.g. role=peer mentor"))
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def _mode(lemma: bool, regex: bool, phrase: bool) -> str:
    from ..errors import Errors, InputError

    chosen = [m for m, on in (("lemma", lemma), ("regex", regex), ("phrase", phrase)) if on]
    if len(chosen) > 1:
        raise InputError(Errors.E353.format(what="A search", need="at most one of --lemma, --regex, --phrase"))
    return chosen[0] if chosen else "words"


def render_hits(hits: Any, limit: int) -> None:
    """Keyword-in-context table: the context as wide as searched (``--context``), the match highlighted; on a
    narrow terminal a long segment id wraps (never cut) and the context keeps a usable width."""
    table = Table(show_lines=False, pad_edge=False)
    table.add_column("segment", style="cyan", overflow="fold")
    table.add_column("speaker", overflow="fold")
    table.add_column("in context", overflow="fold", min_width=30)
    for r in hits.head(limit).itertuples():
        line = Text("…" + str(r.left), style="dim")
        line.append(str(r.match), style="bold yellow")
        line.append(str(r.right) + "…", style="dim")
        speaker = "" if r.participant_id is None or str(r.participant_id) == "<NA>" else f" ({r.participant_id})"
        table.add_row(lit(r.segment_id), lit(f"{r.speaker if isinstance(r.speaker, str) else ''}{speaker}"), line)
    console.print(table)


@app.command("search")
def search_cli(
    query: Annotated[str, typer.Argument(help="Words (all must occur in a segment; * is a wildcard), a phrase, "
                                         "a word to match in all its forms (--lemma) or a regex (--regex).")],
    lemma: Annotated[bool, typer.Option("--lemma", help="Match every form of each word (vet: vetted, vetting).")] = False,
    regex: Annotated[bool, typer.Option("--regex", help="QUERY is a Python regular expression.")] = False,
    phrase: Annotated[bool, typer.Option("--phrase", help="QUERY is an exact phrase.")] = False,
    document: Annotated[ListOpt, typer.Option("--document", "-d", help="Only this document (repeatable).")] = None,
    speaker: Annotated[ListOpt, typer.Option("--speaker", help="Only turns by this speaker (repeatable).")] = None,
    where: Annotated[ListOpt, typer.Option("--where", help="Participant attribute filter ATTRIBUTE=VALUE, e.g. "
                                           "'role=peer mentor' (repeat: same attribute = any of, others = all).")] = None,
    in_code: Annotated[Optional[str], typer.Option("--in-code", help="Only inside passages coded CODE.")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="Code every hit with CODE (one undoable batch).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", "-c", envvar="THEMATIC_CODER",
                                                 help="Who codes the hits (needed with --code).")] = None,
    segment: Annotated[bool, typer.Option("--segment", help="With --code: code the whole segment of each hit.")] = False,
    no_interviewer: Annotated[bool, typer.Option("--no-interviewer", help="Skip the interviewer's turns.")] = False,
    context: Annotated[int, typer.Option("--context", min=0, help="Characters of context either side.")] = 60,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many hits (all are coded/saved).")] = 50,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Also save every hit to this CSV file.")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.001,
                                                     help="With --regex: seconds the matching may take in all before "
                                                          "it stops with E414 (default 30).")] = None,
    study: StudyOpt = None,
) -> None:
    """Search the study's segments and show each hit in context; `--code CODE` codes them all.

    Examples: `thematic search vet --lemma --where "role=peer mentor"`,
    `thematic search "been there" --phrase --code shared_experience --coder AB --segment`.
    Undo a coded search with `thematic undo BATCH_ID`. See docs/manual-coding.md#search.
    """
    from ..errors import Errors, InputError

    with error_boundary():
        if code and not coder:
            raise InputError(Errors.E353.format(what="--code", need="--coder NAME (who is coding)"))
        if out is not None:
            from ._app import check_csv_out

            check_csv_out(out)  # before anything is searched or coded
        s = open_study(study)
        hits = s.search(query, mode=_mode(lemma, regex, phrase), document=document, speaker=speaker,
                        participant_attr=parse_where(where) or None, code=in_code, context=context,
                        include_interviewer=not no_interviewer,
                        **({} if timeout is None else {"timeout": timeout}))
        with library_warnings():  # W533: an interviewer turn coded, stored but counted nowhere
            result = s.code_hits(hits, code, coder=coder, query=query, scope="segment" if segment else "hit") \
                if code and len(hits) else None
        if result is not None:  # stored: a Ctrl-C while the hits print must not read as a cancelled search
            keep_on_interrupt(f"Coded {result.added} span(s) as {result.code_id} in batch {result.batch_id}; "
                              f"undo with `thematic undo {result.batch_id}`.")
    if out is not None:
        from ._app import save_csv

        with error_boundary():
            save_csv(hits, out)
    render_hits(hits, limit)
    shown = f"showing {min(limit, len(hits))} of {len(hits)}" if len(hits) > limit else f"{len(hits)}"
    console.print(f"{shown} hit(s) in {hits['segment_id'].nunique()} segment(s)"
                  + (f"; saved to {lit(out)}" if out else "") + ".", highlight=False)
    if result is not None:
        console.print(f"Coded [bold]{result.added}[/] span(s) as [bold]{lit(result.code_id)}[/] "
                      f"({result.skipped} already coded) in batch [cyan]{lit(result.batch_id)}[/]. "
                      f"Undo with `thematic undo {lit(result.batch_id)}`.", highlight=False)
        if result.interviewer:
            err_console.print(f"[yellow]{result.interviewer} coded span(s) on interviewer turns count nowhere (W533 "
                              "above); search with --no-interviewer to leave those turns out.[/]", highlight=False)
    elif code:
        err_console.print("[yellow]No hits: nothing was coded.[/]")


@app.command("undo")
def undo_cli(
    batch_id: Annotated[str, typer.Argument(help="The batch to undo (printed by `search --code`, `import sheet`, "
                                            "`code`; listed by `thematic status`).")],
    by: Annotated[Optional[str], typer.Option("--by", envvar="THEMATIC_CODER",
                                              help="Who undoes it (default: whoever made the batch).")] = None,
    study: StudyOpt = None,
) -> None:
    """Undo a batch: remove every coding it added; for a sheet import restore what it unticked and un-see its rows; for a REFI import remove the documents it brought in that nothing else refers to (all logged)."""
    with error_boundary():
        s = open_study(study)
        batches = s.store.batches()
        row = batches[batches["batch_id"] == batch_id]
        actor = by or (str(row["actor"].iloc[0]) if len(row) else "thematic")
        from ..coding.undo import undo_batch

        done = undo_batch(s, batch_id, actor=actor)
    extra = [f"{n} {what}" for n, what in ((done.kept, "reviewed coding(s) kept (accepted or rejected since)"),
                                           (done.restored, "unticked coding(s) restored"),
                                           (done.memos, "memo edit(s) reverted"),
                                           (done.memos_kept,
                                            "memo(s) kept: written again since (the newer memo stays)"),
                                           (done.unseen, "segment(s) no longer recorded as seen"),
                                           (done.unfolded,
                                            "coding(s) of another batch that a codebook merge had folded into "
                                            "removed ones put back"),
                                           (done.by_hand,
                                            "coding(s) kept: coded again by hand since (now in no batch)"),
                                           (done.reconfirmed,
                                            "coding(s) kept: a later import still standing ticked them again "
                                            "(they now belong to its batch)"),
                                           (done.documents, "document(s) it brought in removed"
                                            + (f" ({done.files} file(s) in data/raw/refi deleted)" if done.files
                                               else ""))) if n]
    console.print(f"Undid batch [cyan]{lit(batch_id)}[/]: removed {done.removed} coding(s)"
                  + (f"; {', '.join(extra)}" if extra else "") + ".", highlight=False)
    for note in done.notes:
        err_console.print(f"[yellow]{escape(note)}[/]", highlight=False, soft_wrap=True)
