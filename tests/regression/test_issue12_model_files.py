"""Issue 12 item 1: a saved model read from a study folder never runs code (no pickle is loaded)."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from coding.assisted_support import codebook, segments_frame, training_frames
from thematic.coding.suggest import ModelSuggester


class _Payload:
    """Unpickling this creates ``marker``: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (Path.touch, (self.marker,))


@pytest.fixture(scope="module")
def data():  # noqa: ANN201
    return training_frames()


def _plant(folder: Path, key: str, marker: Path) -> list[Path]:
    payload = pickle.dumps({"hash": key, "pipeline": _Payload(marker)})
    old = folder / f"model-{key[:20]}.joblib"
    new = folder / f"model-{key[:20]}.npz"
    old.write_bytes(payload)
    new.write_bytes(payload)
    return [old, new]


def test_issue12_planted_pickle_at_the_model_path_never_runs(tmp_path: Path, data) -> None:  # noqa: ANN001
    segs, cods = data
    first = ModelSuggester(cv=3, model_dir=str(tmp_path / "models")).fit(segs, cods, codebook())
    for f in (tmp_path / "models").iterdir():
        f.unlink()
    marker = tmp_path / "PWNED"
    _plant(tmp_path / "models", first.training_hash_, marker)
    second = ModelSuggester(cv=3, model_dir=str(tmp_path / "models")).fit(segs, cods, codebook())
    assert not marker.exists()
    probe = segments_frame({"a": "Vetting again."})
    assert np.allclose(first.predict_proba(probe), second.predict_proba(probe))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_issue12_npz_with_an_object_array_is_retrained_not_unpickled(tmp_path: Path, data) -> None:  # noqa: ANN001
    segs, cods = data
    folder = tmp_path / "models"
    first = ModelSuggester(cv=3, model_dir=str(folder)).fit(segs, cods, codebook())
    (path,) = folder.glob("model-*.npz")
    marker = tmp_path / "PWNED"
    with zipfile.ZipFile(path, "a") as zf:  # an extra member holding a pickled object array
        zf.writestr("coef.npy", _object_npy(_Payload(marker)))
    ModelSuggester(cv=3, model_dir=str(folder)).fit(segs, cods, codebook())
    assert not marker.exists() and first.training_hash_


def _object_npy(obj: object) -> bytes:
    import io

    buf = io.BytesIO()
    arr = np.empty(1, dtype=object)
    arr[0] = obj
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def test_issue12_saved_model_is_plain_arrays_and_predicts_the_same(tmp_path: Path, data) -> None:  # noqa: ANN001
    segs, cods = data
    folder = tmp_path / "models"
    first = ModelSuggester(cv=3, model_dir=str(folder)).fit(segs, cods, codebook())
    (path,) = folder.glob("model-*.npz")
    with np.load(path, allow_pickle=False) as npz:  # raises if anything in it needs pickle
        assert all(npz[k].dtype != object for k in npz.files)
    second = ModelSuggester(cv=3, model_dir=str(folder)).fit(segs, cods, codebook())
    probe = segs.head(30)
    assert np.allclose(first.predict_proba(probe), second.predict_proba(probe), atol=1e-9)
    assert second.thresholds_ == first.thresholds_
    assert first.scores(probe).equals(second.scores(probe))


def test_issue12_init_gitignore_keeps_models_and_caches_out_of_git(tmp_path: Path) -> None:
    from thematic.study import init_study

    study = init_study(tmp_path / "s", name="s")
    lines = (tmp_path / "s" / ".gitignore").read_text().splitlines()
    study.close()
    assert "data/coded/models/" in lines and "private/" in lines
    assert any("cache" in ln for ln in lines)
