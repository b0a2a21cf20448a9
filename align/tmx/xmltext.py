"""Small text helpers shared by the TMX writer, reader and validator (and the XLIFF writer)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from align.errors import InvalidXmlCharError
from align.model import Inline, TranslationUnit
from align.xmlsafe import INVALID_XML_CHARS, first_invalid_char, storable  # noqa: F401 (re-exported)

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


def storable_unit(
    path: str | Path, unit: TranslationUnit, label: str, mode: str
) -> tuple[TranslationUnit, int]:
    """``unit`` as an XML writer (TMX, XLIFF) can store it, and how many characters were replaced.

    Every written string (source, target, note, tuid, props) goes through
    :func:`align.xmlsafe.storable` with ``mode``; inline content is then made to
    match its (already checked and counted) text. The error names the file
    (``path``), the unit (``label``, e.g. ``unit 3 (tuid 7)``) and the field.
    """
    # One search over everything first: nearly every unit is clean.
    texts = (unit.source, unit.target, unit.note or "", unit.tuid or "", *unit.props)
    if not INVALID_XML_CHARS.search("\n".join((*texts, *map(str, unit.props.values())))):
        return unit, 0
    count = 0

    def fix(name: str, text: str) -> str:
        nonlocal count

        def refuse(ch: str) -> InvalidXmlCharError:
            return InvalidXmlCharError(
                path,
                f"{label}: {name} contains {describe_char(ch)}, a control character XML cannot "
                "store; remove it from the input",
            )

        fixed, n = storable(text, mode, refuse)
        count += n
        return fixed

    fixed = replace(
        unit,
        source=fix("source", unit.source),
        target=fix("target", unit.target),
        note=fix("note", unit.note) if unit.note else unit.note,
        tuid=fix("tuid", unit.tuid) if unit.tuid else unit.tuid,
        props={fix(f"prop {k}", k): fix(f"prop {k}", str(v)) for k, v in unit.props.items()},
        source_content=_fixed_content(unit.source_content),
        target_content=_fixed_content(unit.target_content),
    )
    return fixed, count


def _fixed_content(content: Inline | None) -> Inline | None:
    """The same replacement inside inline content (already counted in the text)."""
    if content is None:
        return None
    return tuple(INVALID_XML_CHARS.sub("\ufffd", p) if isinstance(p, str) else p for p in content)


def unit_segtype(segtype: str, *texts: str) -> str:
    """The segtype a unit holding ``texts`` must carry: the writer's and the validator's rule.

    A "sentence" unit whose text holds several sentences is a "paragraph" (OmegaT
    only matches such units, sentence by sentence, under segtype="paragraph");
    every other segtype is kept.
    """
    if segtype == "sentence" and any(multi_sentence(t) for t in texts):
        return "paragraph"
    return segtype
