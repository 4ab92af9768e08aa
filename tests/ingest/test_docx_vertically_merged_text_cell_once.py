"""In a Word time | speaker | text table, an utterance whose text cell is merged down over two time rows (Table ▸
Merge Cells) was stored once per row it spans, as two turns with the same words, so coding, word counts and
similarity saw it twice. python-docx hands the merged cell back for every row; it is now read once, in its first
row. A speaker cell merged down over several rows still names the speaker of each row's own text."""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)


def _table(path: Path, rows: list[tuple[str, str, str]], merges: list[tuple[int, int, int]]) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    for top, bottom, col in merges:
        table.cell(top, col).merge(table.cell(bottom, col)).text = rows[top][col]
    document.save(path)
    return path


def test_merged_text_cell_is_read_once(tmp_path: Path) -> None:
    rows = [("00:00:01", "Interviewer", "Thanks for coming in. How did you first hear about the project?"),
            ("00:00:06", "Jonas", ("A friend told me about it at the community centre, she had been to one of "
                                   "the sessions and loved it.")),
            ("00:00:14", "Jonas", ""),
            ("00:00:20", "Interviewer", "Right."),
            ("00:00:27", "Jonas", "And I thought I would give it a go.")]
    doc = read_transcript(_table(tmp_path / "merged.docx", rows, [(1, 2, 2)]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Thanks for coming in. How did you first hear about the project?"),
        ("Jonas", ("A friend told me about it at the community centre, she had been to one of the sessions and "
                   "loved it.")),
        ("Interviewer", "Right."), ("Jonas", "And I thought I would give it a go.")]
    assert doc.text.count("loved it") == 1


def test_merged_speaker_cell_names_each_rows_speaker(tmp_path: Path) -> None:
    rows = [("00:00:01", "Interviewer", "How did you first hear about the project?"),
            ("00:00:06", "Jonas", "A friend told me about it."),
            ("00:00:11", "Jonas", "She had been to one of the sessions."),
            ("00:00:20", "Interviewer", "Right."),
            ("00:00:27", "Jonas", "So I went.")]
    doc = read_transcript(_table(tmp_path / "speaker.docx", rows, [(1, 2, 1)]), settings=PLAIN)
    assert [(s.speaker, s.text, s.time_start) for s in doc.segments] == [
        ("Interviewer", "How did you first hear about the project?", 1.0),
        ("Jonas", "A friend told me about it.", 6.0), ("Jonas", "She had been to one of the sessions.", 11.0),
        ("Interviewer", "Right.", 20.0), ("Jonas", "So I went.", 27.0)]
