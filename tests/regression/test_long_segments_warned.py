"""A one-speaker recording (a lecture, a monologue) read as one turn makes one huge segment: ingest says so (W111).

Seen on a Zoom transcript in ../shared/samples: 2,592 words of one speaker became a single segment,
which a suggestion or a quote would cover whole.
"""

from __future__ import annotations

from thematic.study import Study

from .unlike_example import write_study

WORDS = "we talked about moles and mass and how to convert between the two units today"


def _vtt(cues: int) -> str:
    out, t = ["WEBVTT", ""], 0.0
    for i in range(cues):
        gap = 3.0 if i % 10 == 0 else 0.2  # a pause every ten cues: a new paragraph
        t += gap
        start, end = t, t + 4.0
        t = end
        stamp = f"00:{int(start // 60):02d}:{start % 60:06.3f} --> 00:{int(end // 60):02d}:{end % 60:06.3f}"
        out += [str(i + 1), stamp, f"Rowan Teal: {WORDS} number {i}.", ""]
    return "\n".join(out)


def test_a_monologue_read_as_one_turn_is_warned_and_a_finer_unit_named(tmp_path):
    root = write_study(tmp_path / "study", {"lecture.vtt": _vtt(120)})  # about 1,900 words
    with Study(root) as study:
        report = study.ingest()
        segs = study.store.segments()
    warned = [w for row in report.rows for w in row.warnings if w.startswith("[W111]")]
    assert len(segs) == 1 and len(warned) == 1
    assert 'unit = "paragraph"' in warned[0] and 'ingest.files."lecture.vtt"' in warned[0]
    with (root / "thematic.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[ingest.files."lecture.vtt"]\nunit = "paragraph"\n')
    with Study(root) as study:
        report = study.ingest()
        segs = study.store.segments()
    assert len(segs) >= 10
    assert not [w for row in report.rows for w in row.warnings if w.startswith("[W111]")]


def test_ordinary_turns_are_not_warned(tmp_path):
    root = write_study(tmp_path / "study", {"lecture.vtt": _vtt(40)})  # about 650 words
    with Study(root) as study:
        report = study.ingest()
    assert not [w for row in report.rows for w in row.warnings if w.startswith("[W111]")]
