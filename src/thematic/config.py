"""Study settings read from ``thematic.toml`` (unknown keys are errors with a did-you-mean)."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ._limits import SizeLimits
from .errors import Errors, StudyError

CONFIG_NAME = "thematic.toml"

#: Labels of the research team's turns (case, hyphens, spaces, a final full stop and a number aside: ``Int.``,
#: ``Interviewer 2``, ``Note taker``); ``i`` and ``iv`` are the interviewer of I/R, I/P and German I/B or IV/IP
#: transcripts. A study's thematic.toml that lists its own keeps it.
DEFAULT_INTERVIEWER_LABELS = ("interviewer", "researcher", "int", "i", "iv", "q", "moderator", "co-moderator",
                              "facilitator", "co-facilitator", "note-taker")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """How transcripts are read: unit, who interviews, pseudonymisation, per-file speaker maps."""

    unit: str = "turn"
    interviewer_labels: tuple[str, ...] = DEFAULT_INTERVIEWER_LABELS
    code_interviewer: bool = False
    pseudonymise: bool = True
    ner: bool = False
    terms: tuple[str, ...] = ()
    files: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    survey: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CodeSettings:
    """[code] settings of how suggesters run (which ones run is ``StudyConfig.suggesters``)."""

    #: Where the execute stage sends suggesters' chunks: None runs them here (in-process or a local
    #: process pool); a scheduler address is for a distributed executor (see ``coding.execute.executor_for``).
    scheduler: str | None = None
    #: The sentence encoder of similarity, the model and the ensemble: "auto" (all-mpnet-base-v2 when the
    #: embeddings-large extra is installed, else all-MiniLM-L6-v2), "minilm", "mpnet", or a model folder.
    encoder: str = "auto"


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """The settings of one study; defaults make a new folder usable at once."""

    name: str = "study"
    language: str = "en"
    codebook: str | None = None
    coders: tuple[str, ...] = ()
    consensus: str = "consensus"
    suggesters: tuple[str, ...] = ("ensemble",)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    raw: Mapping[str, Any] = field(default_factory=dict)
    limits: SizeLimits = field(default_factory=SizeLimits)
    paper: str | None = None  # [report] paper: A4 | Letter (None: from the locale, A4 outside the US)
    #: Per-suggester settings by short name, e.g. ``{"llm": {"base_url": ..., "model": ...}}`` from [code.llm].
    suggester_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    code: CodeSettings = field(default_factory=CodeSettings)


_STUDY_KEYS = {"name", "language", "codebook", "coders", "consensus", "unit"}
_INGEST_KEYS = {"interviewer_labels", "code_interviewer", "pseudonymise", "ner", "terms", "files", "survey", "unit"}
_CODE_KEYS = {"suggesters", "llm", "scheduler", "encoder"}
#: [code.llm]: the language-model suggester's settings (its parameters; see docs/assisted-coding.md).
LLM_KEYS = {"base_url", "model", "temperature", "seed", "max_concurrency", "timeout", "api_key_env", "allow_remote",
            "context_tokens", "max_tokens", "few_shot", "min_confidence", "gguf"}
_LIMIT_KEYS = {"max_file_mb", "max_archive_mb"}
_REPORT_KEYS = {"paper"}
_SECTIONS = {"study", "ingest", "code", "limits", "report"}


def _check_keys(path: Path, section: str, found: Mapping[str, Any], allowed: set[str]) -> None:
    for key in found:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(sorted(allowed))}."
            raise StudyError(Errors.E004.format(path=path, key=key, section=section, hint=hint))


_EXAMPLES = {"terms": '["Lanternway"]', "coders": '["HT"]', "suggesters": '["rules"]', "interviewer_labels": '["Q"]'}


def _setting(path: Path, section: str, table: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    """``table[key]`` checked against ``kind`` (list: a list of strings, as a tuple); E119 otherwise.

    A string where a list is expected would be iterated letter by letter (``terms = "Lanternway"`` would
    pseudonymise 'L', 'a', ... and not the name), and ``bool("false")`` is True, so neither is coerced."""
    if key not in table:
        return default
    value = table[key]
    if kind is list:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, str):
            shape, example = "a list of strings, not one string", f"[{_toml_str(value)}]"
        else:
            shape, example = "a list of strings", _EXAMPLES.get(key, '["..."]')
    elif kind is dict:
        if isinstance(value, dict):
            return value
        shape, example = "a table of per-file settings", '{ "interview-01.txt" = { speakers = { "Dan" = "P01" } } }'
    elif kind is bool:
        if isinstance(value, bool):
            return value
        shape, example = "true or false (no quotes)", "true" if str(value).strip().lower() in {"true", "yes", "1"} else "false"
    else:
        if isinstance(value, str):
            return value
        shape, example = "a string in quotes", _toml_str(str(value))
    raise StudyError(Errors.E119.format(path=path, section=section, key=key, value=_shown(value), shape=shape,
                                        example=f"{key} = {example}"))


def _writable(path: Path, name: str) -> str:
    """The study's name, which titles every Word and Excel file: E121 for a character no such file can hold."""
    from ._spreadsheet import illegal_character

    found = illegal_character(name)
    if found is None:
        return name
    raise StudyError(Errors.E121.format(path=path, position=found[0], char=found[1]))


def _toml_str(text: str) -> str:
    """``text`` as a TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(value: Any) -> str:
    """A setting's value as TOML-ish text for a message (strings quoted, lists bracketed)."""
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def _table(path: Path, raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The top-level table ``[name]`` (empty when absent); E119 when it is a plain value."""
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise StudyError(Errors.E119.format(path=path, section="top level", key=name, value=_shown(value),
                                            shape=f"a table, written [{name}] on a line of its own",
                                            example=f"[{name}]"))
    return value


def load_config(path: Path) -> StudyConfig:
    """Read and check ``thematic.toml``; raise StudyError naming the file and the problem."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark (UTF-8 with BOM) is fine
        raw = tomllib.loads(text)
    except UnicodeDecodeError as exc:  # saved as Latin-1/Windows-1252, or not a text file at all
        raise StudyError(Errors.E057.format(path=path, byte=f"0x{data[exc.start]:02x}", offset=exc.start,
                                            line=data[:exc.start].count(b"\n") + 1)) from None
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(Errors.E003.format(path=path, detail=exc)) from exc
    except ValueError as exc:  # tomllib's own int(): a number over Python's 4,300-digit limit
        raise StudyError(Errors.E003.format(path=path, detail=_long_number(text, exc))) from None
    except RecursionError:
        raise StudyError(Errors.E035.format(path=path)) from None
    except OSError as exc:
        raise StudyError(Errors.E021.format(path=path, detail=exc)) from exc
    _check_keys(path, "top level", {k: v for k, v in raw.items() if k not in _SECTIONS}, _SECTIONS)
    study = _table(path, raw, "study")
    ingest = _table(path, raw, "ingest")
    code = _table(path, raw, "code")
    _check_keys(path, "study", study, _STUDY_KEYS)
    _check_keys(path, "ingest", ingest, _INGEST_KEYS)
    _check_keys(path, "code", code, _CODE_KEYS)
    limits = _limits(path, _table(path, raw, "limits"))
    report = _table(path, raw, "report")
    _check_keys(path, "report", report, _REPORT_KEYS)
    from ._docx_layout import check_paper

    paper = check_paper(report["paper"], str(path)) if "paper" in report else None
    llm = dict(code.get("llm", {})) if isinstance(code.get("llm", {}), dict) else {}
    _check_keys(path, "code.llm", llm, LLM_KEYS)
    if isinstance(llm.get("gguf"), str):  # relative to the study folder
        llm["gguf"] = str((path.parent / Path(llm["gguf"]).expanduser()).resolve())
    settings = IngestSettings(
        unit=_setting(path, "ingest", ingest, "unit", str, _setting(path, "study", study, "unit", str, "turn")),
        interviewer_labels=tuple(x.lower() for x in _setting(path, "ingest", ingest, "interviewer_labels", list,
                                                             DEFAULT_INTERVIEWER_LABELS)),
        code_interviewer=_setting(path, "ingest", ingest, "code_interviewer", bool, False),
        pseudonymise=_setting(path, "ingest", ingest, "pseudonymise", bool, True),
        ner=_setting(path, "ingest", ingest, "ner", bool, False),
        terms=_setting(path, "ingest", ingest, "terms", list, ()),
        files=dict(_setting(path, "ingest", ingest, "files", dict, {})),
        survey=dict(_setting(path, "ingest", ingest, "survey", dict, {})),
    )
    if settings.unit not in {"turn", "paragraph", "sentence"}:
        raise StudyError(Errors.E003.format(path=path, detail=f"[ingest] unit = '{settings.unit}' must be turn, paragraph or sentence"))
    coders = _setting(path, "study", study, "coders", list, ())
    consensus = _setting(path, "study", study, "consensus", str, "consensus")
    _check_consensus(path, text, coders, consensus)
    return StudyConfig(
        name=_writable(path, _setting(path, "study", study, "name", str, path.parent.name)),
        language=_setting(path, "study", study, "language", str, "en"),
        codebook=_setting(path, "study", study, "codebook", str, None),
        coders=coders,
        consensus=consensus,
        suggesters=_setting(path, "code", code, "suggesters", list, ("ensemble",)),
        ingest=settings,
        raw=raw,
        limits=limits,
        paper=paper,
        suggester_options={"llm": llm} if llm else {},
        code=CodeSettings(scheduler=_scheduler(path, code.get("scheduler")), encoder=_encoder(path, code.get("encoder"))),
    )


def _check_consensus(path: Path, text: str, coders: tuple[str, ...], consensus: str) -> None:
    """E122 when the consensus coder is also one of the coders (case aside): reconcile would write the consensus
    into that person's blind codings."""
    key = consensus.strip().casefold()
    twin = next((c for c in coders if c.strip().casefold() == key), None)
    if twin is None:
        return
    line = _line_of(text, "study", "consensus")
    raise StudyError(Errors.E122.format(where=f"{path}:{line}" if line else path, value=_toml_str(consensus),
                                        coders=", ".join(coders), coder=twin))


def _line_of(text: str, section: str, key: str) -> int | None:
    """The line (from 1) where ``key = ...`` is set in ``[section]``, for a message; None when not found."""
    current = ""
    for n, line in enumerate(text.splitlines(), start=1):
        bare = line.strip()
        if bare.startswith("[") and not bare.startswith("[["):
            current = bare[1:].split("]", 1)[0].strip()
        elif current == section and bare.split("=", 1)[0].strip().strip('"\'') == key and "=" in bare:
            return n
    return None


def _encoder(path: Path, value: Any) -> str:
    """[code] encoder: a name, or a folder (relative to the study); E003 when not a non-empty string."""
    if value is None:
        return "auto"
    if not isinstance(value, str) or not value.strip():
        raise StudyError(Errors.E003.format(path=path, detail=f"[code] encoder = {value!r} must be \"auto\", "
                                            "\"minilm\", \"mpnet\" or the path of a sentence-transformers folder"))
    value = value.strip()
    here = path.parent / Path(value).expanduser()
    if any(ch in value for ch in "/\\") or value.startswith((".", "~")) or here.is_dir():
        return str(here.resolve())
    return value


def _scheduler(path: Path, value: Any) -> str | None:
    """[code] scheduler: a non-empty string, or None when absent (E003 otherwise)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise StudyError(Errors.E003.format(path=path, detail=f"[code] scheduler = {value!r} must be a Dask "
                                            "scheduler address such as \"tcp://HOST:8786\", or \"local\""))
    return value.strip()


def _long_number(text: str, exc: ValueError) -> str:
    """Where a number too long for Python's int() is, as TOML errors say it (tomllib gives no line)."""
    what = f"a number too long to read ({str(exc).split(';', 1)[0]})"
    m = re.search(r"[0-9][0-9_]{4299,}", text)
    if m is None:
        return what
    line_start = text.rfind("\n", 0, m.start()) + 1
    return f"{what} (at line {text.count(chr(10), 0, m.start()) + 1}, column {m.start() - line_start + 1})"


def _limits(path: Path, section: Mapping[str, Any]) -> SizeLimits:
    _check_keys(path, "limits", section, _LIMIT_KEYS)
    for key, value in section.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise StudyError(Errors.E039.format(path=path, key=key, value=value))
    return SizeLimits(**{k: float(v) for k, v in section.items()})


def config_template(name: str, codebook: str | None = None) -> str:
    """The commented ``thematic.toml`` that ``thematic init`` writes."""
    cb_line = (f'codebook = "{codebook}"      # the default codebook (YAML)' if codebook else
               '# codebook = "codebooks/NAME.yaml"   # default: the only YAML file in codebooks/')
    return f'''# thematic study settings. Every key is optional; see README "Study settings".
[study]
name = "{name}"
language = "en"
{cb_line}
coders = []                 # e.g. ["AB", "CD"]: people who code
consensus = "consensus"     # the coder `thematic reconcile` writes; tables count it where it exists

[ingest]
unit = "turn"               # turn | paragraph | sentence
interviewer_labels = ["interviewer", "researcher", "int", "i", "iv", "q", "moderator", "co-moderator", "facilitator", "co-facilitator", "note-taker"]
pseudonymise = true         # speaker names -> P01, P02...; key kept in private/
ner = false                 # also replace people/places/organisations found by spaCy NER
terms = []                  # extra names or places to replace wherever they appear

# Per-file speaker -> participant mapping, e.g.
# [ingest.files."interview-01.txt"]
# speakers = {{ "Dan" = "P01" }}

[code]
suggesters = ["ensemble"]         # rules + similarity from the start, the model once 20 segments are coded,
                                  # combined as learnt from your coding from 60; or name them: "rules",
                                  # "model", "similarity", "llm" (below). Meaning needs thematic[embeddings]
# scheduler = "tcp://HOST:8786"   # suggest on a Dask cluster ("local": this machine's cores); docs/dask.md
# encoder = "auto"                # sentence encoder: "auto" (mpnet with the embeddings-large extra), "minilm",
                                  # "mpnet", or a sentence-transformers folder; docs/assisted-coding.md

# A language model you run yourself (docs/assisted-coding.md#a-language-model-on-your-own-machine).
# [code.llm]
# base_url = "http://127.0.0.1:11434/v1"   # Ollama; loopback only unless allow_remote = true
# model = "llama3.1:8b"
# temperature = 0
# seed = 0

[limits]
max_file_mb = 64            # largest file (or .docx/.xlsx/.qdpx member) read, uncompressed
max_archive_mb = 500        # largest .docx/.xlsx/.qdpx read, all members uncompressed

[report]
# paper = "A4"              # A4 | Letter for Word documents (default: A4, Letter in a US locale)
'''
