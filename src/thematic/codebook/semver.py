"""Semantic version numbers of codebooks: parse, compare and bump ``MAJOR.MINOR.PATCH``."""

from __future__ import annotations

import re
from typing import Any

#: The most digits of one number in a version (major, minor, patch or a numeric pre-release part): versions are
#: compared as integers, and Python refuses to read one of more than 4300 digits.
MAX_DIGITS = 18

_NUMBER = rf"(0|[1-9]\d{{0,{MAX_DIGITS - 1}}})"
#: ``1.2.3``, optionally with a pre-release or build suffix (``1.0.0-rc.1``), as in semver.org.
SEMVER_RE = re.compile(rf"{_NUMBER}\.{_NUMBER}\.{_NUMBER}"
                       r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                       r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")  # used with fullmatch: '$' accepts a final newline
PARTS = ("major", "minor", "patch")


def is_semver(value: object) -> bool:
    """True when ``value`` is a string like ``0.2.1`` whose numbers have at most MAX_DIGITS digits each."""
    if not isinstance(value, str):
        return False
    m = SEMVER_RE.fullmatch(value)
    return m is not None and not any(p.isdigit() and len(p) > MAX_DIGITS for p in (m.group(4) or "").split("."))


#: The key of anything that is not semver: before every real version.
_NOT_SEMVER: tuple[Any, ...] = (-1, -1, -1, (0, ()))


def _identifier(part: str) -> tuple[int, int, str]:
    """SemVer 2.0 §11: numeric identifiers compare numerically and sort before alphanumeric ones."""
    return (0, int(part), "") if part.isdigit() else (1, 0, part)


def semver_key(value: object) -> tuple[Any, ...]:
    """A sortable key following SemVer 2.0 precedence; anything that is not semver sorts before 0.0.0.

    A pre-release sorts before its release (``1.0.0-rc.1 < 1.0.0``), its dot-separated identifiers
    compare one by one (numbers numerically, before words; a longer list wins a tie), and build
    metadata (``+build.5``) is ignored. Codings with an unknown version are treated as older than
    every release.
    """
    if not is_semver(value):
        return _NOT_SEMVER
    m = SEMVER_RE.fullmatch(str(value))
    assert m is not None
    pre = m.group(4)
    rank = (1, ()) if pre is None else (0, tuple(_identifier(p) for p in pre.split(".")))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), rank)


def bump_version(version: str, part: str = "patch") -> str:
    """The next version: ``bump_version("1.2.3", "minor") == "1.3.0"``; a pre-release bumps to its release.

    Raises:
        ValueError: ``version`` is not semver or ``part`` is not major, minor or patch.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    if not is_semver(version):
        raise ValueError(f"{version!r} is not a semantic version like 1.0.0")
    major, minor, patch, (is_release, _) = semver_key(version)
    if not is_release:  # a pre-release: the part names the release it leads to (1.0.0-rc.1 -> 1.0.0)
        if part == "patch" or (part == "minor" and patch == 0) or (part == "major" and minor == patch == 0):
            return f"{major}.{minor}.{patch}"
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
