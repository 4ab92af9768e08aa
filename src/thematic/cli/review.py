"""`thematic review`: work through suggestions in the terminal (accept / reject / skip / recode), resumably.

Keys: a accept, r reject, s skip, c recode, q quit. At a terminal a single key press is enough;
through a pipe or tmux each answer is a line (``a``, ``accept``…), so the review can be scripted.
Each decision is stored at once, so quitting (or a crash) loses nothing. Each item shows why it
was suggested (every suggester's stored reason, score and threshold). The reviewer is
``--reviewer``, else $THEMATIC_CODER, else the only coder in thematic.toml, else asked for at a
terminal; never the computer's login.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Annotated, Any, Optional

import click
import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ._app import StudyOpt, app, console, err_console, error_boundary, is_interactive, lit, open_study

KEYS = {"a": "accept", "r": "reject", "s": "skip", "c": "recode", "q": "quit"}
PROMPT = r"[bold]\[a][/]ccept  [bold]\[r][/]eject  [bold]\[s][/]kip  [bold]\[c][/] recode  [bold]\[q][/]uit > "


def _codebook(study: Any) -> Any:
    """The study's codebook for labels and definitions, or None (review still works without it)."""
    from ..codebook import load_codebook
    from ..errors import ThematicError

    path = study.codebook_path
    try:
        return load_codebook(path) if path is not None and path.is_file() else None
    except ThematicError:
        return None


def _clip(value: Any, n: int) -> str:
    text = "" if value is None or str(value) == "<NA>" else " ".join(str(value).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render_item(item: Any, pos: int, total: int, codebook: Any) -> None:
    """The segment with the suggested span highlighted, its neighbours dimmed, and the suggestion."""
    who = _clip(item.speaker, 30) + (f" ({item.participant_id})" if _clip(item.participant_id, 20) else "")
    body = Text()
    if _clip(getattr(item, "question", None), 1):
        body.append("Q: " + _clip(item.question, 300) + "\n\n", style="italic")
    if _clip(item.previous_text, 1):
        body.append(_clip(item.previous_text, 300) + "\n\n", style="dim")
    seg_text = str(item.segment_text) if _clip(item.segment_text, 1) else str(item.text)
    body.append(seg_text, style="bold" if _clip(item.segment_text, 1) else "")
    if _clip(item.segment_text, 1) and (item.start, item.end) != (item.segment_start, item.segment_end):
        offset = int(item.segment_start)
        body.stylize("bold yellow underline", int(item.start) - offset, int(item.end) - offset)
    if _clip(item.next_text, 1):
        body.append("\n\n" + _clip(item.next_text, 300), style="dim")
    title = f"{pos}/{total}  {_segment(item.segment_id)}  {who}" + ("  [skipped before]" if item.skipped else "")
    console.print(Panel(body, title=Text(title), title_align="left"))
    code = codebook[item.code_id] if codebook is not None and item.code_id in codebook else None
    conf = "" if item.confidence is None or str(item.confidence) == "<NA>" else f"  confidence {float(item.confidence):.2f}"
    console.print(f"Suggestion: [bold cyan]{lit(item.code_id)}[/]" + (f" — {lit(code.label)}" if code else "")
                  + f"{conf}  [dim]by {lit(item.suggesters)}[/]", highlight=False)
    for line in str(getattr(item, "evidence", "") or "").splitlines():
        console.print(Text("  why: " + _clip(line, 300), style="dim"), highlight=False)
    if _clip(getattr(item, "flag", None), 1):
        console.print(Text("  flag: " + _clip(item.flag, 300), style="yellow"), highlight=False)
    if _clip(getattr(item, "blocked", None), 1):
        console.print(Text("  cannot be accepted: " + _clip(item.blocked, 300), style="yellow"), highlight=False)
    if code is not None and code.definition:
        console.print(Text(_clip(code.definition, 240), style="dim"))


def read_answer(prompt: str, *, single_key: bool) -> str | None:
    """One answer: a key press at a terminal, else a line from stdin ('' for a blank line, None at end of input)."""
    console.print(prompt, end="")
    if single_key:
        key = click.getchar()
        while not key.strip():  # Enter or space after a key (tmux send-keys "a" Enter): ignore
            key = click.getchar()
        console.print(key, markup=False, highlight=False)
        return key
    line = sys.stdin.readline()
    if not line:  # end of input ("" from readline); a blank line is "\n"
        console.print("")
        return None
    if not sys.stdin.isatty():  # echo, so a piped session's output reads like a typed one
        console.print(line.strip(), highlight=False, markup=False)
    return line.strip()


def _ask_action(single_key: bool) -> str:
    """The next action; a blank line asks again (a stray Enter), the end of piped input quits."""
    while True:
        answer = read_answer(PROMPT, single_key=single_key)
        if answer is None:
            return "quit"  # end of piped input
        if not answer:
            continue
        action = KEYS.get(answer.strip().lower()[:1])
        if action:
            return action
        err_console.print(f"[yellow]'{lit(answer)}' is not a choice:[/] press a, r, s, c or q.", highlight=False)


def _ask_code(codebook: Any) -> str | None:
    """The code to recode to: an id, a label or a unique beginning (did-you-mean otherwise); None to go back."""
    from ..coding.lookup import find_code
    from ..errors import InputError

    while True:
        code = read_answer("New code (id, label or its beginning; empty to go back): ", single_key=False)
        if not code:  # a blank line or the end of input: back to the action
            return None
        if codebook is None:
            return code
        try:
            found = find_code(codebook, code)
        except InputError as exc:
            err_console.print(Text(str(exc), style="yellow"))
            continue
        if found != code:
            console.print(f"Recoding as [bold cyan]{lit(found)}[/] — {lit(codebook[found].label)}", highlight=False)
        return found


def resolve_reviewer(given: str | None, coders: tuple[str, ...], *, interactive: bool) -> str:
    """Who decides: ``given`` ($THEMATIC_CODER fills it), else the only coder in thematic.toml, else asked
    at a terminal; raises E632 through a pipe (never falls back to the computer's login)."""
    from ..errors import Errors, InputError, Warnings

    if given and given.strip():
        who = given.strip()
        if coders and who not in coders:
            err_console.print(Text(Warnings.W630.format(reviewer=who, coders=", ".join(coders)), style="yellow"))
        return who
    if len(coders) == 1:
        return coders[0]
    known = f" (thematic.toml lists {', '.join(coders)})" if coders else ""
    if not interactive:
        raise InputError(Errors.E632.format(known=known))
    while True:
        answer = read_answer(f"Who is reviewing? Your coder name{lit(known)}: ", single_key=False)
        if answer is None:  # the input ended before a name was given
            raise InputError(Errors.E632.format(known=known))
        if answer:
            return answer


def _decide(study: Any, item: Any, action: str, reviewer: str, codebook: Any) -> str | None:
    """Store one decision; returns what was done (None when the user went back)."""
    from ..errors import InputError

    new_code = None
    if action == "recode":
        new_code = _ask_code(codebook)
        if new_code is None:
            return None
    if study.store.coding(item.coding_id)["status"] != "suggested":
        err_console.print("[yellow]Already decided in another session; moving on.[/]")
        return "decided elsewhere"
    try:
        if action == "recode" or codebook is None:
            study.decide(item.coding_id, action, reviewer=reviewer, new_code=new_code)
        else:  # the codebook refuses accepting a code split away, retired or renamed before migrate (E383)
            from ..coding.review import decide

            decide(study.store, item.coding_id, action, reviewer=reviewer, codebook=codebook)
    except InputError as exc:
        err_console.print(Text(str(exc), style="yellow"))
        return None
    return action


def _conf(value: Any) -> str:
    return "" if value is None or str(value) == "<NA>" else f"{float(value):.2f}"


def render_queue(queue: Any, limit: int) -> None:
    """The queue (``--list``): a table when the terminal is wide enough for it, else one record per suggestion."""
    shown = queue.head(limit)
    flagged = bool(shown["flag"].notna().any() or shown["blocked"].notna().any()) if "flag" in shown else False
    shown = shown.assign(segment_id=[_segment(v) for v in shown["segment_id"]])
    fixed = {"#": 4, "coding_id": _width(shown["coding_id"]), "segment": _width(shown["segment_id"]),
             "code": _width(shown["code_id"]), "conf.": 5, "suggested by": _width(shown["suggesters"])}
    loose = ["why", "text", *(["flag"] if flagged else [])]
    needed = sum(max(int(w), len(k)) + 3 for k, w in fixed.items()) + 33 * len(loose) + 1
    if console.width >= needed:
        _queue_table(shown, len(queue), fixed, loose)
    else:  # a pipe (80 columns) or a narrow terminal: never one letter per line
        _queue_records(shown, len(queue))
    if len(queue) > limit:
        console.print(f"… and {len(queue) - limit} more (--limit).")
    if queue["skipped"].any():
        console.print("* skipped before: they come last.")


def _width(column: Any) -> int:
    """The longest value's length (0 for a column of missing values, which ``str.len`` gives as NaN)."""
    lengths = column.fillna("").astype(str).str.len()
    return int(lengths.max()) if len(lengths) else 0


def _segment(value: Any) -> str:
    """A segment id as shown: a suggestion whose quote a re-ingest lost has none."""
    return "(quote lost)" if value is None or str(value) in {"<NA>", "nan", "None"} else str(value)


def _queue_table(shown: Any, total: int, fixed: dict[str, Any], loose: list[str]) -> None:
    table = Table(title=f"{total} suggestion(s) to review")
    for col in fixed:
        table.add_column(col, overflow="ellipsis", no_wrap=True)
    for col in loose:
        table.add_column(col, overflow="fold", min_width=30)
    for i, r in enumerate(shown.itertuples(), start=1):
        flag = "; ".join(x for x in (_clip(getattr(r, "flag", None), 200),
                                     _clip(getattr(r, "blocked", None), 200)) if x)
        table.add_row(str(i) + ("*" if r.skipped else ""), lit(r.coding_id), lit(r.segment_id), lit(r.code_id),
                      _conf(r.confidence), lit(r.suggesters), lit(_clip(str(r.evidence).replace("\n", " | "), 200)),
                      lit(_clip(r.text, 70)), *([lit(flag)] if "flag" in loose else []))
    console.print(table)


def _queue_records(shown: Any, total: int) -> None:
    """One record per suggestion: a heading line, then its why, flag and text lines, wrapped at words."""
    from rich.padding import Padding

    console.print(Text(f"{total} suggestion(s) to review", style="bold"))
    for i, r in enumerate(shown.itertuples(), start=1):
        conf = _conf(r.confidence)
        head = Text(f"{i}{'*' if r.skipped else ''}  ", style="bold")
        head.append(f"{r.segment_id}  ")
        head.append(str(r.code_id), style="bold cyan")
        head.append(f"  {conf}" if conf else "")
        head.append(f"  by {r.suggesters}  ", style="dim")
        head.append(f"[{r.coding_id}]", style="dim")
        console.print(head, highlight=False)
        lines = [Text("why: " + _clip(line, 200), style="dim") for line in str(r.evidence or "").splitlines()]
        if _clip(getattr(r, "flag", None), 1):
            lines.append(Text("flag: " + _clip(r.flag, 200), style="yellow"))
        if _clip(getattr(r, "blocked", None), 1):
            lines.append(Text("cannot be accepted: " + _clip(r.blocked, 200), style="yellow"))
        lines.append(Text("text: " + _clip(r.text, 160)))
        for line in lines:  # indented, wrapped at words within the width
            console.print(Padding(line, (0, 0, 0, 4), expand=False), highlight=False)


def review_session(study: Any, queue: Any, reviewer: str) -> Counter[str]:
    """Show each item and store each answer until the queue ends or the reviewer quits."""
    codebook = _codebook(study)
    single_key = is_interactive()
    done: Counter[str] = Counter()
    for pos, item in enumerate(queue.itertuples(), start=1):
        result = None
        while result is None:
            render_item(item, pos, len(queue), codebook)
            action = _ask_action(single_key)
            if action == "quit":
                return done
            result = _decide(study, item, action, reviewer, codebook)
        done[result] += 1
    return done


@app.command("review")
def review_cli(
    uncertain_first: Annotated[bool, typer.Option("--uncertain-first",
                                                  help="Most uncertain suggestions first (active learning).")] = False,
    order: Annotated[Optional[str], typer.Option("--order", help="document (reading order) or uncertain "
                                                 "(same as --uncertain-first).")] = None,
    code: Annotated[Optional[list[str]], typer.Option("--code", help="Only suggestions of this code (repeatable).")] = None,
    suggester: Annotated[Optional[str], typer.Option("--suggester", help="Only this suggester's suggestions, "
                                                     "e.g. thematic.rules.v1.")] = None,
    document: Annotated[Optional[list[str]], typer.Option("--document", "-d", help="Only this document.")] = None,
    reviewer: Annotated[Optional[str], typer.Option("--reviewer", envvar="THEMATIC_CODER",
                                                    help="Who decides (default: $THEMATIC_CODER, else the only "
                                                    "coder in thematic.toml, else asked).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="Print the queue and exit (no prompts).")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="With --list: show at most this many.")] = 50,
    study: StudyOpt = None,
) -> None:
    """Review suggested codings one by one: a accept, r reject, s skip, c recode, q quit.

    Every decision is stored at once; run it again to resume (skipped items come last).
    Works at a terminal (single keys) and through a pipe (`printf 'a\\nr\\nq\\n' | thematic review`).
    See docs/manual-coding.md#review.
    """
    with error_boundary():
        s = open_study(study)
        queue = s.review_queue(order=order or ("uncertain" if uncertain_first else "document"), coder=suggester,
                               code=code, document=document)
    if list_ and not queue.empty:
        render_queue(queue, limit)
        return
    if queue.empty:
        with error_boundary():
            waiting = s.review_queue() if (code or suggester or document) else queue
        if waiting.empty:
            console.print("Nothing to review: no suggested codings are waiting.")
        else:
            by = ", ".join(f"{n} from {who}" for who, n in waiting["coder"].value_counts().sort_index().items())
            console.print(f"Nothing to review that matches --code/--suggester/--document; {len(waiting)} suggested "
                          f"coding(s) are waiting in all ({by}). Run `thematic review --list` to see them.",
                          highlight=False, markup=False)
        return
    with error_boundary():
        who = resolve_reviewer(reviewer, s.config.coders, interactive=is_interactive())
        who = s.store.person(who, "reviewer")  # before the first item: a suggester's name is E357, as stored: NFC
    console.print(f"Reviewing {len(queue)} suggestion(s) as [bold]{lit(who)}[/].", highlight=False)
    with error_boundary():
        done = review_session(s, queue, who)
    left = len(s.review_queue(coder=suggester, code=code, document=document))
    summary = ", ".join(f"{n} {k}" for k, n in sorted(done.items())) or "no decisions"
    console.print(f"Done: {summary}. {left} suggestion(s) left" + (" — run `thematic review` to continue." if left
                                                                       else "."), highlight=False)
