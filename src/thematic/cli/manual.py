"""`thematic code add` and `thematic code remove`: scripted manual edits, one coding at a time."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ._app import (StudyOpt, code_app, code_group_coder, code_group_value, console, err_console,
                   error_boundary, library_warnings, lit, open_study)

CoderOpt = Annotated[
    Optional[str],
    typer.Option("--coder", "-c", envvar="THEMATIC_CODER", callback=lambda v: v.strip() if isinstance(v, str) else v,
                 help="Who is coding (initials or name; default: $THEMATIC_CODER)."),
]
DocumentOpt = Annotated[Optional[str], typer.Option("--document", "-d", help="Document id, to give an exact span.")]
StartOpt = Annotated[Optional[int], typer.Option("--start", help="Span start, with --document (code points into the document text).")]
EndOpt = Annotated[Optional[int], typer.Option("--end", help="Span end (exclusive), with --document.")]
FirstArg = Annotated[str, typer.Argument(help="SEGMENT_ID then CODE; or only CODE with --document/--start/--end.",
                                         show_default=False)]
SecondArg = Annotated[Optional[str], typer.Argument(help="The code id (when a SEGMENT_ID comes first).",
                                                    show_default=False)]


def parse_target(first: str, second: Optional[str], document: Optional[str], start: Optional[int],
                 end: Optional[int]) -> tuple[Any, str]:
    """(target, code) from `SEGMENT_ID CODE` or `--document D --start S --end E CODE`."""
    from ..errors import Errors, InputError

    if document is not None:
        if start is None or end is None or second is not None:
            raise InputError(Errors.E353.format(what="Coding a span",
                                                need="--document, --start and --end with one CODE argument"))
        return (document, start, end), first
    if second is None:
        raise InputError(Errors.E353.format(what="Coding a segment", need="SEGMENT_ID and CODE (e.g. int-01:4 "
                                            "generativity), or --document/--start/--end and CODE"))
    if start is not None or end is not None:
        raise InputError(Errors.E353.format(
            what="A span (--start/--end)",
            need=f"--document instead of the segment id, its offsets being in the document's text (e.g. --document "
                 f"{first.rsplit(':', 1)[0]} --start S --end E {second}); a segment id alone means the whole segment"))
    return first, second


def _where(coding: Any) -> str:
    """Where a coding is and its quote, as markup that shows them as written."""
    quote = coding.text if len(coding.text) <= 70 else coding.text[:67] + "…"
    return lit(f"{coding.segment_id or coding.document_id} [{coding.start}:{coding.end}] “{quote}”")


@code_app.command("add")
def add_cli(
    ctx: typer.Context,
    first: FirstArg,
    second: SecondArg = None,
    coder: CoderOpt = None,
    memo: Annotated[Optional[str], typer.Option("--memo", "-m", help="A note kept with the coding.")] = None,
    document: DocumentOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    study: StudyOpt = None,
) -> None:
    """Code a segment (`thematic code add int-01:4 generativity --coder AB`) or an exact span.

    For a span: `thematic code add --document int-01 --start 120 --end 180 generativity --coder AB`.
    The code is checked against the study's codebook. See docs/manual-coding.md.
    """
    coder, study = code_group_coder(ctx, coder), code_group_value(ctx, "study", study)
    with error_boundary():
        target, code_id = parse_target(first, second, document, start, end)
        s = open_study(study)
        with library_warnings():  # W533: an interviewer turn, stored but counted nowhere
            coding = s.code(target, code_id, coder=coder, memo=memo)
    owner = (s.store.coding(coding.id).get("reviewer") or coding.coder) if coding.status == "accepted" else coding.coder
    console.print(f"Coded {_where(coding)} as [bold]{lit(coding.code_id)}[/] (coder {lit(owner)}).", highlight=False)


@code_app.command("remove")
def remove_cli(
    ctx: typer.Context,
    first: Annotated[Optional[str], typer.Argument(help="SEGMENT_ID then CODE; or only CODE with "
                                                   "--document/--start/--end; nothing with --id.",
                                                   show_default=False)] = None,
    second: SecondArg = None,
    coder: CoderOpt = None,
    coding_id: Annotated[Optional[str], typer.Option("--id", help="Remove this one coding (its id, e.g. from "
                                                     "`thematic codebook flagged`) instead.")] = None,
    document: DocumentOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    study: StudyOpt = None,
) -> None:
    """Remove a coder's code from a segment (any span inside it) or from an exact span (logged, undoable by re-adding).

    A suggestion the coder accepted is rejected instead of removed, so it is not suggested again.

    `thematic code remove int-01:4 generativity --coder AB`; one coding by its id (e.g. one of two a merge
    made identical): `thematic code remove --id CODING_ID --coder AB`. A coding whose quote a re-ingest lost
    is removed only by its id (W554). See docs/manual-coding.md.
    """
    coder, study = code_group_coder(ctx, coder), code_group_value(ctx, "study", study)
    from ..errors import Errors, InputError

    if coding_id is not None:
        with error_boundary():
            if first is not None or document is not None:
                raise InputError(Errors.E353.format(what="Removing by --id", need="only --id and --coder"))
            s = open_study(study)
            from ..coding.manual import uncode_id

            uncode_id(s.store, coding_id, coder=coder)
            rejected = s.store.codings(status="rejected").loc[lambda d: d["coding_id"] == coding_id]
        if rejected.empty:
            console.print(f"Removed coding {lit(coding_id)} by {lit(coder)}.", highlight=False)
        else:
            console.print(f"Coding {lit(coding_id)} was a suggestion {lit(coder)} accepted: rejected it instead of removing "
                          "it (it will not be suggested again).", highlight=False)
        return
    with error_boundary():
        if first is None:
            raise InputError(Errors.E353.format(what="Removing a coding", need="SEGMENT_ID and CODE, "
                                                "--document/--start/--end and CODE, or --id CODING_ID"))
        target, code_id = parse_target(first, second, document, start, end)
        s = open_study(study)
        from ..coding.manual import uncode_counts

        with library_warnings():  # W554: a coding whose quote a re-ingest lost lies there; it is kept
            removed, rejected = uncode_counts(s.store, target, code_id, coder=coder, codebook=s.codebook)
    if rejected:
        console.print(f"Took [bold]{lit(code_id)}[/] off for {lit(coder)}: removed {removed}, rejected {rejected} accepted "
                      "suggestion(s) (they will not be suggested again).", highlight=False)
    elif removed:
        console.print(f"Removed {removed} coding(s) of [bold]{lit(code_id)}[/] by {lit(coder)}.", highlight=False)
    else:
        err_console.print(f"[yellow]Nothing to remove:[/] {lit(coder)} has no coding of {lit(code_id)} there.",
                          highlight=False)
