"""Finding a typed code: id, label, unique beginning; did-you-mean for the rest."""

from __future__ import annotations

import pytest

from coding.manual_support import codebook
from thematic.coding.lookup import find_code
from thematic.errors import InputError


@pytest.mark.parametrize("typed, expected", [
    ("generativity", "generativity"),
    ("Giving back", "generativity"),        # a label
    ("giving BACK", "generativity"),        # any case
    ("secur", "security_vetting"),          # a unique beginning of an id
    ("security vetting", "security_vetting"),
    ("Hook", "hook_for_change"),            # a unique beginning of a label
    ("  funding ", "funding"),
])
def test_find_code_accepts_ids_labels_and_unique_beginnings(typed: str, expected: str) -> None:
    assert find_code(codebook(), typed) == expected


def test_an_ambiguous_beginning_lists_what_it_could_be() -> None:
    with pytest.raises(InputError, match=r"\[E631\] 's' fits 2 codes: security_vetting \(Security vetting\), shared_experience"):
        find_code(codebook(), "s")


def test_a_typo_gets_a_did_you_mean_by_id_or_by_label() -> None:
    with pytest.raises(InputError, match=r"\[E340\] Unknown code 'gnerativity'.*Did you mean 'generativity'"):
        find_code(codebook(), "gnerativity")
    with pytest.raises(InputError, match=r"Did you mean 'been_there' \(Been there\)"):
        find_code(codebook(), "Bean there")
    with pytest.raises(InputError, match=r"\[E340\].*thematic codebook show"):
        find_code(codebook(), "zzzz qqq")


def test_a_theme_is_refused_naming_its_codes() -> None:
    with pytest.raises(InputError, match=r"\[E341\] 'barriers' is a theme.*security_vetting"):
        find_code(codebook(), "Structural barriers")
