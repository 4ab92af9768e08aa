"""Which participant attribute columns hold names or contact details, whatever their spelling.

The store keeps participants.csv's columns as given (only speaker labels are pseudonymised), so
every table and export that joins attributes leaves these out unless a column is asked for by name.
"""

from __future__ import annotations

import re

import pandas as pd

PERSONAL_ATTRIBUTES = frozenset({"participant_id", "pseudonym", "name", "real_name", "full_name", "first_name",
                                 "last_name", "surname", "email", "phone", "address", "postcode"})
_PERSONAL_PARTS = re.compile(
    r"(^|_)(e_?mail|phone|telephone|mobile|address|postcode|zip|zipcode|postal_code|dob|birth_?date|"
    r"date_of_birth|birthday|real_name|full_name|first_name|last_name|given_name|family_name|surname|"
    r"forename|maiden_name|nhs_number|ssn|national_id|passport)(_|$)")


def is_personal(column: object) -> bool:
    """Whether an attribute column holds names or contact details (``Full Name``, ``E-mail``, ``phone_number``)."""
    key = re.sub(r"[^0-9a-z]+", "_", str(column).casefold()).strip("_")
    return key in PERSONAL_ATTRIBUTES or bool(_PERSONAL_PARTS.search(key))


def without_personal(participants: pd.DataFrame) -> pd.DataFrame:
    """``participants`` without name and contact columns (``participant_id``, the pseudonymous key, stays)."""
    return participants[[c for c in participants.columns if c == "participant_id" or not is_personal(c)]]


__all__ = ["PERSONAL_ATTRIBUTES", "is_personal", "without_personal"]
