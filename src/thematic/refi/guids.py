"""Stable REFI-QDA GUIDs: uuid5 of the study's name and the record's own id.

The same study exported twice gives the same GUIDs, so NVivo, ATLAS.ti or MAXQDA recognise a code
or a document they have seen before. Records that came in from a REFI file keep their original GUID.
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

    def __call__(self, kind: str, key: str, *, keep: str | None = None) -> str:
        """The GUID of record ``key`` of ``kind``; ``keep`` (a GUID it already had) wins when valid."""
        if keep is not None and is_guid(keep):
            return normalise_guid(keep)
        return str(uuid.uuid5(self.namespace, f"{kind}:{key}")).upper()
