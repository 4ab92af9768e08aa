"""Analysis (DESIGN.md §7): pure functions from frames to tables, and charts as Figures.

Every function takes DataFrames (codings, segments, participants) and a Codebook and returns a
DataFrame; ``load_frames(study)`` reads them from a study's store.
"""

from .agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, percent_agreement
from .attributes import attribute_tallies, crosstab
from .characters import character_agreement
from .cooccurrence import cooccurrence, cooccurrence_matrix
from .frames import StudyFrames, load_frames
from .frequency import code_matrix, frequencies, frequency_wide, with_labels
from .intercoder import agreement, disagreements
from .quotes import select_quotes
from .selection import coded_segments, select_codings

__all__ = [
    "StudyFrames",
    "agreement",
    "attribute_tallies",
    "character_agreement",
    "code_matrix",
    "coded_segments",
    "cohen_kappa",
    "cooccurrence",
    "cooccurrence_matrix",
    "crosstab",
    "disagreements",
    "fleiss_kappa",
    "frequencies",
    "frequency_wide",
    "krippendorff_alpha",
    "load_frames",
    "percent_agreement",
    "select_codings",
    "select_quotes",
    "with_labels",
]
