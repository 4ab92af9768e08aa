"""The study folder (DESIGN.md §1): finding it, creating it, and the notebook facade over it."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from . import schemas
from .codebook import Codebook
from .context import (GITIGNORE, STUDY_DIRS, StudyContext, StudyPaths, codebook_files, codebook_problem,
                      create_study_folder, default_codebook_path, find_study_root, study_config)
from .errors import Errors, InputError, StudyError, ThematicError
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

    from .analysis.frames import StudyFrames
    from .codebook import CodebookDiff, MigrationReport, Release
    from .coding.report import CodeRunReport
    from .coding.review import ReviewDecision
    from .coding.sample import SampleResult
    from .coding.search import CodedHits
    from .coding.sheet import SheetExport, SheetImportReport
    from .config import StudyConfig
    from .errors import Problem
    from .ingest.export import ExportResult
    from .ingest.report import IngestReport
    from .models import Coding
    from .notebook.widget import CodingWidget
    from .refi.export import ExportSummary
    from .refi.report import ImportReport

__all__ = ["GITIGNORE", "STUDY_DIRS", "Study", "StudyContext", "StudyPaths", "find_study_root", "init_study",
           "stale_inputs", "status"]


class Study:
    """A study folder and its store; the entry point of the notebook API.

    Example:
        >>> study = Study.open()            # nearest study above the working folder
        >>> study.store.counts()["documents"]
    """

    def __init__(self, root: str | Path) -> None:
        self.paths = StudyPaths(Path(root).resolve())
        self._config_cache: tuple[bytes, StudyConfig] | None = None
        self._config_set: StudyConfig | None = None
        _ = self.config  # E001/E003 now, not at the first call
        self._store: Store | None = None
        self._codebook_cache: tuple[tuple[str, int, int], Codebook] | None = None
        self._store_lock = threading.Lock()  # widget callbacks may open the store from another thread

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Study":
        """Open the study at ``path`` or the nearest one above the working folder."""
        return cls(find_study_root(path))

    @property
    def root(self) -> Path:
        return self.paths.root

    @property
    def config(self) -> StudyConfig:
        """thematic.toml's settings, read again whenever the file changed (an edit in the same kernel counts
        at the next call, as codebook edits do); a config assigned in code is kept until the file changes."""
        import hashlib

        try:
            digest = hashlib.sha256(self.paths.config.read_bytes()).digest()
        except OSError:
            digest = b""  # gone or unreadable: study_config says so (E001)
        cached = self._config_cache
        if cached is None or cached[0] != digest:
            cached = (digest, study_config(self.paths))
            self._config_cache, self._config_set = cached, None
        return self._config_set or cached[1]

    @config.setter
    def config(self, value: StudyConfig) -> None:
        self._config_set = value

    @property
    def store(self) -> Store:
        """The study's store, opened (and created or upgraded) on first use; usable from any thread."""
        with self._store_lock:
            if self._store is None:
                self._store = Store(self.paths.db)
                self._store.configured_people = self._configured_people()
            return self._store

    def _configured_people(self) -> tuple[str, ...]:
        """thematic.toml's coders and consensus coder, or none while the file is unreadable (its own error comes
        from the command that reads the settings)."""
        try:
            return (*self.config.coders, self.config.consensus)
        except ThematicError:
            return ()

    @property
    def context(self) -> StudyContext:
        """The paths, settings and open store that stage functions take (``thematic.context``)."""
        return StudyContext(self.paths, self.config, self.store)

    def close(self) -> None:
        """Close the store connection."""
        with self._store_lock:
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
        """The default codebook: thematic.toml's ``codebook``, else the only YAML in codebooks/ (or
        codebooks/codebook.yaml among several); None when several YAML files leave it ambiguous."""
        return default_codebook_path(self.paths, self.config)

    def _codebook_files(self) -> list[Path]:
        return codebook_files(self.paths)

    def codebook_problem(self, fallback: str) -> str:
        """Why there is no codebook file to read: the thematic.toml setting and the YAML files there are.

        ``fallback`` is the message used when the setting is empty and codebooks/ holds no YAML file.
        """
        return codebook_problem(self.paths, self.config, fallback)

    # Notebook facade: thin methods over same-named library functions, one block per subpackage.
    # -- facade: ingest ---------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | None = None, *, unit: str | None = None,
               progress: Callable[[str], None] | None = None, force: bool = False,
               allow_outside: bool = False, prune: bool = False, purge: bool = False) -> IngestReport:
        """Ingest data/raw (or ``paths``) into the store; unchanged files are skipped. See ``thematic.ingest.ingest``."""
        from .ingest.run import ingest

        paths = None if paths is None else [self._path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
        return ingest(self.context, paths, unit=unit, progress=progress, force=force, allow_outside=allow_outside,
                      prune=prune, purge=purge)

    def segments(self, document: str | Iterable[str] | None = None, *, include_interviewer: bool = True,
                 attributes: bool = False) -> pd.DataFrame:
        """Stored segments (``schemas.SEGMENTS``); ``attributes=True`` gives the export table with participant attributes."""
        if attributes:
            from .ingest.export import segments_table

            return _strings(segments_table(self.store, document=document, include_interviewer=include_interviewer))
        return self.store.segments(document=document, include_interviewer=include_interviewer)

    def export_segments(self, out: str | Path, *, format: str | None = None,
                        document: str | Iterable[str] | None = None,
                        include_interviewer: bool = True) -> ExportResult:
        """Write the segments table (with participant attributes) to CSV, XLSX or Parquet."""
        from .ingest.export import export_segments

        return export_segments(self.store, self._path(out), format=format, document=document,
                               include_interviewer=include_interviewer)

    # -- facade: codebook -------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        """The study's codebook, validated; re-read whenever the YAML file changes on disk."""
        from .codebook import load_codebook
        from .errors import CodebookError

        path = self.codebook_path
        if path is None or not path.is_file():
            raise CodebookError(self.codebook_problem(Errors.E202.format(where=self.root)))
        stamp = (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        cached = self._codebook_cache
        if cached is None or cached[0] != stamp:
            cached = (stamp, load_codebook(path))
            self._codebook_cache = cached
        return cached[1]

    def _codebook_if_any(self) -> Codebook | None:
        """The codebook to check filters against, or None when there is none to read (filters then go unchecked)."""
        from .errors import CodebookError

        try:
            return self.codebook
        except CodebookError:
            return None

    def validate_codebook(self) -> list[Problem]:
        """Every problem of the study's codebook (``Problem`` records; [] when valid)."""
        from .codebook import validate_codebook

        path = self.codebook_path
        if path is None or (self.config.codebook and not path.is_file()):
            raise StudyError(self.codebook_problem(Errors.E202.format(where=self.root)))
        return validate_codebook(path)

    def diff_codebook(self, old: str | Path, new: str | Path = "current") -> CodebookDiff:
        """Differences between two codebooks: files, released versions ("0.1.0") or "current"."""
        from .codebook import resolve_codebook

        old_cb = resolve_codebook(self._spec(old), self.codebook_path, self.store)
        return old_cb.diff(resolve_codebook(self._spec(new), self.codebook_path, self.store))

    def release_codebook(self, part: str | None = "patch") -> Release:
        """Bump the codebook's version (major/minor/patch; None keeps it), freeze a copy, record it."""
        from .codebook import release_codebook

        _ = self.codebook  # raises the coded error when there is no codebook
        return release_codebook(self.codebook_path, self.store, part)  # type: ignore[arg-type]

    def migrate_codebook(self, *, actor: str, dry_run: bool = False) -> MigrationReport:
        """Apply the codebook's changes log to the stored codings (never deletes); a MigrationReport."""
        return self.codebook.migrate(self.store, actor=actor, dry_run=dry_run)

    def export_codebook(self, out: str | Path, *, format: str | None = None) -> Path:
        """Write the codebook appendix as Word (.docx) or Markdown (.md)."""
        from .codebook import export_codebook

        return export_codebook(self.codebook, self._path(out), format=format, paper=self.config.paper)

    def code_usage(self) -> pd.DataFrame:
        """Codings per code (manual + accepted), open suggestions, and codes missing from the codebook."""
        from .codebook import code_usage

        return _strings(code_usage(self.codebook, self.store))

    # -- facade: manual coding and search ---------------------------------------------------
    def code(self, target: Any, code_id: str, *, coder: str, memo: str | None = None) -> Coding:
        """Apply a code to a segment id or (document, start, end) as ``coder``; returns the Coding."""
        from .coding.manual import code

        return code(self.store, target, code_id, coder=coder, memo=memo, codebook=self.codebook)

    def uncode(self, target: Any, code_id: str, *, coder: str) -> int:
        """Take ``coder``'s codings of ``code_id`` off a segment or exact span; returns how many. A manual coding
        is removed; a suggestion they accepted becomes rejected, so no suggester stores it again."""
        from .coding.manual import uncode

        return uncode(self.store, target, code_id, coder=coder, codebook=self.codebook)

    def codings(self, *, coder: Any = None, code: Any = None, status: Any = None, document: Any = None,
                segment: str | None = None, counted: bool = False) -> pd.DataFrame:
        """Current codings as a DataFrame (``schemas.CODINGS`` and ``suggested_by``: an accepted suggestion is
        its reviewer's coding, as in exports), filtered by coder, code, status, document, and segment (the codings
        overlapping it, as the tables count them)."""
        from .coding.manual import codings

        return codings(self.store, coder=coder, code=code, status=status, document=document, segment=segment,
                       counted=counted, codebook=self._codebook_if_any())

    def mark_seen(self, segments: Any, *, coder: str, source: str = "api") -> int:
        """Record that ``coder`` saw and decided on ``segments`` (ids, or a frame with ``segment_id``),
        whether or not they applied a code; agreement compares coders over what they all saw."""
        return self.store.mark_seen(_segment_ids(segments), coder=coder, source=source)

    def seen(self, coder: str | Iterable[str] | None = None) -> pd.DataFrame:
        """What each coder saw (``Store.coverage``): coder, segment_id, document_id, source, seen_at."""
        return self.store.coverage(coder)

    def sample(self, *, coder: str, fraction: float | None = None, n: int | None = None, by: str = "document",
               seed: int = 0, out: str | Path | None = None, document: Any = None,
               of: str | None = None, force: bool = False) -> SampleResult:
        """Draw and record a stratified double-coding sample for ``coder``; with ``out``, write their blind
        sheet of just those segments (an existing file is E361 unless ``force``). Returns a SampleResult
        (``coding.sample.draw_sample``)."""
        from .coding.sample import draw_sample

        coder = self.store.person(coder)  # E018 for a blank name
        return draw_sample(self.store, coder=coder, fraction=fraction, n=n, by=by, seed=seed, document=document, of=of,
                           codebook=self.codebook if out is not None else None,
                           out=self._path(out) if out is not None else None, force=force)

    def search(self, query: str, **options: Any) -> pd.DataFrame:
        """Keyword-in-context hits for words, a phrase, a lemma or a regex (see ``coding.search.search``)."""
        from .coding.manual import check_code
        from .coding.search import search

        _check_options(self.search, options, search, filled=("study_or_store",))
        if options.get("code") is not None:
            for c in [options["code"]] if isinstance(options["code"], str) else options["code"]:
                check_code(self.codebook, c, allow_retired=True)  # finding old codings of a retired code is fine
        return _strings(search(self.context, query, **options))

    def code_hits(self, hits: Any, code_id: str, *, coder: str, query: str | None = None,
                  scope: str = "hit") -> CodedHits:
        """Code every search hit (or its segment) as one undoable batch; returns CodedHits.

        ``hits`` is a ``search`` result, any frame with ``document_id``, ``segment_id``, ``start``, ``end``,
        or segment ids (one, or a list): each of those segments is coded whole. Every row is checked against
        the stored document first (E014, E342, E015, E344 for stale hits), and one refused row codes nothing.
        """
        import pandas as pd

        from .coding.search import code_hits

        if not isinstance(hits, pd.DataFrame):
            hits = self._segment_hits(hits)
        elif not {"document_id", "segment_id", "start", "end"} <= set(hits.columns):
            raise InputError(Errors.E043.format(
                function="code_hits", argument="this table", detail="it has no document_id, segment_id, start and end",
                fix="Pass what `study.search(...)` returns, or segment ids such as ['interview-01:12']."))
        return code_hits(self.store, hits, code_id, coder=coder, query=query or str(hits.attrs.get("query", "")),
                         scope=scope, codebook=self.codebook)

    def _segment_hits(self, ids: Any) -> pd.DataFrame:
        """Segment ids as a hits frame of whole segments (E043 for anything else; E015 for an unknown id)."""
        import pandas as pd

        items = [ids] if isinstance(ids, str) else list(ids) if hasattr(ids, "__iter__") else None
        if items is None or not items or not all(isinstance(i, str) for i in items):
            raise InputError(Errors.E043.format(
                function="code_hits", argument=f"{type(ids).__name__} {ids!r:.40}",
                detail="it is neither a search result nor a list of segment ids",
                fix="Pass what `study.search(...)` returns, or segment ids such as ['interview-01:12']."))
        segs = [self.store.segment(i) for i in items]
        frame = pd.DataFrame({"document_id": [g.document_id for g in segs], "segment_id": [g.id for g in segs],
                              "start": [g.start for g in segs], "end": [g.end for g in segs]})
        frame.attrs["query"] = "segments " + ", ".join(items[:3]) + (" …" if len(items) > 3 else "")
        return frame

    def undo(self, batch_id: str, *, actor: str) -> int:
        """Undo a batch (a coded search, a sheet import, a suggester run): removes what it added (not the
        suggestions a person decided since, nor codings coded again by hand since); returns how many codings were
        removed."""
        from .coding.undo import undo_batch

        return undo_batch(self.context, batch_id, actor=actor).removed

    def export_sheet(self, out: str | Path, *, coder: str, document: Any = None,
                     include_interviewer: bool = False, force: bool = False) -> SheetExport:
        """Write ``coder``'s blind coding sheet (.xlsx); an existing file is E361 unless ``force``. Returns a
        SheetExport."""
        from .coding.manual import resolve_documents
        from .coding.sheet import export_sheet

        coder = self.store.person(coder)  # E018 for a blank name, not a sheet "for coder ''"
        document = resolve_documents(self.store, document)  # E408 for an unknown id, not an empty sheet
        return export_sheet(self.store, self._path(out), coder=coder, codebook=self.codebook, document=document,
                            include_interviewer=include_interviewer, force=force)

    def import_sheet(self, path: str | Path, *, coder: str, dry_run: bool = False) -> SheetImportReport:
        """Read a filled-in coding sheet back as ``coder``'s codings; returns a SheetImportReport."""
        from .coding.sheet import import_sheet

        return import_sheet(self.store, self._path(path), coder=coder, codebook=self.codebook, dry_run=dry_run)

    def review_queue(self, *, order: str = "document", coder: Any = None, code: Any = None,
                     document: Any = None) -> pd.DataFrame:
        """Suggestions awaiting review with their context (``order="uncertain"``: most uncertain first)."""
        from .coding.review import review_queue

        return _strings(review_queue(self.store, order=order, coder=coder, code=code, document=document,
                            codebook=self._codebook_if_any()))

    def decide(self, coding_id: str, decision: str, *, reviewer: str,
               new_code: str | None = None) -> ReviewDecision:
        """Accept, reject, skip or recode a suggestion; returns a ReviewDecision."""
        from .coding.review import decide

        codebook = self.codebook if decision == "recode" else self._codebook_if_any()
        return decide(self.store, coding_id, decision, reviewer=reviewer, new_code=new_code, codebook=codebook)

    def widget(self, *, coder: str, **options: Any) -> CodingWidget:
        """The Jupyter coding widget (needs ``pip install "thematic[notebook]"``); it codes against the codebook as
        it is at each click, so a code a later release retired is refused (E210) as in ``code``."""
        from .notebook.widget import CodingWidget, coding_widget

        _check_options(self.widget, options, CodingWidget.__init__, filled=("store", "codebook"))
        _ = self.codebook  # no codebook: the coded error now, not at the first click
        # the study itself and a callable: the widget asks for the current store and codebook at each click
        return coding_widget(self, coder=coder, codebook=lambda: self.codebook, **options)

    # -- facade: assisted coding ------------------------------------------------------------
    def run_code(self, *, suggesters: Sequence[str] | None = None, coder: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None, ingest: bool = True,
                 limit: int | None = None, sample: int | None = None) -> CodeRunReport:
        """`thematic code`: ingest what changed, run the suggesters, store suggestions. See ``coding.run.code``."""
        from .coding.run import code

        from .coding.suggest import split_names

        return code(self.context, suggesters=split_names(suggesters), coder=coder, progress=progress, ingest=ingest, limit=limit,
                    sample=sample)

    def suggest(self, segments: pd.DataFrame | None = None, *, suggester: str = "rules",
                coder: str | None = None, **params: Any) -> pd.DataFrame:
        """A suggester's proposals for ``segments`` (default: every participant segment), not stored.

        Fitted on the study's codebook (and, for the model, its manual and accepted codings).
        """
        from .coding.run import suggest_frame
        from .coding.suggest import resolve_name, suggesters

        _check_options(self.suggest, params, suggesters.get(resolve_name(suggester))._param_names())
        return suggest_frame(self.context, segments, suggester=suggester, coder=coder, **params)

    def evaluate(self, *, gold: str | Path | None = None, cv: int = 5, suggesters: Any = None,
                 codebook: str | Path | Codebook | None = None, coder: str | None = None) -> dict[str, Any]:
        """Score the suggesters against the study's manual codings or a gold file. See ``coding.evaluate``."""
        from .coding.evaluate import evaluate
        from .coding.suggest import split_names

        suggesters = split_names(suggesters)  # "rules" or "rules, model", not the letters r, u, l, e, s
        cache = {"cache_dir": str(self.paths.coded / "cache")}
        if isinstance(codebook, (str, Path)):
            codebook = self._path(codebook)
        return evaluate(self.context, gold=None if gold is None else self._path(gold), cv=cv, suggesters=suggesters,
                        codebook=codebook, coder=coder, options=cache)

    # -- facade: analysis and reports -------------------------------------------------------
    def frames(self) -> StudyFrames:
        """The frames every analysis takes (codings, segments, participants, documents, codebook)."""
        from .analysis import load_frames

        return load_frames(self.context)

    def _path(self, path: str | Path) -> Path:
        """One rule for every path the facade takes, read or written: a relative path is inside the study folder
        (so a notebook in notebooks/ reads and writes reports/...), an absolute one (or ``~/...``) as given."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p

    _out = _path

    def _spec(self, spec: str | Path) -> str | Path:
        """A codebook named by a file (relative to the study) or by a version/"current" (left as it is)."""
        p = self._path(spec)
        return p if p.is_file() else spec

    def _coders(self, coders: Sequence[str] | None) -> Sequence[str]:
        return coders if coders is not None else list(self.config.coders)

    def _units(self, options: dict[str, Any], frames: StudyFrames) -> dict[str, Any]:
        """Agreement options with the coverage read with ``frames`` (one moment), and ``sample`` (an id) turned into
        its segments."""
        out = dict(options)
        out.setdefault("coverage", frames.coverage)
        if isinstance(out.get("sample"), str):
            out["sample"] = list(self.store.sample_segments(out["sample"])["segment_id"])
        return out

    def frequencies(self, *, by: str | None = None, level: str = "all", **options: Any) -> pd.DataFrame:
        """Segments, documents and "n of N participants" per theme and code (``analysis.frequencies``)."""
        from .analysis import frequencies

        _check_options(self.frequencies, options, frequencies, filled=_FILLED)
        f = self.frames()
        options.setdefault("coverage", f.coverage)
        return _strings(frequencies(f.codings, f.segments, f.participants, f.codebook, by=by, level=level, **options))

    def code_matrix(self, **options: Any) -> pd.DataFrame:
        """Code x participant (or x document) matrix (``analysis.code_matrix``)."""
        from .analysis import code_matrix

        _check_options(self.code_matrix, options, code_matrix, filled=_FILLED)
        f = self.frames()
        return code_matrix(f.codings, f.segments, f.participants, f.codebook, **options)

    def cooccurrence(self, **options: Any) -> pd.DataFrame:
        """Pairs of codes in the same segment/participant/document (``analysis.cooccurrence``)."""
        from .analysis import cooccurrence

        _check_options(self.cooccurrence, options, cooccurrence, filled=_FILLED)
        f = self.frames()
        return _strings(cooccurrence(f.codings, f.segments, f.codebook, **options))

    def attribute_tallies(self, attributes: Sequence[str] | None = None, **options: Any) -> pd.DataFrame:
        """Counts and % of participants per attribute value (``analysis.attribute_tallies``)."""
        from .analysis import attribute_tallies

        _check_options(self.attribute_tallies, options, attribute_tallies, filled=_FILLED)
        return _strings(attribute_tallies(self.store.participants(), attributes, **options))

    def crosstab(self, rows: str, columns: str, **options: Any) -> pd.DataFrame:
        """Participants by two attributes crossed (``analysis.crosstab``)."""
        from .analysis import crosstab

        _check_options(self.crosstab, options, crosstab, filled=_FILLED)
        return crosstab(self.store.participants(), rows, columns, **options)

    def agreement(self, coders: Sequence[str] | None = None, **options: Any) -> pd.DataFrame:
        """Agreement per code and pooled, with bootstrap CIs (``analysis.agreement``); coders default
        to thematic.toml's ``coders``."""
        from .analysis import agreement

        _check_options(self.agreement, options, agreement, filled=_FILLED)
        f = self.frames()
        return _strings(agreement(f.codings, f.segments, coders=self._coders(coders), codebook=f.codebook,
                         **self._units(options, f)))

    def disagreements(self, coders: Sequence[str] | None = None, **options: Any) -> pd.DataFrame:
        """Segments the coders coded differently (``analysis.disagreements``)."""
        from .analysis import disagreements

        _check_options(self.disagreements, options, disagreements, filled=_FILLED)
        f = self.frames()
        return _strings(disagreements(f.codings, f.segments, coders=self._coders(coders), codebook=f.codebook,
                             **self._units(options, f)))

    def character_agreement(self, coders: Sequence[str] | None = None, **options: Any) -> pd.DataFrame:
        """NVivo-style character-level agreement of two coders (``analysis.character_agreement``)."""
        from .analysis import character_agreement

        _check_options(self.character_agreement, options, character_agreement, filled=(*_FILLED, "doc_lengths"))
        f = self.frames()
        return _strings(character_agreement(f.codings, coders=self._coders(coders), doc_lengths=f.doc_lengths,
                                   codebook=f.codebook, segments=f.segments, **self._units(options, f)))

    def quotes(self, **options: Any) -> pd.DataFrame:
        """The attributed quotes per code (``analysis.select_quotes``)."""
        from .analysis import select_quotes

        _check_options(self.quotes, options, select_quotes, filled=(*_FILLED, "documents"))  # documents: the frame
        f = self.frames()
        return _strings(select_quotes(f.codings, f.segments, f.participants, f.codebook, documents=f.documents, **options))

    def report_quotes(self, out: str | Path = "reports/appendix.docx", **options: Any) -> Path:
        """Write the Word (.docx) or Markdown (.md) quote appendix (``export.reports.report_quotes``)."""
        from .export.reports import appendix_content, report_quotes

        _check_options(self.report_quotes, options, report_quotes, appendix_content, filled=_FILLED)
        options.setdefault("paper", self.config.paper)
        return report_quotes(self.frames(), self._path(out), **options)

    def report_workbook(self, out: str | Path = "reports/tables.xlsx", **options: Any) -> Path:
        """Write every analysis table as a sheet of one workbook (``export.reports.report_workbook``)."""
        from .export.reports import analysis_tables, default_coders, report_workbook

        _check_options(self.report_workbook, options, analysis_tables, filled=_FILLED)
        frames = self.frames()
        options.setdefault("coders", default_coders(frames, self.config.coders))
        return report_workbook(frames, self._path(out), **options)

    def export_codings(self, out: str | Path, *, format: str | None = None, **options: Any) -> Path:
        """Write the counted codings with labels and locations as CSV, Parquet or XLSX."""
        from .export.tables import codings_table, write_table

        _check_options(self.export_codings, options, codings_table, filled=_FILLED)
        f = self.frames()
        return write_table(codings_table(f.codings, f.segments, f.codebook, **options), self._path(out), format=format)

    def export_tables(self, out: str | Path, *, format: str | None = None, **options: Any) -> list[Path]:
        """Write every analysis table: a folder of CSV/Parquet files or one XLSX workbook."""
        from .export.reports import analysis_tables, default_coders, export_tables

        _check_options(self.export_tables, options, export_tables, analysis_tables, filled=_FILLED)
        frames = self.frames()
        options.setdefault("coders", default_coders(frames, self.config.coders))
        return export_tables(frames, self._path(out), format=format, **options)

    # -- facade: refi -----------------------------------------------------------------------
    def export_refi(self, out: str | Path, *, codebook_only: bool = False,
                    include_suggested: bool = False) -> ExportSummary:
        """Export to REFI-QDA: ``.qdpx`` (project) or ``.qdc`` (codebook); see ``thematic.refi.export_refi``."""
        from .refi import export_refi

        return export_refi(self.context, self._path(out), codebook_only=codebook_only, include_suggested=include_suggested)

    def import_refi(self, path: str | Path) -> ImportReport:
        """Import a REFI-QDA file into this study and return the ImportReport (``thematic.refi.import_refi``)."""
        from .refi import import_refi

        return import_refi(self._path(path), self.context)

    # -- facade: end ------------------------------------------------------------------------


#: Dtypes of facade columns that are not text, as a frame with rows has them (``schemas`` for the store's
#: columns): an empty or all-missing column holds no value to tell, so it gets this dtype, not ``string``.
_NOT_TEXT = {
    **{c: t for schema in (schemas.SEGMENTS, schemas.CODINGS) for c, t in schema.items() if t != "string"},
    "segment_start": "Int64", "segment_end": "Int64", "skipped": "bool",          # review_queue
    "n": "int64", "N": "int64", "pct": "float64",                                  # attribute_tallies
    "n_chars": "int64", "chars_a": "int64", "chars_b": "int64", "chars_both": "int64",  # character_agreement
    "percent_agreement": "float64", "kappa": "float64",
}
#: Text columns that an analysis builds as float64 when it has no row (quotes, attribute_tallies).
_TEXT = frozenset({"text", "attribution", "location", "n_of_N", "note", "label", "theme"})


def _strings(df: Any) -> Any:
    """A facade frame with its text columns in the store's ``string`` dtype (``schemas``; missing = pd.NA), so
    frames from the store and from the analyses merge without falling back to object; numbers stay numbers."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        return df
    out = df.copy(deep=False)
    for col in out.columns:
        s = out[col]
        if not isinstance(s, pd.Series):
            continue
        dt, empty = s.dtype, not s.notna().any()
        null = isinstance(dt, pd.ArrowDtype) and str(dt) == "null[pyarrow]"
        if dt == object or null or (isinstance(dt, pd.StringDtype) and dt.na_value is not pd.NA):  # or pandas' "str"
            if empty and col in _NOT_TEXT:
                want = _NOT_TEXT[col]
                out[col] = s.astype(want if len(s) == 0 else {"int64": "Int64", "float64": "Float64",
                                                              "bool": "boolean"}.get(want, want))
            elif all(isinstance(v, str) for v in s.dropna()):
                out[col] = s.astype("string")
        elif empty and col in _TEXT and pd.api.types.is_float_dtype(dt):
            out[col] = s.astype("string")
    out.attrs = dict(df.attrs)
    return out


def _segment_ids(segments: Any) -> list[str]:
    """Segment ids from one id, a list of ids, or a DataFrame/Series holding ``segment_id``."""
    if isinstance(segments, str):
        return [segments]
    if hasattr(segments, "columns") and "segment_id" in segments.columns:
        return [str(s) for s in segments["segment_id"]]
    return [str(s) for s in segments]


#: What the facade passes from the study itself, so not an option a caller gives.
_FILLED = ("codings", "segments", "participants", "codebook", "frames", "path")


def _check_options(method: Callable[..., Any], options: Mapping[str, Any], *takers: Any,
                   filled: Iterable[str] = ()) -> None:
    """E044 (InputError) for an option ``method`` cannot pass on, naming it, the closest valid one and every
    valid one, before any work is done (not a TypeError from a library function, nor silently ignored).

    The valid options are the keyword parameters of ``method`` and of ``takers`` (the functions the options go
    to, or lists of names), less ``filled``: those the facade gives from the study.
    """
    import difflib

    keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    valid: set[str] = set()
    for taker in (method, *takers):
        if callable(taker):
            valid.update(p.name for p in inspect.signature(taker).parameters.values() if p.kind in keyword)
        else:
            valid.update(taker)
    valid -= {"self", *filled}
    unknown = [k for k in options if k not in valid]
    if not unknown:
        return
    name, known = unknown[0], sorted(valid)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close and "_" in name:  # min_zz: an option with the same first word (min_confidence)
        close = [k for k in known if k.startswith(name.split("_", 1)[0] + "_")][:1]
    raise InputError(Errors.E044.format(function=f"study.{method.__name__}()", option=name,
                                        hint=f" Did you mean '{close[0]}'?" if close else "",
                                        known=", ".join(known) or "none"))


def init_study(path: str | Path, *, name: str | None = None, codebook: str | None = None) -> Study:
    """Create a study folder (thematic.toml, codebooks/, data/raw/, data/coded/, reports/, notebooks/)."""
    study = Study(create_study_folder(path, name=name, codebook=codebook))
    study.store  # creates the database
    return study


def stale_inputs(study: Study | StudyContext) -> dict[str, list[Any]]:
    """Raw files not yet ingested (``new``), changed (``changed``), gone (``missing``), or failed last time (``failed``)."""
    from .ingest.stale import stale_inputs as stale

    return stale(study)


def _shown_codebook(path: Path | None, root: Path) -> str | None:
    """The codebook's path relative to the study, or absolute when thematic.toml names one outside it."""
    if path is None:
        return None
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path.resolve())


def status(study: Study | StudyContext) -> dict[str, Any]:
    """What the study holds: counts, codings by status and coder, codebook version, stale inputs."""
    cb_path = study.codebook_path
    codebook = current_version = ahead = None
    if cb_path is not None and cb_path.is_file():
        from .codebook import load_codebook

        codebook = load_codebook(cb_path)
        current_version = codebook.version
    with study.store.snapshot():  # the totals and the versions ahead from one moment, whoever writes meanwhile
        counts = study.store.counts()
        if codebook is not None:
            from .codebook.usage import ahead_warning

            ahead = ahead_warning(codebook, study.store)
    from .codebook.semver import semver_key

    older = [(v, n) for v, n in counts["by_codebook_version"]
             if current_version and semver_key(v) < semver_key(current_version)]
    return {
        "study": study.config.name,
        "root": str(study.root),
        "schema_version": study.store.schema_version,
        "codebook": _shown_codebook(cb_path, study.root),
        "codebook_version": current_version,
        "codebook_problem": None if current_version else study.codebook_problem(Errors.E202.format(where=study.root)),
        "codings_under_older_versions": older,
        "codings_ahead": ahead,
        "stale": stale_inputs(study),
        **counts,
    }
