"""Open a .qdpx, .qde or .qdc file safely and find the text of its sources.

Source references are resolved only inside the archive or beside the imported file: a reference
to a path elsewhere on the disk is reported as missing, never read (an imported file is untrusted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import Errors
from .model import RefiProject
from .reader import read_project
from .safety import DEFAULT_LIMITS, Archive, Limits, RefiError, parse_xml, read_limited, safe_member_path

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(slots=True)
class LoadedRefi:
    """A parsed REFI file and where its source texts can be read from."""

    path: Path
    project: RefiProject
    archive: Archive | None = None
    limits: Limits = DEFAULT_LIMITS
    folder: Path = field(default_factory=Path)

    def close(self) -> None:
        """Release the archive."""
        if self.archive is not None:
            self.archive.close()

    def read_source(self, ref: str) -> tuple[bytes | None, str]:
        """The bytes behind a ``plainTextPath``/``path`` reference, and where they were looked for.

        Raises RefiError (E508) for an ``internal://`` reference that climbs out of the archive.
        """
        scheme, _, rest = ref.partition("://") if "://" in ref else ("", "", ref)
        scheme = scheme.lower()
        if scheme == "internal":
            member = safe_member_path(rest)
            if member is None:
                raise RefiError(Errors.E508.format(path=self.path, ref=ref))
            candidates = [f"sources/{member}", member]
        else:
            rel = safe_member_path(rest) if scheme in ("relative", "") else None
            base = PureWindowsPath(rest).name if "\\" in rest else PurePosixPath(rest).name
            candidates = [c for c in (f"sources/{rel}" if rel else None, rel, f"sources/{base}", base) if c]
        for name in dict.fromkeys(candidates):
            data = self._member(name) if self.archive is not None else self._beside(name)
            if data is not None:
                return data, name
        return None, " or ".join(dict.fromkeys(candidates))

    def _member(self, name: str) -> bytes | None:
        assert self.archive is not None
        found = self.archive.find(name)
        return self.archive.read(found) if found else None

    def _beside(self, name: str) -> bytes | None:
        """A file under the imported file's folder (``Sources/`` spelt any way), never outside it."""
        folder = self.folder.resolve()
        parts = name.split("/")
        if parts[0].lower() == "sources":
            dirs = [d for d in folder.iterdir() if d.is_dir() and d.name.lower() == "sources"] if folder.is_dir() else []
            candidates = [d.joinpath(*parts[1:]) for d in dirs]
        else:
            candidates = [folder.joinpath(*parts)]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(folder):
                return read_limited(resolved, self.limits.max_member_bytes)
        return None


def _project_member(archive: Archive, path: Path) -> str:
    # every member, not one per name: project.qde beside Project.qde (or twice) is ambiguous, never one picked
    qde = [n for n in archive.all_names if "/" not in n and n.lower().endswith(".qde")]
    if len(qde) != 1:
        raise RefiError(Errors.E506.format(path=path, found=len(qde)))
    return qde[0]


def load_refi(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> LoadedRefi:
    """Open and parse a REFI-QDA file (.qdpx zip, .qde project XML or .qdc codebook XML).

    Raises RefiError for a missing, corrupt, truncated, hostile or non-REFI file (E035: nested past
    the recursion limit).
    """
    try:
        return _load_refi(path, limits=limits)
    except RecursionError:
        raise RefiError(Errors.E035.format(path=path)) from None


def _load_refi(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> LoadedRefi:
    path = Path(path)
    if not path.is_file():
        raise RefiError(Errors.E021.format(path=path, detail="no such file"))
    with path.open("rb") as fh:
        head = fh.read(4)
    if head == ZIP_MAGIC or path.suffix.lower() == ".qdpx":
        archive = Archive(path, limits)
        try:
            member = _project_member(archive, path)
            root = parse_xml(archive.read(member, limit=limits.max_xml_bytes), f"{path}!{member}")
            project = read_project(root, f"{path}!{member}")
        except BaseException:
            archive.close()
            raise
        return LoadedRefi(path, project, archive, limits, path.parent)
    data = read_limited(path, limits.max_xml_bytes)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RefiError(Errors.E500.format(path=path, detail="neither a zip archive nor XML"))
    project = read_project(parse_xml(data, str(path)), str(path))
    return LoadedRefi(path, project, None, limits, path.parent)
