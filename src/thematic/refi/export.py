"""Study -> REFI-QDA: a .qdc codebook or a .qdpx project (project.qde + sources/*.txt).

Which codings: ``manual`` and ``accepted`` by default (what thematic's tables count); suggestions
only when asked. Sources are the normalised texts as UTF-8, so selection offsets are exactly
thematic's code-point offsets, end exclusive. Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .._atomic import atomic_path
from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of
from ..errors import Errors
from ..models import COUNTED_STATUSES, utcnow
from .build import ProjectBuilder, codebook_project
from .safety import RefiError
from .writer import codebook_xml, project_xml


@dataclass(slots=True)
class ExportSummary:
    """What an export wrote: the file, what it holds, and anything left out."""

    path: Path
    kind: str  # "qdc" | "qdpx"
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _origin() -> str:
    from .._version import __version__

    return f"thematic {__version__}"


def _atomic_write(out: Path, write: Any) -> None:
    """Run ``write(tmp_path)`` then move the result onto ``out`` (never a half-written file); a failed write is
    E407 naming ``out`` (a full disk's error names no file)."""
    try:
        with atomic_path(out) as tmp:
            write(tmp)
    except OSError as exc:
        raise RefiError(Errors.E407.format(path=out, detail=exc.strerror or exc)) from exc


def export_codebook(codebook: Codebook, out: str | Path, *, study_name: str | None = None) -> ExportSummary:
    """Write a codebook as a REFI-QDA .qdc file (validates against Codebook.xsd).

    Example:
        >>> export_codebook(load_codebook("codebooks/codebook.yaml"), "codebook.qdc")
    """
    out = Path(out)
    if not len(codebook):
        raise RefiError(Errors.E510.format(detail=f"the codebook '{codebook.name}' has no codes"))
    project = codebook_project(codebook, study_name or codebook.name, origin=_origin())
    data = codebook_xml(project)
    _atomic_write(out, lambda tmp: tmp.write_bytes(data))
    return ExportSummary(out, "qdc", {"codes": len(project.all_codes())})


def _study_codebook(study: StudyContext, codebook: str | Path | None) -> Codebook | None:
    if codebook:  # named explicitly: a typo must not quietly export without the codebook
        path = Path(codebook)
        if not path.is_file():
            detail = "no such file, given as --codebook" if not path.exists() else "not a file, given as --codebook"
            raise RefiError(Errors.E021.format(path=path, detail=detail))
        return load_codebook(path)
    path = study.codebook_path
    if path is None or not path.is_file():
        return None
    return load_codebook(path)


def export_refi(
    study: StudyContext | HasContext,
    out: str | Path,
    *,
    codebook_only: bool = False,
    include_suggested: bool = False,
    codebook: str | Path | None = None,
) -> ExportSummary:
    """Export a study to ``out``: a ``.qdc`` codebook or a ``.qdpx`` project, chosen by the suffix.

    Args:
        study: the study to export.
        out: the file to write (``.qdc`` or ``.qdpx``).
        codebook_only: write only the codebook (``out`` must end in ``.qdc``).
        include_suggested: also export suggestions not yet accepted (off: manual + accepted only).
        codebook: a codebook file other than the study's default.
    """
    study = context_of(study)
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".qdc", ".qdpx"):
        raise RefiError(Errors.E509.format(path=out, detail="the file name must end in .qdc (codebook) or .qdpx (project)"))
    if codebook_only and suffix != ".qdc":
        raise RefiError(Errors.E509.format(path=out, detail="--codebook-only writes a .qdc file; change the suffix"))
    cb = _study_codebook(study, codebook)
    if suffix == ".qdc":
        if cb is None:
            raise RefiError(Errors.E510.format(detail="the study has no codebook (codebooks/*.yaml) to export"))
        return export_codebook(cb, out, study_name=study.config.name)
    return export_qdpx(study, out, codebook=cb, include_suggested=include_suggested)


def export_qdpx(
    study: StudyContext | HasContext, out: str | Path, *, codebook: Codebook | None = None,
    include_suggested: bool = False,
) -> ExportSummary:
    """Write the whole study as a .qdpx: users, codebook, cases, sources, selections, codings, memos, the notes an
    import wrote to memos/ and the sets it recorded."""
    study = context_of(study)
    out = Path(out)
    statuses: Iterable[str] = (*COUNTED_STATUSES, "suggested") if include_suggested else COUNTED_STATUSES
    owner = study.config.coders[0] if study.config.coders else "thematic"
    builder = ProjectBuilder(study.config.name, origin=_origin(), created=utcnow(), owner=owner,
                             consensus=study.config.consensus)
    with study.store.snapshot():  # codings, their documents' text, coverage and cases from one moment
        project, texts = builder.build(study.store, codebook, statuses=tuple(statuses), memos=study.root / "memos")
    data = project_xml(project)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("project.qde", data)
            for name, text in texts.items():
                z.writestr(f"sources/{name}", text.encode("utf-8"))

    _atomic_write(out, write)
    return ExportSummary(out, "qdpx", builder.counts, builder.notes)
