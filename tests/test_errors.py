"""The error catalogue: coded, unique, actionable messages."""

from __future__ import annotations

import re

from thematic.errors import Errors, NotFoundError, Problem, ThematicError, Warnings, problems_message


def _catalogue(cls: type) -> dict[str, str]:
    return {k: v for k, v in vars(cls).items() if re.fullmatch(r"[EW]\d{3}", k)}


def test_errors_every_message_carries_its_own_code() -> None:
    for cls in (Errors, Warnings):
        for name, msg in _catalogue(cls).items():
            assert msg.startswith(f"[{name}]"), name


def test_errors_codes_are_unique_across_catalogues() -> None:
    codes = [m[1:5] for cls in (Errors, Warnings) for m in _catalogue(cls).values()]
    assert len(codes) == len(set(codes))


def test_errors_not_found_prints_without_key_error_quotes() -> None:
    err = NotFoundError(Errors.E012.format(document="int-01"))
    assert isinstance(err, ThematicError) and isinstance(err, KeyError)
    assert str(err).startswith("[E012] Document 'int-01'")


def test_errors_problems_are_listed_all_at_once_with_file_and_line() -> None:
    msg = problems_message("Codebook x.yaml is invalid", [
        Problem("x.yaml", 3, "C010", "duplicate id 'a'"), Problem("x.yaml", None, "C003", "missing version")])
    assert msg.splitlines() == [
        "Codebook x.yaml is invalid (2 problems):",
        "  x.yaml:3: [C010] duplicate id 'a'",
        "  x.yaml: [C003] missing version",
    ]
