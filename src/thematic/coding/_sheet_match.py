"""Finding a returned workbook row's turn after a re-ingest moved segment ids (coding sheets, decision workbooks).

Segment ids are positions, so a re-ingest that inserts or removes a turn (a late survey response, a question
column added) gives a row's id to another turn. A row is its turn's document, speaker, participant, survey
question and words, as far as the file shows them: its old id counts only while that turn matches them all,
else the one other turn that does is taken. Words alone would put a one-word answer ("Nothing") on another
respondent's answer to another question. Rows that several turns fit equally are never guessed. A transcript
speaker renamed since (every turn of theirs under a new label no row shows) is still the same person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Container, Iterable, NamedTuple

import pandas as pd

from ._sheet_xlsx import clean_cell_text


def cell_text(value: Any) -> str:
    """A cell as compared: text with whitespace runs collapsed, NFC; empty for an empty cell."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return " ".join(unicodedata.normalize("NFC", text).split())


def stored_text(value: Any) -> str:
    """A stored value as a workbook cell shows it, compared as ``cell_text`` (illegal characters dropped, cut)."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return cell_text(clean_cell_text(text))


@dataclass(frozen=True, slots=True)
class RowTurn:
    """The turn a returned row shows, compared as ``cell_text``: None where the file has no such column."""

    document: str
    text: str
    speaker: str | None = None
    participant: str | None = None
    question: str | None = None
    #: An answer's question as a decision workbook's ``where`` shows it (``Q: ...``, cut at 70 characters).
    shown_question: str | None = None

    def whose(self, *, document: bool = True) -> str:
        """``of 'R1' answering 'What helped?' in 'survey'``: as much as the row tells."""
        asked = self.question or (self.shown_question or "").removeprefix("Q: ")
        return _whose(self.speaker or self.participant, asked, self.document if document else None)


def _whose(who: str | None, question: str | None, document: str | None) -> str:
    parts = [f"of '{who}'" if who else "", f"answering '{question}'" if question else "",
             f"in '{document}'" if document else ""]
    return " ".join(p for p in parts if p) or "of nobody named"


class _Turn(NamedTuple):
    document: str
    text: str
    speaker: str
    participant: str
    question: str
    shown: str


@dataclass(frozen=True, slots=True)
class Located:
    """Where a row's turn is now: ``segment`` (None: not found), whether it ``moved`` from the row's id, and
    else ``why``: ``gone`` (no turn of its speaker and question reads so), ``several`` (``n`` turns fit
    equally), or ``another`` (its old id holds the same words, as another speaker's turn or another question's
    answer)."""

    segment: str | None
    moved: bool = False
    why: str = ""
    n: int = 0


class TurnFinder:
    """The study's turns indexed for ``locate``; ``shown`` gives an answer's question as a decision workbook's
    ``where`` shows it (``Q: ...``), for rows that carry only that."""

    def __init__(self, segments: pd.DataFrame, shown: Callable[[str], str] | None = None) -> None:
        self._turns: dict[str, _Turn] = {}
        self._by_text: dict[tuple[str, str], list[str]] = {}
        #: (document, "speaker"/"participant") -> the labels its turns have now, and those the file's rows show
        self._said: dict[tuple[str, str], set[str]] = {}
        self._shown: dict[tuple[str, str], set[str]] = {}
        for r in segments.itertuples():
            question = stored_text(r.question)
            turn = _Turn(cell_text(r.document_id), stored_text(r.text), stored_text(r.speaker),
                         stored_text(r.participant_id), question,
                         cell_text(shown(question)) if shown is not None and question else "")
            self._turns[str(r.segment_id)] = turn
            self._by_text.setdefault((turn.document, turn.text), []).append(str(r.segment_id))
            self._said.setdefault((turn.document, "speaker"), set()).add(turn.speaker)
            self._said.setdefault((turn.document, "participant"), set()).add(turn.participant)

    def expect(self, rows: Iterable[RowTurn]) -> None:
        """Note the speakers the file's rows show, so a transcript speaker renamed since is told from another."""
        for row in rows:
            for kind, label in (("speaker", row.speaker), ("participant", row.participant)):
                if label is not None:
                    self._shown.setdefault((row.document, kind), set()).add(label)

    def fits(self, sid: str, row: RowTurn) -> bool:
        """Whether segment ``sid`` is the row's turn: same document and words, and same speaker (else
        participant) and question wherever the row shows them."""
        t = self._turns.get(sid)
        if t is None or (t.document, t.text) != (row.document, row.text):
            return False
        shown = (row.shown_question, t.shown) if row.shown_question else (None, None)
        if not all(want is None or want == have for want, have in ((row.question, t.question), shown)):
            return False
        # the speaker label tells who in a document (the participant is mapped from it, and a mapping added
        # since changes the participant, not the person); a file that shows no speaker is read by participant
        kind, was, now = ("speaker", row.speaker, t.speaker) if row.speaker is not None else \
            ("participant", row.participant, t.participant)
        return was is None or was == now or (not t.question and self._renamed(t.document, kind, was, now))

    def _renamed(self, document: str, kind: str, was: str, now: str) -> bool:
        """A transcript's speaker renamed since the export (participants.csv added, a pseudonym changed): the
        row's label is on no turn of the document now, and the turn's on no row of the file. Never for a survey
        answer: a respondent who left and one who arrived are two people."""
        return bool(was) and was not in self._said.get((document, kind), set()) \
            and now not in self._shown.get((document, kind), set())

    def locate(self, sid: str, row: RowTurn, *claimed: Container[str]) -> Located:
        """The row's turn now: its id while that turn fits the row, else the one turn that fits and no other row
        holds (``claimed``: ids other rows still fit or were given)."""
        if self.fits(sid, row):
            return Located(sid)
        found = [c for c in self._by_text.get((row.document, row.text), [])
                 if not any(c in ids for ids in claimed) and self.fits(c, row)]
        if len(found) == 1:
            return Located(found[0], moved=True)
        if found:
            return Located(None, why="several", n=len(found))
        now = self._turns.get(sid)
        return Located(None, why="another" if now is not None and now.text == row.text else "gone")

    def whose(self, sid: str) -> str:
        """Segment ``sid``'s turn as ``RowTurn.whose`` words it, without its document."""
        t = self._turns[sid]
        return _whose(t.speaker or t.participant, t.question, None)
