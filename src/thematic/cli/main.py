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


def main() -> None:
    """Console-script entry point: output its encoding cannot hold degrades instead of failing; Ctrl-C is one line
    and exit 130, saying what a command stored (its batch) when it was stopped afterwards."""
    tolerant_output()
    try:
        app()
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
