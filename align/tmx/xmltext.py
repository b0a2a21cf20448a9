"""Small text helpers shared by the TMX writer, reader and validator."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from align.xmlsafe import INVALID_XML_CHARS, first_invalid_char  # noqa: F401 (re-exported)

TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")
SEGTYPES: tuple[str, ...] = ("block", "paragraph", "sentence", "phrase")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A sentence end followed by a capitalised word; CJK full stops need no space.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'»”’)\]]*\s+[\"'«“‘(\[¿¡]*(\w)|[。！？](?=\S)")


def tmx_date(moment: datetime | None = None) -> str:
    """UTC timestamp in the TMX form ``YYYYMMDDThhmmssZ``."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def normalize_date(value: str) -> str:
    """Accept a TMX date or an ISO 8601 one and return the TMX form.

    Naive ISO times are taken as UTC. Raises ``ValueError`` for anything else.
    """
    if TMX_DATE.match(value):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is neither a TMX date (20240131T235959Z) nor ISO 8601"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return tmx_date(moment)


def describe_char(ch: str) -> str:
    """``U+000B LINE TABULATION (VT)``: code point and name (see textio.describe_char)."""
    from align.text.textio import describe_char as describe

    return describe(ch)


def multi_sentence(text: str) -> bool:
    """Heuristic: does ``text`` hold more than one sentence?"""
    return any(m.group(1) is None or m.group(1).isupper() for m in _SENTENCE_BREAK.finditer(text))
