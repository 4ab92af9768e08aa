"""A codebook's ``entries`` cannot be edited through the object the API hands out.

``Codebook`` is frozen, but its ``entries`` was a plain dict, and ``study.codebook`` returns the same cached object
until the YAML changes: adding a draft code to ``study.codebook.entries`` in a notebook let ``study.code`` store a
code the YAML never had (the store then held an uncatalogued code). Now ``entries`` is a read-only view of the
codebook's own copy, so such an edit fails with a TypeError and the store stays clean; the YAML is the one place
a code is added. Pickling (worker processes, Dask), ``dataclasses.replace`` and every read still work.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from coding.manual_support import CODEBOOK_YAML, codebook, fill_study
from thematic.codebook import Codebook
from thematic.errors import InputError


def test_editing_the_studys_codebook_entries_fails_and_nothing_is_stored(study) -> None:  # noqa: ANN001
    fill_study(study)
    entries = study.codebook.entries
    draft = dataclasses.replace(entries["funding"], id="draft", label="Draft")
    with pytest.raises(TypeError):
        entries["draft"] = draft  # type: ignore[index]
    with pytest.raises(TypeError):
        del entries["funding"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        entries.update({"draft": draft})  # type: ignore[attr-defined]
    assert "draft" not in study.codebook and "funding" in study.codebook
    with pytest.raises(InputError, match="E340"):
        study.code("int-01:1", "draft", coder="HT")
    assert "draft" not in set(study.store.codings()["code_id"])
    assert "draft" not in set(study.code_usage()["code_id"])
    assert (study.codebook_path.read_text(encoding="utf-8")) == CODEBOOK_YAML
    assert study.code("int-01:1", "funding", coder="HT").code_id == "funding"


def test_the_dict_a_codebook_was_built_from_does_not_reach_it() -> None:
    loaded = codebook()
    given = dict(loaded.entries)
    built = Codebook(name=loaded.name, version=loaded.version, entries=given)
    given["draft"] = dataclasses.replace(given["funding"], id="draft")
    assert "draft" not in built and len(built) == len(loaded)
    with pytest.raises(TypeError):
        built.entries["draft"] = given["draft"]  # type: ignore[index]


def test_a_read_only_codebook_still_pickles_copies_and_reads() -> None:
    loaded = codebook()
    again = pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == loaded and list(again.entries) == list(loaded.entries)
    with pytest.raises(TypeError):
        again.entries["draft"] = loaded["funding"]  # type: ignore[index]
    bumped = dataclasses.replace(loaded, version="1.3.0")
    assert bumped.version == "1.3.0" and list(bumped.entries) == list(loaded.entries)
    with pytest.raises(TypeError):
        bumped.entries["draft"] = loaded["funding"]  # type: ignore[index]
    assert [c.id for c in loaded.themes] == ["identity", "barriers", "peers"]
    assert loaded.theme_of("been_there").id == "peers" and "funding" in loaded
    assert list(loaded.to_frame()["code_id"]) == list(loaded.entries)
    assert loaded.diff(loaded).to_frame().empty
