"""Atomic file writes: write beside the target, then rename, so a crash never leaves half a file."""

from __future__ import annotations

import glob
import hashlib
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ._files import file_kind, process_alive
from .errors import Errors, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(target: Path) -> None:
    """E417 when ``target`` exists and is a symlink, pipe, device or socket: the rename would replace the node
    itself (a FIFO or /dev/full would become a plain file) while the command reports writing to it."""
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return  # missing (or unreadable: the write reports it)
    kind = file_kind(mode)
    if kind is None:
        return  # a folder fails in the rename with its own OSError
    if stat.S_ISLNK(mode):
        kind += f" to {os.readlink(target)}"
    raise InputError(Errors.E417.format(path=target, kind=kind))


#: What in a study no chosen output may replace (path parts from the study folder): the pseudonym key, the
#: inputs, the store with its side files, its backups and caches, the codebook's frozen releases. The study writes
#: there itself; an export never does (exports of codings may still go to data/coded/).
PROTECTED: dict[tuple[str, ...], str] = {
    ("private",): "the pseudonym key",
    ("data", "raw"): "the transcripts and surveys the study reads",
    ("data", "coded", "backups"): "the store's backups",
    ("data", "coded", "cache"): "the encoder's and language model's caches",
    ("data", "coded", "models"): "the trained suggesters",
    ("codebooks", ".versions"): "the codebook's frozen releases",
}
_STORE_FILES = ("thematic.db", "thematic.db-wal", "thematic.db-shm", "thematic.db-journal")
_CONFIG = "thematic.toml"
_CODEBOOK_SUFFIXES = (".yaml", ".yml")


def _configured_codebook(root: Path) -> tuple[str, ...] | None:
    """The path parts (from ``root``) of the codebook thematic.toml names, if it names one inside the study."""
    import tomllib

    try:
        with open(root / _CONFIG, "rb") as fh:
            setting = tomllib.load(fh).get("study", {}).get("codebook")
        parts = (root / str(setting)).resolve().relative_to(root.resolve()).parts if setting else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # an unreadable or odd setting: the command that reads it says so
    return tuple(p.casefold() for p in parts) if parts else None


def _protected(parts: tuple[str, ...], root: Path | None = None) -> tuple[str, str] | None:
    """(folder, what it holds) when a path with these parts (from the study folder ``root``) may not be written."""
    folded = tuple(p.casefold() for p in parts)
    if folded == (_CONFIG,):
        return "top folder", "the study's settings (thematic.toml)"
    if parts[:2] == ("data", "coded") and len(parts) == 3 and parts[2].casefold() in _STORE_FILES:
        return "data/coded/", "the store"
    for prefix, what in PROTECTED.items():
        if folded[:len(prefix)] == prefix and len(parts) > len(prefix):
            return "/".join(prefix) + "/", what
    if len(folded) == 2 and folded[0] == "codebooks" and folded[1].endswith(_CODEBOOK_SUFFIXES):
        return "codebooks/", "the codebooks"
    configured = _configured_codebook(root) if root is not None else None
    if configured:
        versions = (*configured[:-1], ".versions")
        if folded == configured:
            return "/".join(parts[:-1]) + "/" if len(parts) > 1 else "top folder", "the codebook"
        if folded[:len(versions)] == versions and len(parts) > len(versions):
            return "/".join(parts[:len(versions)]) + "/", "the codebook's frozen releases"
    return None


def check_output(target: str | Path) -> None:
    """E067 when ``target`` would replace the study's pseudonym key, an input, the store or its backups, its
    settings or codebooks: nothing could bring those back."""
    target = Path(target)
    if target.name in ("", ".", ".."):
        return
    where = target.parent.resolve() / target.name
    for root in where.parents:
        if (root / _CONFIG).is_file():
            found = _protected(where.relative_to(root).parts, root)
            if found is not None:
                raise InputError(Errors.E067.format(path=where, folder=found[0], what=found[1]))
            return


def publish(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the permissions a normally created file would have, then rename it onto ``target``."""
    check_target(target)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; a report or sheet is meant to be shared
    os.replace(tmp, target)


#: What a temporary name adds to its target's: two dots, a process id (up to 7 digits), a dash, 8 random
#: characters and ".tmp", with room to spare.
_TMP_EXTRA = 24


def name_max(folder: str | Path) -> int:
    """The longest file name, in bytes, the file system holding ``folder`` takes (255 where it does not say)."""
    for where in (Path(folder), *Path(folder).parents):
        try:
            return int(os.pathconf(where, "PC_NAME_MAX"))
        except FileNotFoundError:
            continue  # a folder still to be made: ask the one above
        except (OSError, ValueError, AttributeError):
            break
    return 255


def check_name(target: str | Path) -> None:
    """E062 when ``target``'s name is longer than its file system takes: say so before anything is written."""
    target = Path(target)
    size, limit = len(os.fsencode(target.name)), name_max(target.parent)
    if size > limit:
        raise InputError(Errors.E062.format(path=target, size=size, limit=limit))


def temp_stem(target: Path) -> str:
    """The name a temporary file beside ``target`` is made from: ``target``'s own, or a short digest of it where the
    temporary name would be over the file system's limit (so a target of any legal length can be written)."""
    if len(os.fsencode(target.name)) + _TMP_EXTRA <= name_max(target.parent):
        return target.name
    return "thematic-" + hashlib.sha256(os.fsencode(target.name)).hexdigest()[:16]


def _clean_stale(target: Path) -> None:
    """Remove ``target``'s temporary files left by a writer that was killed (named ``.STEM.PID-XXXX.tmp``, PID gone)."""
    stem = temp_stem(target)
    start = len(stem) + 2
    for tmp in target.parent.glob(f".{glob.escape(stem)}.*-*.tmp"):
        pid = tmp.name[start:].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_path(target: str | Path, *, internal: bool = False) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success it replaces ``target``, else it is removed.
    A ``target`` that is a symlink, pipe, device or socket is refused (E417) before anything is written, and
    so is one that would replace a study's pseudonym key, inputs, store, settings or codebooks (E067) unless the study
    writes it itself (``internal``), and a name longer than the file system takes (E062).

    Example:
        >>> with atomic_path("reports/appendix.docx") as tmp:
        ...     document.save(tmp)
    """
    target = Path(target)
    check_target(target)
    if not internal:
        check_output(target)
    check_name(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    fd, name = tempfile.mkstemp(prefix=f".{temp_stem(target)}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        publish(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(target: str | Path, text: str, *, encoding: str = "utf-8", internal: bool = False) -> Path:
    """Write ``text`` to ``target`` atomically (newlines written as given); ``internal`` as for ``atomic_path``."""
    with atomic_path(target, internal=internal) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
    return Path(target)
