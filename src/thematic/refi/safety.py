"""Reading untrusted REFI files safely: no XML entities, no zip paths escaping, bounded sizes.

XML is parsed with defusedxml (entity declarations and external references are refused, so XXE and
"billion laughs" cannot work). A .qdpx is read member by member into memory, never extracted by
its own names; member names that are absolute or climb out with ``..`` make the whole archive
refused, and the total and per-member decompressed sizes are capped while reading.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import Errors, InputError

MiB = 1024 * 1024


class RefiError(InputError):
    """A REFI-QDA file cannot be read or written as it is (corrupt, hostile, or not REFI)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what an import may decompress; beyond them the file is refused as a likely zip bomb."""

    max_members: int = 20_000
    max_member_bytes: int = 512 * MiB
    max_total_bytes: int = 2048 * MiB
    max_xml_bytes: int = 64 * MiB  # parsed XML takes ~20x its size in memory
    #: Refuse a member whose size is more than this many times its compressed size (above 1 MiB).
    max_ratio: int = 200
    #: The caps come from the study's ``[limits]``: refusals name the setting that raises them.
    from_study: bool = False

    def key(self, name: str) -> str:
        """``; [limits] NAME in thematic.toml raises it`` when the caps came from the study, else nothing."""
        return f"; [limits] {name} in thematic.toml raises it if you trust the file" if self.from_study else ""


DEFAULT_LIMITS = Limits()


def parse_xml(data: bytes, path: str) -> Element:
    """Parse XML bytes with entities and external references forbidden; errors name file:line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RefiError(Errors.E505.format(path=path, detail=type(exc).__name__)) from exc
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        raise RefiError(Errors.E504.format(path=path, line=line, column=col, detail=exc)) from exc


def _member_key(name: str) -> str:
    """A member name compared case-insensitively, with Windows separators read as '/'."""
    return name.replace("\\", "/").lower()


def _unsafe_name(name: str) -> bool:
    name = name.replace("\\", "/")
    if not name or name.startswith("/") or "\x00" in name:
        return True
    parts = PurePosixPath(name).parts
    return ".." in parts or ":" in parts[0]


def safe_member_path(ref: str) -> str | None:
    """A member name from a ``internal://`` reference, or None if it would escape the archive."""
    cleaned = ref.replace("\\", "/").lstrip("/")
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(parts)


class Archive:
    """A .qdpx opened for bounded reads: look members up by name, case-insensitively."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise RefiError(Errors.E501.format(path=path, detail=exc)) from exc
        self._check(infos)
        files = [i for i in infos if not i.is_dir() and not i.filename.endswith("\\")]
        #: Every file member as stored, names repeated or differing only in case included (``find`` sees one).
        self.all_names = [i.filename.replace("\\", "/") for i in files]
        self._by_name = {_member_key(i.filename): i for i in files}
        self._exact = {i.filename.replace("\\", "/"): i for i in files}

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        lim = self.limits
        if len(infos) > lim.max_members:
            raise RefiError(Errors.E503.format(path=self.path, detail=f"{len(infos)} members (limit {lim.max_members})"))
        declared = 0
        for info in infos:
            if _unsafe_name(info.filename):
                raise RefiError(Errors.E502.format(path=self.path, member=info.filename))
            declared += info.file_size
            if info.file_size > lim.max_member_bytes:
                raise RefiError(Errors.E503.format(path=self.path, detail=(
                    f"'{info.filename}' unpacks to {info.file_size} bytes (limit {lim.max_member_bytes}"
                    f"{lim.key('max_file_mb')})")))
            if info.file_size > MiB and info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise RefiError(Errors.E503.format(
                    path=self.path, detail=f"'{info.filename}' is compressed {info.file_size // max(info.compress_size, 1)}:1"))
        if declared > lim.max_total_bytes:
            raise RefiError(Errors.E503.format(path=self.path, detail=(
                f"{declared} bytes in all (limit {lim.max_total_bytes}{lim.key('max_archive_mb')})")))

    def close(self) -> None:
        """Close the underlying zip file."""
        self._zip.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        """Names of the file members (not folders), with '/' as the separator."""
        return [i.filename.replace("\\", "/") for i in self._by_name.values()]

    def find(self, name: str) -> str | None:
        """The archive's own spelling of ``name``: the member so spelt, else one differing only in case, else None."""
        info = self._exact.get(name.replace("\\", "/")) or self._by_name.get(_member_key(name))
        return info.filename if info else None

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        """A member's bytes, read in chunks and stopped at the size limits (corruption -> E501)."""
        info = self._exact.get(name.replace("\\", "/")) or self._by_name[_member_key(name)]
        cap = min(limit or self.limits.max_member_bytes, self.limits.max_member_bytes)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as fh:
                size = self._read_into(fh, chunks, cap, info.filename)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise RefiError(Errors.E501.format(path=self.path, detail=f"{info.filename}: {exc}")) from exc
        self._read_total += size
        if self._read_total > self.limits.max_total_bytes:
            raise RefiError(Errors.E503.format(path=self.path, detail="more data than declared"))
        return b"".join(chunks)

    def _read_into(self, fh: IO[bytes], chunks: list[bytes], cap: int, name: str) -> int:
        size = 0
        while chunk := fh.read(MiB):
            size += len(chunk)
            if size > cap:
                raise RefiError(Errors.E503.format(path=self.path, detail=(
                    f"'{name}' unpacks to more than {cap} bytes{self.limits.key('max_file_mb')}")))
            chunks.append(chunk)
        return size


def read_limited(path: Path, limit: int) -> bytes:
    """A plain file's bytes, refusing files larger than ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise RefiError(Errors.E503.format(path=path, detail=f"{size} bytes (limit {limit})"))
        return path.read_bytes()
    except OSError as exc:
        raise RefiError(Errors.E021.format(path=path, detail=exc)) from exc
