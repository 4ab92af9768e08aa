"""Stable REFI-QDA GUIDs: uuid5 of the study's name and the record's own id.

The same study exported twice gives the same GUIDs, so NVivo, ATLAS.ti or MAXQDA recognise a code
or a document they have seen before. Codes and documents that came in from a REFI file keep the GUID
they came with (other records get thematic's), and one export gives each GUID to one record only.
"""

from __future__ import annotations

import re
import uuid

#: The namespace of every thematic GUID (itself a uuid5 of the project's URL-like name).
THEMATIC_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "thematic:refi-qda")

_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


def is_guid(value: str | None) -> bool:
    """True when ``value`` has the GUID form the REFI schemas accept (braces optional)."""
    return bool(value) and bool(_GUID.match(value.strip()))  # type: ignore[union-attr]


def normalise_guid(value: str) -> str:
    """A GUID in canonical form (upper case, no braces) so references compare equal."""
    return value.strip().strip("{}").upper()


class GuidFactory:
    """Makes deterministic GUIDs for one study.

    Example:
        >>> g = GuidFactory("peer-work")
        >>> g("code", "generativity") == GuidFactory("peer-work")("code", "generativity")
        True
    """

    def __init__(self, study_name: str) -> None:
        self.namespace = uuid.uuid5(THEMATIC_NAMESPACE, f"study:{study_name}")
        self.holders: dict[str, tuple[str, str]] = {}  # GUID given -> (kind, key) of the record it was given to
        #: Records that asked for a GUID another record already had: (kind, key, that GUID, the other's kind, key).
        self.collisions: list[tuple[str, str, str, str, str]] = []

    def __call__(self, kind: str, key: str, *, keep: str | None = None) -> str:
        """The GUID of record ``key`` of ``kind``; ``keep`` (a GUID it already had) wins when valid and no other
        record has it (two documents imported from one source, say): a GUID names one record only."""
        owner = (kind, key)
        if keep is not None and is_guid(keep):
            kept = normalise_guid(keep)
            if self.holders.setdefault(kept, owner) == owner:
                return kept
            self._collided(owner, kept)
        guid, n = str(uuid.uuid5(self.namespace, f"{kind}:{key}")).upper(), 2
        while self.holders.setdefault(guid, owner) != owner:  # a GUID kept from an import got there first
            self._collided(owner, guid)
            guid, n = str(uuid.uuid5(self.namespace, f"{kind}:{key}:{n}")).upper(), n + 1
        return guid

    def _collided(self, owner: tuple[str, str], guid: str) -> None:
        entry = (*owner, guid, *self.holders[guid])
        if entry not in self.collisions:
            self.collisions.append(entry)
