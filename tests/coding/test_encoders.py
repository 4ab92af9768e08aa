"""Choosing the sentence encoder: "auto", names, folders, [code] encoder, and the packaged all-mpnet-base-v2.

The suite runs on all-MiniLM-L6-v2 (conftest sets THEMATIC_ENCODER=minilm); the tests here name
the encoder they mean. The larger encoder's tests need the embeddings-large extra (CI installs it).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from thematic.coding.suggest import _packaged
from thematic.coding.suggest._embed import MINILM, MPNET, embeddings_available, resolve_model
from thematic.errors import InputError, ModelIntegrityError, OptionalDependencyError

from regression.unlike_example import write_study

needs_large = pytest.mark.skipif(not (_packaged.installed() and embeddings_available()),
                                 reason='the embeddings-large extra is not installed (pip install "thematic[embeddings-large]")')
needs_model = pytest.mark.skipif(not embeddings_available(), reason="the embeddings extra is not installed")


def test_auto_takes_the_environment_then_the_larger_encoder_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_ENCODER", "mpnet")
    assert resolve_model("auto") == MPNET and resolve_model(None) == MPNET
    monkeypatch.setenv("THEMATIC_ENCODER", "MiniLM")
    assert resolve_model("auto") == MINILM
    assert resolve_model("mpnet") == MPNET  # a named encoder wins over the environment
    monkeypatch.delenv("THEMATIC_ENCODER")
    assert resolve_model("auto") == (MPNET if _packaged.installed() else MINILM)
    monkeypatch.setattr(_packaged, "installed", lambda: False)
    assert resolve_model("auto") == MINILM


def test_an_unknown_encoder_is_refused_with_what_to_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"E381.*'bert-large'.*minilm.*mpnet"):
        resolve_model("bert-large")
    with pytest.raises(InputError, match=r"E381.*'" + str(tmp_path).replace("\\", "\\\\")):
        resolve_model(str(tmp_path))  # a folder, but not a model's
    monkeypatch.setenv("THEMATIC_ENCODER", "nonsense")
    with pytest.raises(InputError, match=r"E381\] THEMATIC_ENCODER: encoder = 'nonsense'"):
        resolve_model("auto")
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    assert resolve_model(str(tmp_path)) == str(tmp_path.resolve())


def test_the_encoder_is_part_of_the_fingerprint_so_runs_and_saved_models_follow_it() -> None:
    from thematic.coding.suggest import EnsembleSuggester, ModelSuggester, SimilaritySuggester

    if not embeddings_available():
        assert "encoder" not in SimilaritySuggester().fingerprint().get("environment", {})
        return
    for cls in (SimilaritySuggester, ModelSuggester, EnsembleSuggester):
        small, large = cls(encoder="minilm").fingerprint(), cls(encoder="mpnet").fingerprint()
        assert small["environment"]["encoder"] == MINILM and large["environment"]["encoder"] == MPNET
        assert small != large
    assert "encoder" not in SimilaritySuggester(meaning=False, encoder="mpnet").fingerprint().get("environment", {})
    assert "encoder" not in ModelSuggester(use_embeddings=False).fingerprint().get("environment", {})


def test_code_encoder_in_thematic_toml_is_read_and_checked(tmp_path: Path) -> None:
    from thematic.config import load_config
    from thematic.errors import StudyError

    root = write_study(tmp_path / "s")
    toml = root / "thematic.toml"
    base = toml.read_text(encoding="utf-8")
    assert load_config(toml).code.encoder == "auto"
    toml.write_text(base.replace("[code]\n", '[code]\nencoder = "minilm"\n'), encoding="utf-8")
    assert load_config(toml).code.encoder == "minilm"
    toml.write_text(base.replace("[code]\n", '[code]\nencoder = "models/my-encoder"\n'), encoding="utf-8")
    assert load_config(toml).code.encoder == str((root / "models" / "my-encoder").resolve())
    toml.write_text(base.replace("[code]\n", "[code]\nencoder = 3\n"), encoding="utf-8")
    with pytest.raises(StudyError, match=r"E003.*thematic.toml.*encoder = 3"):
        load_config(toml)


def _set_code(toml: Path, lines: str) -> None:
    """Replace the [code] suggesters line of a study's thematic.toml with ``lines``."""
    import re

    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"(?m)^suggesters = .*$", lambda _: lines, text, count=1), encoding="utf-8")


def test_a_study_with_an_unknown_encoder_stops_before_anything_is_stored(tmp_path: Path) -> None:
    from thematic.cli.main import app
    from thematic.study import Study

    root = write_study(tmp_path / "s")
    toml = root / "thematic.toml"
    _set_code(toml, 'suggesters = ["rules", "similarity"]\nencoder = "bert-large"')
    out = CliRunner().invoke(app, ["code", "--study", str(root)])
    assert out.exit_code != 0 and "E381" in out.output and "bert-large" in out.output
    assert "Traceback" not in out.output
    with Study(root) as s:
        assert s.codings().empty


@needs_model
def test_the_studys_encoder_reaches_every_suggester_and_the_codings_provenance(tmp_path: Path) -> None:
    from thematic.coding.plan import make_suggester
    from thematic.study import Study

    root = write_study(tmp_path / "s")
    toml = root / "thematic.toml"
    _set_code(toml, 'suggesters = ["similarity"]\nencoder = "minilm"')
    with Study(root) as s:
        for name in ("thematic.similarity.v1", "thematic.model.v1", "thematic.ensemble.v1"):
            assert make_suggester(name, s.context).encoder == "minilm"
        s.run_code()
        cods = s.codings(status="suggested")
        assert not cods.empty
        assert {json.loads(p)["encoder"] for p in cods["params"]} == {MINILM}


# -- the packaged parts: read as one stream, only pinned files extracted, every hash checked ----------------

def _fake_parts(tmp_path: Path, files: dict[str, bytes], extra: dict[str, bytes] | None = None,
                n: int = 3) -> list[Path]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in {**files, **(extra or {})}.items():
            zf.writestr(f"{_packaged.NAME}/{rel}", data)
    raw = buf.getvalue()
    step = -(-len(raw) // n)
    out = []
    for i in range(n):
        p = tmp_path / f"all-mpnet-base-v2.zip.{i + 1:03d}"
        p.write_bytes(raw[i * step:(i + 1) * step])
        out.append(p)
    return out


def _pin(monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> None:
    monkeypatch.setattr(_packaged, "FILES", {k: (len(v), hashlib.sha256(v).hexdigest()) for k, v in files.items()})


FILES = {"config.json": b'{"a": 1}', "model.safetensors": bytes(range(256)) * 4000,
         "1_Pooling/config.json": b"{}"}


def test_parts_are_joined_and_only_the_pinned_files_are_extracted(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch, FILES)
    slices = _fake_parts(tmp_path, FILES, extra={"../../escape.txt": b"x", "desktop.ini": b"[x]"})
    dest = tmp_path / "out"
    _packaged._extract(slices, dest)
    got = {str(p.relative_to(dest)).replace("\\", "/"): p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    assert got == FILES
    assert not (tmp_path / "escape.txt").exists() and not any(tmp_path.parent.glob("escape.txt"))


def test_a_changed_part_is_refused_and_leaves_no_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch, FILES)
    tampered = dict(FILES, **{"model.safetensors": FILES["model.safetensors"][:-1] + b"\x00"})
    slices = _fake_parts(tmp_path, tampered)
    with pytest.raises(ValueError, match="model.safetensors does not match its pinned SHA-256"):
        _packaged._extract(slices, tmp_path / "out")

    monkeypatch.setenv("THEMATIC_MODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(_packaged, "_slices", lambda: slices)
    with pytest.raises(ModelIntegrityError, match=r"E382.*all-mpnet-base-v2.*does not match"):
        _packaged.folder()
    assert not any((tmp_path / "cache").iterdir())  # no half-written or unchecked folder is left


def test_a_missing_part_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch, FILES)
    slices = _fake_parts(tmp_path, FILES)
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        _packaged._extract(slices[1:], tmp_path / "out")
    monkeypatch.setattr(_packaged, "PARTS", ("thematic-no-such-part-001",))
    monkeypatch.setenv("THEMATIC_MODEL_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ModelIntegrityError, match="E382.*thematic-no-such-part-001 is not installed"):
        _packaged.folder()
    assert not _packaged.installed()


def test_the_joined_stream_reads_across_slice_boundaries(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10
    paths = []
    for i, (a, b) in enumerate(((0, 1000), (1000, 1001), (1001, 2560))):
        paths.append(tmp_path / f"s{i}")
        paths[-1].write_bytes(data[a:b])
    with _packaged._Joined(paths) as j:
        assert j.read() == data
        j.seek(995)
        assert j.read(10) == data[995:1005]
        j.seek(-3, io.SEEK_END)
        assert j.read() == data[-3:] and j.read(5) == b""


@needs_large
def test_the_packaged_mpnet_is_assembled_checked_and_reads_meaning() -> None:
    from thematic.coding.suggest._embed import load_encoder

    folder = _packaged.folder()
    assert (folder / ".complete").is_file()
    for rel, (size, digest) in _packaged.FILES.items():
        if rel != "model.safetensors":  # the weights' hash was checked while extracting; 438 MB to re-read
            assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
        assert (folder / rel).stat().st_size == size
    vec = load_encoder("mpnet").encode(["After prison nobody would give me a job.",
                                        "I could not find work once I was released.",
                                        "The recipe needs two eggs and some flour."], normalize_embeddings=True)
    assert vec.shape == (3, 768)
    sims = np.asarray(vec) @ np.asarray(vec).T
    assert sims[0, 1] > 0.5 > sims[0, 2] + 0.3


@needs_large
def test_similarity_with_the_larger_encoder_ranks_the_right_code(tmp_path: Path) -> None:
    import pandas as pd

    from thematic.coding.suggest import SimilaritySuggester
    from thematic.codebook import loads_codebook

    from regression.unlike_example import CODEBOOK

    cb = loads_codebook(CODEBOOK)
    segs = pd.DataFrame({"segment_id": ["d:1", "d:2"], "document_id": ["d", "d"], "start": [0, 50], "end": [40, 90],
                         "text": ["We ran out of money for the project.", "I talk to people in long interviews."]})
    s = SimilaritySuggester(encoder="mpnet", cache_dir=str(tmp_path)).fit(segs, None, cb)
    assert s.encoder_ == MPNET and s.learned_provenance()["encoder_"] == MPNET
    ranked = s.scores(segs).sort_values("score", ascending=False).groupby("segment_id")["code_id"].first()
    assert ranked.to_dict() == {"d:1": "funding_resources", "d:2": "qualitative_methods"}


# -- a damaged packaged encoder stops the run (it is never skipped like a missing extra) -------------------

def _damaged_mpnet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.suggest import _embed

    _pin(monkeypatch, FILES)
    tampered = dict(FILES, **{"model.safetensors": FILES["model.safetensors"][:-1] + b"\x00"})
    slices = _fake_parts(tmp_path, tampered)
    monkeypatch.setattr(_packaged, "_slices", lambda: slices)
    monkeypatch.setattr(_packaged, "installed", lambda: True)
    monkeypatch.setenv("THEMATIC_MODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("THEMATIC_ENCODER", "mpnet")
    _embed._load.cache_clear()
    monkeypatch.setattr(_embed, "embeddings_available", lambda: True)


@needs_model
@pytest.mark.parametrize("suggesters", ["similarity", "ensemble", "rules,similarity"])
def test_a_damaged_encoder_stops_thematic_code_with_E382_and_stores_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suggesters: str) -> None:
    from thematic.cli.main import app
    from thematic.coding.suggest import _embed
    from thematic.study import Study

    root = write_study(tmp_path / "s")
    _damaged_mpnet(tmp_path, monkeypatch)
    try:
        out = CliRunner().invoke(app, ["code", "--suggesters", suggesters, "--study", str(root)],
                                 env={"COLUMNS": "200"})
    finally:
        _embed._load.cache_clear()
    assert out.exit_code != 0, out.output
    assert "E382" in out.output and "E372" not in out.output and "Traceback" not in out.output
    with Study(root) as s:
        assert s.codings().empty
    assert not any((tmp_path / "cache").iterdir())


def test_any_damaged_byte_in_the_parts_gives_E382(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"config.json": b'{"a": 1}', "model.safetensors": bytes(range(251)) * 997 + b"x" * 5000}
    _pin(monkeypatch, files)
    (tmp_path / "good").mkdir()
    raw = _fake_parts(tmp_path / "good", files, n=1)[0].read_bytes()
    monkeypatch.setenv("THEMATIC_MODEL_CACHE", str(tmp_path / "cache"))
    for k, pos in enumerate(range(40, len(raw) - 30, max(1, len(raw) // 23))):
        bad = tmp_path / f"bad{k}"
        bad.mkdir()
        (bad / "all-mpnet-base-v2.zip.001").write_bytes(raw[:pos] + bytes([raw[pos] ^ 0xFF]) + raw[pos + 1:])
        monkeypatch.setattr(_packaged, "_slices", lambda b=bad: [b / "all-mpnet-base-v2.zip.001"])
        with pytest.raises(ModelIntegrityError, match="E382"):
            _packaged.folder()
    assert not any((tmp_path / "cache").iterdir())


def test_a_bare_folder_name_in_code_encoder_is_read_in_the_study_folder(tmp_path: Path) -> None:
    from thematic.config import load_config

    root = write_study(tmp_path / "s")
    (root / "mymini").mkdir()
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[code]\n", '[code]\nencoder = "mymini"\n'),
                    encoding="utf-8")
    assert load_config(toml).code.encoder == str((root / "mymini").resolve())
    toml.write_text(toml.read_text(encoding="utf-8").replace('encoder = "mymini"', 'encoder = "mpnet"'),
                    encoding="utf-8")
    assert load_config(toml).code.encoder == "mpnet"  # a name, where no such folder is in the study


def test_the_ensemble_says_which_part_it_left_out_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from coding.assisted_support import codebook, segments_frame
    from thematic.coding.suggest import EnsembleSuggester, SimilaritySuggester

    def broken(self, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise OptionalDependencyError("[E372] pretend the extra is missing")

    monkeypatch.setattr(SimilaritySuggester, "fit", broken)
    s = EnsembleSuggester(parts=("rules", "similarity")).fit(segments_frame({"a": "The vetting took months."}),
                                                            None, codebook())
    notes = s.run_notes()
    assert "[W527] The ensemble left out its similarity part: [E372] pretend the extra is missing" in notes
    assert not any("left out its model" in n for n in notes)
