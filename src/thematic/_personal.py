"""Which participant attribute columns hold names, contact details or whereabouts, whatever their spelling.

The store keeps participants.csv's columns as given (only speaker labels are pseudonymised), so
every table and export that joins attributes leaves these out unless a column is asked for by name.
``name_column_part`` is the one rule for columns of people's names, shared by the participants.csv
and survey readers (which never store such a column) and ``is_personal``.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

PERSONAL_ATTRIBUTES = frozenset({"participant_id", "pseudonym", "name", "real_name", "full_name", "first_name",
                                 "last_name", "surname", "email", "phone", "address", "postcode",
                                 "contact", "contact_details", "contact_detail", "contact_info",
                                 "contact_information", "contact_number", "contact_no",
                                 # where someone answered from: coordinates, network, device (survey tools' columns)
                                 "lat", "lng", "lon", "long", "latlong", "latlng", "lat_long", "lat_lng", "gps",
                                 "location_gps", "coordinates", "coords", "gps_coordinates", "ip", "ipv4", "ipv6",
                                 "postal", "imei", "simserial", "subscriberid"})
_PERSONAL_PARTS = re.compile(
    r"(^|_)(e_?mail|phone|telephone|mobile|address|postcode|zip|zipcode|postal_code|dob|birth_?date|"
    r"date_of_birth|birthday|real_name|full_name|first_name|last_name|given_name|family_name|surname|"
    r"forename|maiden_name|nhs_number|ssn|national_id|passport|"
    r"latitude|longitude|altitude|geo_?location|geo_?point|ip_?addr(?:ess)?|user_?agent|device_?id|mac_address)(_|$)"
    r"|_(ip|ipv[46]|lat|lng|lon)$")  # ``Submission IP``, KoboToolbox's ``_location_lat``
#: Whose name a column title may say it holds (``Participant name``, ``Name of respondent``, ``Your name``,
#: ``What's your name?``, ``Please enter your name``, ``Votre nom``).
_WHO = (r"(?:(?:recipient|respondent|participant|contact|student|pupil|interviewee|person|patient|client|speaker)s?|"
        r"your|what_is_your|what_your|whats_your|(?:please_)?(?:enter|give|provide|state|type|write|tell_us)_your|"
        r"votre|ihr|tu|su|uw|seu)")
#: Which part of the name: given, family, or a whole name (a preferred name or nickname is one on its own).
_PART = (r"(?:first|given|fore|christian|middle|last|family|sur|maiden|full|real|legal|preferred|nick|display|"
         r"birth|complete)")
_GIVEN = frozenset({"first", "given", "fore", "christian", "middle"})
_FAMILY = frozenset({"last", "family", "sur", "maiden"})
#: One name: its parts, if any, then ``name`` (``First and last name``, ``First/last name``, ``Surname``).
_PHRASE = rf"(?:{_PART}_?(?:(?:and|or)_)?)*names?"
#: Other languages' common titles of a name column (accents dropped), and which part each holds.
_FOREIGN = {"nom": "full", "nom_complet": "full", "nombre": "full", "nombre_completo": "full", "nome": "full",
            "nome_completo": "full", "naam": "full", "volledige_naam": "full", "prenom": "given", "vorname": "given",
            "voornaam": "given", "nombre_de_pila": "given", "nom_de_famille": "family", "nachname": "family",
            "familienname": "family", "achternaam": "family", "apellido": "family", "apellidos": "family",
            "cognome": "family", "sobrenome": "family"}
#: A whole title that names a person's name: whose, one or more names (``Name/Nickname``, ``Name and surname``),
#: ``of`` whom (``Name of person completing the form``), and a trailing ``optional`` or ``if …`` (brackets and
#: possessives are dropped before).
_NAME_COLUMN = re.compile(
    rf"^(?:{_WHO}_)?(?P<body>{_PHRASE}(?:_(?:and_|or_)?(?:{_WHO}_)?{_PHRASE})*|"
    rf"{'|'.join(sorted(_FOREIGN, key=len, reverse=True))})"
    rf"(?:_of_(?:the_)?{_WHO}(?:_completing_(?:the_|this_)?(?:form|survey|questionnaire))?)?"
    rf"(?:_(?:optional|required|not_required|if_.+))?$")
_NAME_PARTS = re.compile(rf"({_PART}_?(?:(?:and|or)_)?)*names?")
#: Brackets that say which part a bare ``Name`` holds: ``Name (first and last)``, ``Name (surname)``.
_PART_HINT = re.compile(rf"^(?:{_PART}_?(?:(?:and|or)_)?)+(?:_?names?)?$")


def column_key(title: object) -> str:
    """``RecipientFirstName`` / ``Recipient first name`` -> ``recipient_first_name``: one spelling of a title."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", str(title).strip())
    return re.sub(r"[^0-9a-z]+", "_", spaced.casefold()).strip("_")


def _title_keys(title: object) -> tuple[str, str]:
    """A title's key without its brackets, possessives and accents, and the key of what its brackets say:
    ``Participant's name (optional)`` -> (``participant_name``, ``optional``)."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", str(title)) if not unicodedata.combining(ch))
    text = re.sub(r"(?<=\w)['’]s\b|(?<=s)['’](?!\w)", "", text)
    inside = " ".join(a or b for a, b in re.findall(r"\(([^()]*)\)|\[([^\[\]]*)\]", text))
    return column_key(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", text)), column_key(inside)


def _which_part(parts: list[str]) -> str:
    """``given``, ``family`` or ``full`` for the name parts one title names (none, or both kinds: ``full``)."""
    return ("given" if parts and set(parts) <= _GIVEN else "family" if parts and set(parts) <= _FAMILY
            else "full")


def name_column_part(title: object) -> str | None:
    """Which part of a person's name a column holds: ``given`` (``First name (optional)``), ``family``
    (``Surname``), ``full`` (``Participant's name``, ``Name of participant``, ``Name/Nickname``), or None when it
    holds no name (``Name one thing that helped you`` is a question): the one rule for respondents' name columns,
    which are never stored and whose names are pseudonymised."""
    key, inside = _title_keys(title)
    m = _NAME_COLUMN.match(key)
    if m is None:
        return None
    body = m.group("body")
    if body in _FOREIGN:
        return _FOREIGN[body]
    phrases = [re.findall(rf"(?:^|_)({_PART})(?=_|names?)", "_" + p.group(0)) for p in _NAME_PARTS.finditer(body)]
    if not any(phrases) and _PART_HINT.match(inside):  # a bare Name whose brackets say which part
        return _which_part(re.findall(rf"(?:^|_)({_PART})(?=_|names?|$)", inside))
    kinds = {_which_part(p) for p in phrases}
    return kinds.pop() if len(kinds) == 1 else "full"


def is_personal(column: object) -> bool:
    """Whether an attribute column holds names, contact details or where someone answered from (``Full Name``,
    ``E-mail``, ``phone_number``, ``Latitude``, ``IP``, ``User Agent``): never tallied, by its title."""
    keys = {re.sub(r"[^0-9a-z]+", "_", str(column).casefold()).strip("_"), column_key(column)}
    return (name_column_part(column) is not None
            or any(key in PERSONAL_ATTRIBUTES or _PERSONAL_PARTS.search(key) for key in keys))


def without_personal(participants: pd.DataFrame) -> pd.DataFrame:
    """``participants`` without name and contact columns (``participant_id``, the pseudonymous key, stays)."""
    return participants[[c for c in participants.columns if c == "participant_id" or not is_personal(c)]]


__all__ = ["PERSONAL_ATTRIBUTES", "column_key", "is_personal", "name_column_part", "without_personal"]
