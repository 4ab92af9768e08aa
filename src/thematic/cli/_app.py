"""The shared typer app, its command groups, and the one place errors become exit codes."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Optional

import typer
from rich.console import Console, ConsoleDimensions
from rich.markup import escape

from ..errors import Errors, ThematicError

if TYPE_CHECKING:
    import pandas as pd


class _Console(Console):
    """A rich console that prints 120 columns, not rich's 80, when output goes to a log or pipe."""

    @property  # type: ignore[override]
    def size(self) -> ConsoleDimensions:
        dims = super().size
        if "COLUMNS" not in os.environ and not self.is_terminal:
            return ConsoleDimensions(120, dims.height)
        return dims

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


# emoji=False: a file named "smile :x: face.txt" or a quote holding ":x:" shows as written, not as an emoji.
console = _Console(emoji=False)
err_console = _Console(stderr=True, emoji=False)

app = typer.Typer(
    name="thematic",
    help="Thematic analysis of interviews, focus groups and open-text surveys.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _group(name: str, help: str) -> typer.Typer:
    sub = typer.Typer(name=name, help=help, no_args_is_help=True, pretty_exceptions_enable=False)
    app.add_typer(sub, name=name)
    return sub


codebook_app = _group("codebook", "Validate, show, diff, release and migrate the codebook.")
export_app = _group("export", "Export segments, codings, tables and coding sheets (CSV, XLSX, Parquet).")
import_app = _group("import", "Import a coder's filled-in coding sheet, or a filled-in reconcile decision workbook.")
refi_app = _group("refi", "Exchange studies with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA).")
report_app = _group("report", "Write reports: the Word quote appendix and the tables workbook.")
tables_app = _group("tables", "Frequency, co-occurrence and attribute tables.")
#: `thematic code` runs the batch (its callback, in cli/code.py); `thematic code add|remove` edit by hand.
code_app = typer.Typer(name="code", help="Code the study: run the suggesters (batch), or add/remove codings by hand.",
                       invoke_without_command=True, pretty_exceptions_enable=False)
app.add_typer(code_app, name="code")

#: Set by the root callback: show tracebacks instead of one-line messages.
STATE = {"debug": False}

StudyOpt = Annotated[
    Optional[Path],
    typer.Option("--study", "-s", help="Study folder (default: the nearest parent holding thematic.toml)."),
]


#: Where the `code` group keeps its --study and --coder for add, remove and mark-seen (in ``ctx.meta``).
CODE_GROUP = "thematic.code_group"


def code_group_value(ctx: typer.Context, name: str, value: Any) -> Any:
    """A `thematic code` subcommand's option ``name`` (study, coder), or the group's when it came before the
    subcommand (`thematic code --study B add ...`), so it is never dropped; two different values are a usage
    error (E529), never one of them chosen silently."""
    given = ctx.meta.get(CODE_GROUP, {}).get(name)
    if given is None:
        return value

    def same(a: Any, b: Any) -> bool:
        return Path(a).resolve() == Path(b).resolve() if isinstance(b, Path) else str(a).strip() == str(b).strip()

    typed = getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"  # not $THEMATIC_CODER
    if value is not None and typed and not same(value, given):
        raise typer.BadParameter(Errors.E529.format(option=f"--{name}", command=ctx.info_name, group_value=given,
                                                    value=value), ctx, param_hint=f"'--{name}'")
    return given


def code_group_coder(ctx: typer.Context, coder: Optional[str]) -> str:
    """The coder of a `thematic code` subcommand (its --coder, the group's, or $THEMATIC_CODER); none is the usage
    error a missing required option is."""
    coder = code_group_value(ctx, "coder", coder)
    if coder is None:  # a blank name is the library's E018
        raise typer.BadParameter("missing: who is coding (initials or name); give --coder NAME or set "
                                 "$THEMATIC_CODER.", ctx, param_hint="'--coder'")
    return str(coder).strip()


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn thematic's errors into a one-line message and exit code 1 (traceback only with --debug)."""
    try:
        yield
    except ThematicError as exc:
        if STATE["debug"]:
            raise
        err_console.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        if STATE["debug"]:
            raise
        path = exc.filename or "(file)"
        _fail(Errors.E031.format(path=path, detail=exc.strerror or exc))
    except sqlite3.Error as exc:
        if STATE["debug"]:
            raise
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_CORRUPT:
            _fail(Errors.E387.format(what=f"SQLite reports '{exc}' (`PRAGMA integrity_check` in sqlite3 shows where)"))
        _fail(Errors.E032.format(detail=exc))
    except RecursionError:
        if STATE["debug"]:
            raise
        _fail(Errors.E035.format(path="input"))
    except KeyboardInterrupt:
        say_interrupted()
        raise typer.Exit(130) from None


#: What the running command has stored that the researcher may want to undo (its batch), said again if Ctrl-C
#: stops it later, e.g. while a long table prints; ``said``: the Interrupted line was printed.
INTERRUPT = {"kept": "", "said": False}


def keep_on_interrupt(note: str) -> None:
    """Remember ``note`` (what was stored, how to undo it) for the Interrupted line, should Ctrl-C come later."""
    INTERRUPT["kept"] = note


def say_interrupted() -> None:
    """Print the one Interrupted line: what is kept and, when the command stored a batch, how to undo it."""
    if not INTERRUPT["said"]:
        INTERRUPT["said"] = True
        kept = f" {INTERRUPT['kept']}" if INTERRUPT["kept"] else ""
        err_console.print(f"Interrupted; everything committed so far is kept.{kept}", highlight=False, soft_wrap=True,
                          markup=False)


def tolerant_output() -> None:
    """Let stdout and stderr write what their encoding cannot hold (a Latin-1 terminal, a cp1252 redirect on
    Windows) as a \\uXXXX escape instead of failing with UnicodeEncodeError, perhaps after a write was stored."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


#: A thematic warning's message starts with its code, e.g. ``[W600]``.
_CODED_WARNING = re.compile(r"\[W\d{3}\]")


@contextmanager
def library_warnings() -> Iterator[None]:
    """Show the coded warnings (``[W600] ...``) the library raises inside the block as one yellow line each,
    once, instead of Python's warning with its source path and code line; other warnings pass as usual."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.filterwarnings("always", message=_CODED_WARNING.pattern)
            yield
    finally:
        for message in dict.fromkeys(str(w.message) for w in caught if _CODED_WARNING.match(str(w.message))):
            err_console.print(f"[yellow]{escape(message)}[/]", highlight=False, soft_wrap=True)
        for w in caught:
            if not _CODED_WARNING.match(str(w.message)):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)


def coded_warnings_as_lines() -> Callable[[], None]:
    """From now on show a coded warning (``[W600] ...``) that no command caught as one yellow line, not as
    Python's warning with its source path and code line; the returned function restores the usual display."""
    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None,
             line: str | None = None) -> None:
        if _CODED_WARNING.match(str(message)):
            err_console.print(f"[yellow]{escape(str(message))}[/]", highlight=False, soft_wrap=True)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show

    def restore() -> None:
        warnings.showwarning = shown

    return restore


def lit(value: object) -> str:
    """``value`` (a label, quote, file, coder or attribute value) as rich markup that prints exactly as written:
    "[red]" stays text instead of styling, and "[/b]" is no MarkupError."""
    return escape(str(value))


def _fail(message: str) -> None:
    err_console.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1) from None


def stdout_closed() -> None:
    """The reader of stdout has gone (`| head`, a consumer that died): end quietly with exit 1, as typer does for
    every other command, not E031's advice about folders and disks."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
    except (OSError, ValueError):
        pass
    raise typer.Exit(1)


def refuse_stdout(path: Optional[Path]) -> None:
    """``--out -`` ("standard output" to a shell user) refused before any work (E528), never a file named '-'."""
    if path is not None and str(path) == "-":
        from ..errors import InputError

        raise InputError(Errors.E528)


def out_path(path: Path) -> Path:
    """``--out`` made absolute with its folders resolved but not its last part, so that a writer sees a symbolic
    link or pipe given as the output (and refuses it, E417) instead of the file it points to; '-' is E528."""
    refuse_stdout(path)
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


def check_csv_out(path: Path) -> Path:
    """A CSV ``--out`` checked before any work, as every export's is: E405 unless it ends in .csv (never
    thematic.toml or a codebook), E417 for a link, pipe or device, E067 for the study's own files, E062 for a name
    too long; returns it made absolute (``out_path``)."""
    from .._atomic import check_name, check_output, check_target
    from ..errors import InputError

    target = out_path(path)
    if target.suffix.lower() != ".csv":
        raise InputError(Errors.E405.format(path=target, format=target.suffix.lstrip(".") or "(none)", allowed="csv"))
    check_target(target)
    check_output(target)
    check_name(target)
    return target


def save_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as escaped CSV to ``path`` atomically (UTF-8 with BOM), checked as ``check_csv_out`` says."""
    from .._atomic import write_text_atomic
    from .._spreadsheet import csv_text
    from ..errors import StudyError

    target = check_csv_out(path)
    try:
        return write_text_atomic(target, csv_text(df), encoding="utf-8-sig")
    except OSError as exc:
        raise StudyError(Errors.E117.format(path=target, detail=exc.strerror or exc)) from None


def open_study(study: Optional[Path]):  # -> Study (import kept lazy for fast --help)
    """The study named by ``--study`` or found above the working folder; closed when the command ends, however
    it ends (a failed command's traceback would otherwise keep its store open until a garbage collection)."""
    from ..study import Study

    opened = Study.open(study)
    _OPENED.append(opened)
    return opened


_OPENED: list = []


def close_opened_studies() -> None:
    """Close every study a command opened (run when the command ends, however it ends)."""
    while _OPENED:
        _OPENED.pop().close()


def is_interactive() -> bool:
    """True when a person is at the terminal (progress bars and prompts make sense)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
