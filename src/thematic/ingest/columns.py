"""The column names that make a table a participants table: ids, speaker names, transcripts."""

from __future__ import annotations

import re

#: Id columns of participants.csv (as ``header_key`` spells them), the first one found wins.
ID_COLUMNS = ("participant_id", "id", "participant", "respondent_id", "survey_respondent_id", "interviewee_id",
              "case_id")
#: Columns naming the speaker label(s) a participant has in the transcripts.
NAME_COLUMNS = ("name", "speaker", "speaker_name", "speakers", "real_name", "names")
#: Columns naming the participant's transcript.
DOC_COLUMNS = ("transcript", "document", "file", "transcript_name", "document_id")


def header_key(name: str) -> str:
    """``SurveyRespondentID`` / ``Survey respondent ID`` -> ``survey_respondent_id``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


__all__ = ["DOC_COLUMNS", "ID_COLUMNS", "NAME_COLUMNS", "header_key"]
