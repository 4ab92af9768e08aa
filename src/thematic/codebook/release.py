"""Releasing codebook versions: bump the file's ``version``, freeze a copy, record it in the store.

A release writes ``codebooks/.versions/<name>-<version>.yaml`` (the exact text) and the same text into
the store's ``codebook_versions`` table, so every coding's ``codebook_version`` stays reproducible
even if the folder is lost. The working file's ``version`` line is rewritten in place (located with
ruamel's round-trip parser), so comments and layout survive; every file is written to a temporary
file and renamed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._atomic import write_text_atomic
from ..errors import CodebookError, Errors, NotFoundError, Warnings
from .changes import ChangeEntry, parse_changes
from .files import VERSIONS_DIR as VERSIONS_DIR
from .files import frozen_copies
from .io import BOM, content_digest, load_codebook, loads_codebook, read_codebook_raw, read_codebook_text
from .parse import _yaml, parse_yaml
from .model import Codebook
from .semver import PARTS, bump_version, is_semver, semver_key
from .validate import safe_name

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store


@dataclass(frozen=True, slots=True)
class Release:
    """A released version: where its frozen copy is and whether the store recorded it just now."""

    name: str
    version: str
    previous: str
    frozen: Path
    content_hash: str
    recorded: bool


def text_hash(text: str) -> str:
    """The content hash of codebook text (the same as ``Codebook.content_hash``; BOM and CRLF ignored)."""
    return content_digest(text)


def versions_dir(codebook_path: str | Path) -> Path:
    """``codebooks/.versions`` beside the working codebook file."""
    return Path(codebook_path).parent / VERSIONS_DIR


def frozen_path(codebook_path: str | Path, name: str, version: str) -> Path:
    """Where the frozen copy of ``name`` at ``version`` lives: always a file directly inside .versions/.

    The name and version come from a file someone may have sent, so the name is reduced to a slug (a semver
    version is kept as it is: its build metadata's '+' is a plain file-name character, and a slug would read
    back as another version) and the resolved path is checked to stay inside the folder (validation already
    refuses such names: C019).
    """
    folder = versions_dir(codebook_path)
    stem = f"{safe_name(name) or 'codebook'}-{version if is_semver(version) else safe_name(version) or 'unknown'}"
    path = folder / f"{stem}.yaml"
    if path.resolve().parent != folder.resolve():  # pragma: no cover - the slug has no separators
        raise CodebookError(Errors.E207.format(name=name, version=version, folder=folder))
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename (the study's own
    codebook and frozen copy, which no chosen output may replace)."""
    write_text_atomic(path, text, internal=True)


def set_version_text(text: str, version: str, *, path: str = "<codebook>") -> str:
    """``text`` with its top-level ``version`` set to ``version``, everything else byte for byte.

    The value is found by ruamel's round-trip parser (line and column); a layout that cannot be edited
    in place (e.g. a flow-style document) falls back to a ruamel round-trip dump, which keeps comments.
    """
    data = parse_yaml(text, path)
    try:
        line, col = data.lc.value("version")
        lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # split at LF only, as YAML counts lines; CR stays put
        old = str(data["version"])
        head, tail = lines[line][:col], lines[line][col:]
        new_tail, n = re.subn(r"^(['\"]?)" + re.escape(old) + r"\1", lambda m: f"{m.group(1)}{version}{m.group(1)}",
                              tail, count=1)
        if n == 1:
            candidate = "".join(lines[:line]) + head + new_tail + "".join(lines[line + 1:])
            if str(parse_yaml(candidate, path).get("version")) == version:
                return candidate
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    data = parse_yaml(text, path, fresh=True)  # a copy of its own: the shared parse is read-only
    data["version"] = version
    out = io.StringIO()
    y = _yaml()
    y.width = 4096
    y.dump(data, out)
    return out.getvalue()


def release_codebook(codebook_path: str | Path, store: "Store", part: str | None = "patch") -> Release:
    """Release the codebook at ``codebook_path``: bump ``part`` (or keep the number when None), freeze, record.

    Args:
        codebook_path: the working codebook file (validated first; an invalid file is never released).
        store: the study's store, which records the released text.
        part: ``major``, ``minor`` or ``patch``; None releases the current number as it is (first release).

    Raises:
        CodebookError: invalid file, version already released with other content (E200), pending changes
            entries for a version above the new one (E203), a version not above the highest released
            one (E208: ``version:`` lowered by hand), nothing changed since the last release (E209), or a bump
            that would skip the file's own version, never released, that codings were made under (E214).

    Example:
        >>> release_codebook("codebooks/study.yaml", study.store, "minor").version
        '1.1.0'
    """
    path = Path(codebook_path)
    raw = read_codebook_raw(path)  # BOM and line endings kept: only the version value changes
    bom, text = (BOM, raw[1:]) if raw.startswith(BOM) else ("", raw)
    cb = loads_codebook(text, path=str(path))
    if part is not None and part not in PARTS:
        raise CodebookError(Errors.E204.format(part=part, allowed=", ".join(PARTS)))
    version = bump_version(cb.version, part) if part else cb.version
    ahead = [e for e in cb.change_log if semver_key(e.version) > semver_key(version)]
    if ahead:
        raise CodebookError(Errors.E203.format(path=path, entry_version=ahead[0].version, line=ahead[0].line,
                                               version=version))
    released = released_versions(path, cb.name, store)
    if released and version not in released and semver_key(version) <= semver_key(released[-1]):
        raise CodebookError(Errors.E208.format(path=path, version=version, highest=released[-1], name=cb.name))
    if part is not None and cb.version in released and release_state(cb, store) == "released":
        raise CodebookError(Errors.E209.format(path=path, name=cb.name, previous=cb.version, version=version))
    skipped = _coded_unreleased(cb, store, released) if version != cb.version else 0
    if skipped:
        raise CodebookError(Errors.E214.format(path=path, n=skipped, name=cb.name, version=cb.version, new=version))
    backdated = backdated_entries(cb, store) if version not in released else []
    if backdated:
        raise CodebookError(Errors.E213.format(**_backdated_fields(cb, backdated, version)))
    new_text = bom + (set_version_text(text, version, path=str(path)) if version != cb.version else text)
    digest = text_hash(new_text)
    frozen = frozen_path(path, cb.name, version)
    _check_unreleased(frozen, store, cb.name, version, digest)
    loads_codebook(new_text, path=str(path))  # the edited text must still be a valid codebook
    if not frozen.exists():
        write_atomic(frozen, new_text)
    try:
        recorded = store.save_codebook_version(cb.name, version, new_text, digest)
    except BaseException:
        frozen.unlink(missing_ok=True)
        raise
    if new_text != raw:
        write_atomic(path, new_text)
    return Release(cb.name, version, cb.version, frozen, digest, recorded)


def _coded_unreleased(codebook: Codebook, store: "Store", released: list[str]) -> int:
    """How many codings carry the file's own version when it was never released (above every release): 0 if none."""
    if codebook.version in released or (released and semver_key(codebook.version) <= semver_key(released[-1])):
        return 0
    return sum(int(n) for v, n in store.counts()["by_codebook_version"] if v == codebook.version)


def backdated_entries(codebook: Codebook, store: "Store | None" = None) -> list[tuple[ChangeEntry, str]]:
    """Migration entries dated at or below a released version whose frozen copy lacks them, each with that release.

    ``migrate`` applies an entry only to codings made under an older version than the entry, so an entry added
    to the log after the release it is dated to never reaches the codings made under that release or later.
    """
    if not codebook.path:
        return []
    released = released_versions(codebook.path, codebook.name, store)
    frozen_keys: dict[str, set[str] | None] = {}
    out = []
    for entry in codebook.change_log:
        if entry.kind == "note":
            continue
        release = next((v for v in released if semver_key(v) >= semver_key(entry.version)), None)
        if release is None:
            continue
        if release not in frozen_keys:
            frozen_keys[release] = _entry_keys(codebook.path, codebook.name, release, store)
        keys = frozen_keys[release]
        if keys is not None and entry.key not in keys:
            out.append((entry, release))
    return out


def _entry_keys(codebook_path: str | Path, name: str, version: str, store: "Store | None") -> set[str] | None:
    """The keys of the changes entries in the released copy of ``name`` at ``version`` (None if unreadable)."""
    frozen = frozen_path(codebook_path, name, version)
    try:
        text = read_codebook_text(frozen) if frozen.is_file() else None
        if text is None and store is not None:
            text = store.codebook_content(name, version)
        if text is None:
            return None
        raw = parse_yaml(text.removeprefix(BOM), str(frozen), fresh=True).get("changes") or []
        return {e.key for e in parse_changes(raw)}
    except (CodebookError, NotFoundError, AttributeError, TypeError):
        return None


def next_release(codebook: Codebook, store: "Store | None" = None) -> str:
    """The version the next ``bump`` makes: the file's own when not yet released, else its patch bump."""
    released = released_versions(codebook.path, codebook.name, store) if codebook.path else []
    if codebook.version not in released and (not released or semver_key(codebook.version) > semver_key(released[-1])):
        return codebook.version
    highest = max([codebook.version, *released], key=semver_key)
    return bump_version(highest, "patch") if is_semver(highest) else codebook.version


def _backdated_fields(codebook: Codebook, backdated: list[tuple[ChangeEntry, str]], version: str) -> dict[str, str]:
    """The fields of E213/W389 for the first backdated entry (the others' lines are listed)."""
    entry, release = backdated[0]
    where = f"{codebook.path}:{entry.line}" if entry.line is not None else str(codebook.path)
    others = [str(e.line) for e, _ in backdated[1:] if e.line is not None]
    more = f" (so are the entries on line{'s' if len(others) > 1 else ''} {', '.join(others)})" if others else ""
    return {"where": where, "entry": entry.describe(), "version": entry.version, "name": codebook.name,
            "release": release, "new": version, "more": more}


def backdated_warnings(codebook: Codebook, store: "Store | None" = None) -> list[str]:
    """W389 for each changes entry dated to a release that was frozen without it (see ``backdated_entries``)."""
    backdated = backdated_entries(codebook, store)
    new = next_release(codebook, store) if backdated else ""
    return [Warnings.W389.format(**_backdated_fields(codebook, [item], new)) for item in backdated]


def _check_unreleased(frozen: Path, store: "Store", name: str, version: str, digest: str) -> None:
    """Refuse to overwrite a released version with different content (same content is a no-op)."""
    texts = []
    if frozen.exists():
        texts.append(read_codebook_text(frozen))
    try:
        texts.append(store.codebook_content(name, version))
    except NotFoundError:
        pass
    if any(text_hash(t) != digest for t in texts):
        raise CodebookError(Errors.E200.format(name=name, version=version, path=frozen))


def release_state(codebook: Codebook, store: "Store | None" = None) -> str:
    """``released`` (this exact text is frozen), ``modified`` (edited after its release) or ``unreleased``."""
    texts = []
    if codebook.path:
        frozen = frozen_path(codebook.path, codebook.name, codebook.version)
        if frozen.exists():
            texts.append(read_codebook_text(frozen))
    if store is not None and not texts:
        try:
            texts.append(store.codebook_content(codebook.name, codebook.version))
        except NotFoundError:
            pass
    if not texts:
        return "unreleased"
    return "released" if text_hash(texts[0]) == codebook.content_hash else "modified"


def released_versions(codebook_path: str | Path, name: str, store: "Store | None" = None) -> list[str]:
    """Versions of ``name`` frozen under .versions/ or recorded in the store, oldest first."""
    found = set(frozen_copies(codebook_path, safe_name(name) or "codebook"))
    if store is not None:
        found.update(store.codebook_versions(name)["version"].tolist())
    return sorted((v for v in found if is_semver(v)), key=semver_key)


def resolve_codebook(spec: str | Path, codebook_path: str | Path | None, store: "Store | None" = None) -> Codebook:
    """A codebook named by a file path, a released version (``0.1.0``) or ``current``.

    Versions are looked up in ``codebooks/.versions/`` first, then in the store.
    """
    if Path(spec).is_file():
        return load_codebook(spec)
    if codebook_path is None:
        raise CodebookError(Errors.E202.format(where=f"'{spec}' is not a file and there is no study codebook to "
                                               "look versions up in"))
    current = load_codebook(codebook_path)
    if str(spec) in ("current", "working", "."):
        return current
    if is_semver(str(spec)):
        frozen = frozen_path(codebook_path, current.name, str(spec))
        if frozen.is_file():
            return load_codebook(frozen)
        if store is not None:
            try:
                text = store.codebook_content(current.name, str(spec))
                return loads_codebook(text, path=f"{current.name}@{spec} (store)")
            except NotFoundError:
                pass
        if current.version == str(spec):
            return current
    known = released_versions(codebook_path, current.name, store)
    raise CodebookError(Errors.E201.format(spec=spec, name=current.name, released=", ".join(known) or "none yet",
                                           version=current.version))


def versions_frame(codebook_path: str | Path, name: str, store: "Store | None" = None) -> "pd.DataFrame":
    """Released versions with where each is kept: version, frozen (path or None), in_store."""
    import pandas as pd

    stored = set(store.codebook_versions(name)["version"]) if store is not None else set()
    rows = []
    for v in released_versions(codebook_path, name, store):
        f = frozen_path(codebook_path, name, v)
        rows.append({"version": v, "frozen": str(f) if f.exists() else None, "in_store": v in stored})
    return pd.DataFrame(rows, columns=["version", "frozen", "in_store"])
