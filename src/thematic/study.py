"""The study folder (DESIGN.md §1): finding it, creating it, and the notebook facade over it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME, StudyConfig, config_template, load_config
from .errors import Errors, StudyError
from .store import Store

STUDY_DIRS = ("codebooks", "data/raw", "data/coded", "reports", "notebooks")


@dataclass(frozen=True, slots=True)
class StudyPaths:
    """Where a study keeps each kind of file."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def codebooks(self) -> Path:
        return self.root / "codebooks"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def coded(self) -> Path:
        return self.root / "data" / "coded"

    @property
    def db(self) -> Path:
        return self.coded / "thematic.db"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def private(self) -> Path:
        """Outside data/: the pseudonym key lives here and exports never read it."""
        return self.root / "private"

    @property
    def participants_csv(self) -> Path:
        return self.raw / "participants.csv"


def find_study_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: cwd) holding thematic.toml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise StudyError(Errors.E001.format(path=here))


class Study:
    """A study folder and its store; the entry point of the notebook API.

    Example:
        >>> study = Study.open()            # nearest study above the working folder
        >>> study.store.counts()["documents"]
    """

    def __init__(self, root: str | Path) -> None:
        self.paths = StudyPaths(Path(root).resolve())
        if not self.paths.config.is_file():
            raise StudyError(Errors.E001.format(path=self.paths.root))
        self.config: StudyConfig = load_config(self.paths.config)
        self._store: Store | None = None

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Study":
        """Open the study at ``path`` or the nearest one above the working folder."""
        return cls(find_study_root(path))

    @property
    def root(self) -> Path:
        return self.paths.root

    @property
    def store(self) -> Store:
        """The study's store, opened (and created or upgraded) on first use."""
        if self._store is None:
            self._store = Store(self.paths.db)
        return self._store

    def close(self) -> None:
        """Close the store connection."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> "Study":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Study({str(self.root)!r})"

    @property
    def codebook_path(self) -> Path | None:
        """The default codebook: thematic.toml's ``codebook``, else the only YAML in codebooks/."""
        if self.config.codebook:
            return self.root / self.config.codebook
        found = sorted(self.paths.codebooks.glob("*.yaml")) + sorted(self.paths.codebooks.glob("*.yml"))
        return found[0] if len(found) == 1 else None

    # Notebook facade: thin methods over same-named library functions, one block per subpackage.
    # -- facade: ingest ---------------------------------------------------------------------
    # -- facade: codebook -------------------------------------------------------------------
    # -- facade: manual coding and search ---------------------------------------------------
    # -- facade: assisted coding ------------------------------------------------------------
    # -- facade: analysis and reports -------------------------------------------------------
    # -- facade: refi -----------------------------------------------------------------------
    # -- facade: end ------------------------------------------------------------------------


def init_study(path: str | Path, *, name: str | None = None, codebook: str | None = None) -> Study:
    """Create a study folder (thematic.toml, codebooks/, data/raw/, data/coded/, reports/, notebooks/)."""
    root = Path(path).resolve()
    if (root / CONFIG_NAME).exists():
        raise StudyError(Errors.E002.format(path=root))
    root.mkdir(parents=True, exist_ok=True)
    for d in STUDY_DIRS:
        (root / d).mkdir(parents=True, exist_ok=True)
    tmp = root / (CONFIG_NAME + ".tmp")
    tmp.write_text(config_template(name or root.name, codebook), encoding="utf-8")
    tmp.replace(root / CONFIG_NAME)
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text("data/coded/thematic.db*\nprivate/\n", encoding="utf-8")
    study = Study(root)
    study.store  # creates the database
    return study


def stale_inputs(study: Study) -> dict[str, list[str]]:
    """Raw files not yet ingested (``new``), changed since (``changed``), or gone (``missing``)."""
    import hashlib

    from .ingest.discover import discover_inputs

    stored = {path: h for _, (path, h) in study.store.document_hashes().items()}
    out: dict[str, list[str]] = {"new": [], "changed": [], "missing": []}
    seen = set()
    for f in discover_inputs(study.paths.raw):
        rel = f.relative_to(study.root).as_posix()
        seen.add(rel)
        if rel not in stored:
            out["new"].append(rel)
        elif hashlib.sha256(f.read_bytes()).hexdigest() != stored[rel]:
            out["changed"].append(rel)
    out["missing"] = sorted(p for p in stored if p not in seen)
    return out


def status(study: Study) -> dict[str, Any]:
    """What the study holds: counts, codings by status and coder, codebook version, stale inputs."""
    counts = study.store.counts()
    cb_path = study.codebook_path
    current_version = None
    if cb_path is not None and cb_path.is_file():
        from .codebook import load_codebook

        current_version = load_codebook(cb_path).version
    older = [(v, n) for v, n in counts["by_codebook_version"] if current_version and v != current_version]
    return {
        "study": study.config.name,
        "root": str(study.root),
        "schema_version": study.store.schema_version,
        "codebook": str(cb_path.relative_to(study.root)) if cb_path else None,
        "codebook_version": current_version,
        "codings_under_older_versions": older,
        "stale": stale_inputs(study),
        **counts,
    }
