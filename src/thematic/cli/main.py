"""The `thematic` command: the root options and the registration of every command module."""

from __future__ import annotations

import importlib
from typing import Annotated, Optional

import typer

from .._version import __version__
from ._app import (INTERRUPT, STATE, app, close_opened_studies, coded_warnings_as_lines, say_interrupted,
                   tolerant_output)

#: Command modules; each registers its commands on the shared app or a group when imported.
COMMAND_MODULES = ("study", "ingest", "codebook", "refi", "manual", "search", "sheets", "review", "tables",
                   "agreement", "report", "exports", "code", "evaluate", "twocoders", "reconcile")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"thematic {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for errors.")] = False,
) -> None:
    """Thematic analysis of interviews, focus groups and open-text surveys.

    Start with `thematic init DIR`, put transcripts in data/raw/, then run `thematic code`.
    """
    STATE["debug"] = debug
    INTERRUPT.update(kept="", said=False)
    ctx.call_on_close(close_opened_studies)
    ctx.call_on_close(coded_warnings_as_lines())


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}")


def _flush_output() -> None:
    """Write out what still waits in stdout's buffer while a Ctrl-C can be answered: left to the interpreter's exit,
    the last of a table a slow reader holds up ends with exit 0 however it is interrupted."""
    import os
    import sys

    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader has gone (`| head`): quietly 1, as stdout_closed ends a command
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise SystemExit(1) from None


def main() -> None:
    """Console-script entry point: output its encoding cannot hold degrades instead of failing; Ctrl-C is one line
    and exit 130, saying what a command stored (its batch) when it was stopped afterwards."""
    tolerant_output()
    try:
        try:
            app()
        except SystemExit as exc:
            if exc.code in (0, None):
                _flush_output()
            raise
    except KeyboardInterrupt:
        if INTERRUPT["kept"]:
            say_interrupted()
        else:
            import sys

            sys.stderr.write("Interrupted; nothing was changed.\n")
        raise SystemExit(130) from None
    except SystemExit as exc:
        if exc.code == 130 and INTERRUPT["kept"]:
            say_interrupted()  # typer ends a Ctrl-C outside error_boundary (e.g. in a long table) silently
        raise
