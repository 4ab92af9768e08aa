"""The study context: a study's paths, settings and open store, the one record every stage function takes.

Stage functions (ingest, ``thematic code``, evaluate, search, the analysis frames, REFI export and
import) take a ``StudyContext`` instead of the ``Study`` facade, so nothing below the facade
imports it back (see the layers in pyproject's ``[tool.importlinter]``). ``Study`` builds one with
``study.context``; a stage function given the facade itself turns it into one with ``context_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ._perms import private_dir
from .config import CONFIG_NAME, StudyConfig, config_template, load_config
from .errors import Errors, StudyError
from .store import Store

#: The folders `thematic init` creates inside a study.
STUDY_DIRS = ("codebooks", "data/raw", "data/coded", "reports", "notebooks")
#: What `thematic init` keeps out of git: the store and its backups, the key, models and caches.
GITIGNORE = "data/coded/thematic.db*\ndata/coded/backups/\ndata/coded/models/\ndata/coded/cache/\nprivate/\n"


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


def study_config(paths: StudyPaths) -> StudyConfig:
    """The study's thematic.toml, read (E001 when the folder holds none)."""
    if not paths.config.is_file():
        raise StudyError(Errors.E001.format(path=paths.root))
    return load_config(paths.config)


def codebook_files(paths: StudyPaths) -> list[Path]:
    """The YAML files in codebooks/, sorted (.yaml first, then .yml); dot-files and editor temp/lock files
    (``.name.yaml``, ``.#name.yaml``, ``~$name.yaml``) are not codebooks."""
    found = sorted(paths.codebooks.glob("*.yaml")) + sorted(paths.codebooks.glob("*.yml"))
    return [p for p in found if not p.name.startswith((".", "~", "#"))]


def default_codebook_path(paths: StudyPaths, config: StudyConfig) -> Path | None:
    """thematic.toml's ``codebook``, else the only YAML in codebooks/ (or codebooks/codebook.yaml among
    several); None when several YAML files leave it ambiguous."""
    if config.codebook:
        return paths.root / config.codebook
    found, default = codebook_files(paths), paths.codebooks / "codebook.yaml"
    if len(found) > 1:
        return default if default in found else None
    return found[0] if found else default


def codebook_problem(paths: StudyPaths, config: StudyConfig, fallback: str) -> str:
    """Why there is no codebook file to read: the thematic.toml setting and the YAML files there are.

    ``fallback`` is the message used when the setting is empty and codebooks/ holds no YAML file.
    """
    found = ", ".join(p.name for p in codebook_files(paths)) or "none"
    if config.codebook:
        return Errors.E050.format(config=paths.config, setting=config.codebook, found=found)
    if default_codebook_path(paths, config) is None:
        return Errors.E051.format(config=paths.config, found=found)
    return fallback


@dataclass(frozen=True, slots=True)
class StudyContext:
    """A study's paths, settings and open store: what a stage function needs, without the facade."""

    paths: StudyPaths
    config: StudyConfig
    store: Store

    @property
    def root(self) -> Path:
        """The study folder."""
        return self.paths.root

    @property
    def codebook_path(self) -> Path | None:
        """The default codebook file (``default_codebook_path``); None when it is ambiguous."""
        return default_codebook_path(self.paths, self.config)

    def codebook_problem(self, fallback: str) -> str:
        """Why there is no codebook file to read (see ``codebook_problem``)."""
        return codebook_problem(self.paths, self.config, fallback)


@runtime_checkable
class HasContext(Protocol):
    """Anything that can hand out its study's context (the ``Study`` facade does)."""

    @property
    def context(self) -> StudyContext: ...


def context_of(study: StudyContext | HasContext) -> StudyContext:
    """``study`` as a StudyContext: itself, or the context of a facade that holds one."""
    return study if isinstance(study, StudyContext) else study.context


def open_context(root: str | Path) -> StudyContext:
    """The context of the study at ``root`` with its store opened (close it with ``ctx.store.close()``)."""
    paths = StudyPaths(Path(root).resolve())
    config = study_config(paths)
    store = Store(paths.db)
    store.configured_people = (*config.coders, config.consensus)
    return StudyContext(paths, config, store)


def create_study_folder(path: str | Path, *, name: str | None = None, codebook: str | None = None) -> Path:
    """Lay out a new study folder (thematic.toml, codebooks/, data/raw/, data/coded/, reports/, notebooks/)."""
    root = Path(path).resolve()
    if (root / CONFIG_NAME).exists():
        raise StudyError(Errors.E002.format(path=root))
    root.mkdir(parents=True, exist_ok=True)
    for d in STUDY_DIRS:
        (root / d).mkdir(parents=True, exist_ok=True)
    private_dir(root / "private")  # 0700: the pseudonym key (real names) will live here
    tmp = root / (CONFIG_NAME + ".tmp")
    tmp.write_text(config_template(name or root.name, codebook), encoding="utf-8")
    tmp.replace(root / CONFIG_NAME)
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return root
