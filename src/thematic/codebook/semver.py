"""Semantic version numbers of codebooks: parse, compare and bump ``MAJOR.MINOR.PATCH``."""

from __future__ import annotations

import re

#: ``1.2.3``, optionally with a pre-release or build suffix (``1.0.0-rc.1``), as in semver.org.
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
PARTS = ("major", "minor", "patch")


def is_semver(value: object) -> bool:
    """True when ``value`` is a string like ``0.2.1``."""
    return isinstance(value, str) and SEMVER_RE.match(value) is not None


def semver_key(value: object) -> tuple[int, int, int]:
    """A sortable key; anything that is not semver (None, '?', 'draft') sorts before 0.0.0.

    Codings with an unknown version are therefore treated as older than every release.
    """
    if not is_semver(value):
        return (-1, -1, -1)
    m = SEMVER_RE.match(str(value))
    assert m is not None
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)))


def bump_version(version: str, part: str = "patch") -> str:
    """The next version: ``bump_version("1.2.3", "minor") == "1.3.0"``.

    Raises:
        ValueError: ``version`` is not semver or ``part`` is not major, minor or patch.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    if not is_semver(version):
        raise ValueError(f"{version!r} is not a semantic version like 1.0.0")
    major, minor, patch = semver_key(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
