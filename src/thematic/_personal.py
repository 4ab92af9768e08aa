"""Which participant attribute columns hold names or contact details, whatever their spelling.

The store keeps participants.csv's columns as given (only speaker labels are pseudonymised), so
every table and export that joins attributes leaves these out unless a column is asked for by name.
``name_column_part`` is the one rule for columns of people's names, shared by the participants.csv
and survey readers (which never store such a column) and ``is_personal``.
"""

from __future__ import annotations

import re

import pandas as pd

PERSONAL_ATTRIBUTES = frozenset({"participant_id", "pseudonym", "name", "real_name", "full_name", "first_name",
                                 "last_name", "surname", "email", "phone", "address", "postcode",
                                 "contact", "contact_details", "contact_detail", "contact_info",
                                 "contact_information", "contact_number", "contact_no"})
_PERSONAL_PARTS = re.compile(
    r"(^|_)(e_?mail|phone|telephone|mobile|address|postcode|zip|zipcode|postal_code|dob|birth_?date|"
    r"date_of_birth|birthday|real_name|full_name|first_name|last_name|given_name|family_name|surname|"
    r"forename|maiden_name|nhs_number|ssn|national_id|passport)(_|$)")
#: Whose name a column title may say it holds (``Participant name``, ``Name of respondent``, ``Your name``).
_WHO = (r"(?:recipient|respondent|participant|contact|student|pupil|interviewee|person|patient|client|speaker|"
        r"your|what_is_your|please_enter_your|enter_your)")
#: Which part of the name: given, family, or a whole name (a preferred name or nickname is one on its own).
_GIVEN = frozenset({"first", "given", "fore", "christian", "middle"})
_FAMILY = frozenset({"last", "family", "sur", "maiden"})
_NAME_COLUMN = re.compile(
    rf"^(?:{_WHO}_)?(?:(?P<part>first|given|fore|christian|middle|last|family|sur|maiden|full|real|legal|"
    rf"preferred|nick|display|birth)_?)?names?(?:_of_(?:the_)?{_WHO})?$")


def column_key(title: object) -> str:
    """``RecipientFirstName`` / ``Recipient first name`` -> ``recipient_first_name``: one spelling of a title."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", str(title).strip())
    return re.sub(r"[^0-9a-z]+", "_", spaced.casefold()).strip("_")


def name_column_part(title: object) -> str | None:
    """Which part of a person's name a column holds: ``given`` (``First name``), ``family`` (``Surname``),
    ``full`` (``Participant Name``, ``Name of participant``, ``Nickname``), or None when it holds no name."""
    m = _NAME_COLUMN.match(column_key(title))
    if m is None:
        return None
    part = m.group("part")
    return "given" if part in _GIVEN else "family" if part in _FAMILY else "full"


def is_personal(column: object) -> bool:
    """Whether an attribute column holds names or contact details (``Full Name``, ``E-mail``, ``phone_number``)."""
    keys = {re.sub(r"[^0-9a-z]+", "_", str(column).casefold()).strip("_"), column_key(column)}
    return (name_column_part(column) is not None
            or any(key in PERSONAL_ATTRIBUTES or _PERSONAL_PARTS.search(key) for key in keys))


def without_personal(participants: pd.DataFrame) -> pd.DataFrame:
    """``participants`` without name and contact columns (``participant_id``, the pseudonymous key, stays)."""
    return participants[[c for c in participants.columns if c == "participant_id" or not is_personal(c)]]


__all__ = ["PERSONAL_ATTRIBUTES", "column_key", "is_personal", "name_column_part", "without_personal"]
