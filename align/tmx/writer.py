"""Streaming TMX 1.4b writer.

Units are serialised one ``<tu>`` at a time through ``lxml.etree.xmlfile``, so
memory stays flat for millions of units, and the file appears only when complete
(atomic rename). ``<seg>`` text is written exactly as given, never pretty-printed:
OmegaT's exact matching fails on a single changed space.
"""

from __future__ import annotations

import gzip
import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from align import __version__
from align.errors import OutputError
from align.fsutil import atomic_write
from align.langtags import is_well_formed, normalize_tag, tags_match
from align.limits import max_xml_text_chars
from align.model import Inline, TranslationUnit
from align.tmx.inline import build_seg
from align.tmx.langs import format_lang, same_language_problem
from align.tmx.reader import duplicate_hash, tuid_hash
from align.tmx.xmltext import (
    SEGTYPES,
    XML_LANG,
    normalize_date,
    storable_unit,
    tmx_date,
    unit_segtype,
)
from align.xmlsafe import InvalidChars, check_invalid_chars_mode

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
# Units inspected before the header is written (to choose its segtype).
LOOKAHEAD = 10_000


@dataclass
class WriteStats:
    """What happened to the units handed to :func:`write_tmx`.

    ``written`` counts every ``<tu>`` in the file, including ``source_only`` ones
    (kept under ``keep_empty`` with no target ``<tuv>``); ``skipped`` were left out
    because a side was empty; ``replaced_chars`` counts characters XML cannot hold
    that were replaced by U+FFFD.
    """

    written: int = 0
    skipped: int = 0
    source_only: int = 0
    replaced_chars: int = 0


def prop_type(key: str) -> str:
    """``origin`` -> ``x-origin``; keys already starting with ``x-`` are kept."""
    return key if key.startswith("x-") else f"x-{key}"


def write_tmx(
    path: str | Path,
    units: Iterable[TranslationUnit],
    *,
    src_lang: str,
    tgt_lang: str,
    lang_style: str = "region",
    keep_empty: bool = False,
    creationtool_version: str | None = None,
    header_props: dict[str, str] | None = None,
    invalid_chars: InvalidChars = "error",
) -> WriteStats:
    """Write ``units`` to a TMX 1.4b file (gzip-compressed if ``path`` ends in ``.gz``).

    Every ``<tuv>`` gets ``src_lang``/``tgt_lang`` in ``lang_style`` ("region":
    the tag as given, normalised: ``en_gb`` -> ``en-GB``, never a region added;
    "plain": the language only), except that a unit whose own tag matches keeps
    it (:func:`unit_lang`: a merged ``en-GB`` unit stays ``en-GB``).
    A unit whose source or target is blank is skipped: an empty target would be
    inserted by CAT tools as an empty translation. With ``keep_empty`` a unit with
    a source but no target is kept as a source-only ``<tu>`` (still never an empty
    target ``<seg>``); a unit without source is always skipped.

    The header ``segtype`` is "paragraph" if any unit (of a sequence; of the
    first :data:`LOOKAHEAD` of an iterator) is a paragraph (OmegaT reads only the header's and then
    splits units into sentences itself), otherwise "sentence"; every unit that
    differs from the header carries its own ``segtype``; a "sentence" unit holding
    several sentences is written as "paragraph" (``xmltext.unit_segtype``, the
    validator's rule). Units without ``tuid`` are numbered from 1 in output order;
    a tuid used twice, or a source and target language a reader could not tell
    apart (``en``/``en``; ``en``/``en-GB`` is fine), raises ``OutputError``.

    Characters XML 1.0 cannot store (most C0 controls, U+FFFE/U+FFFF) raise an
    ``OutputError`` naming the unit, or are replaced by U+FFFD with
    ``invalid_chars="replace"``.

    Format: TMX 1.4b (LISA/GALA), as OmegaT, Trados and memoQ import it. The file is
    written atomically (temp file + rename).

    Returns:
        WriteStats: units written, skipped (blank side), source-only, replaced characters.

    Raises:
        OutputError: the file cannot be written, a character XML cannot store
            (with ``invalid_chars="error"``), a bad ``creationdate``.
        ValueError: ``invalid_chars`` is neither "error" nor "replace".
    """
    try:
        src = format_lang(src_lang, lang_style)
        tgt = format_lang(tgt_lang, lang_style)
    except ValueError as exc:
        raise OutputError(path, str(exc)) from None
    if problem := same_language_problem(src_lang, tgt_lang, lang_style):
        raise OutputError(path, problem)
    check_invalid_chars_mode(invalid_chars)
    path = Path(path)
    stats = WriteStats()
    prepared = _prepare(path, units, keep_empty, invalid_chars, stats)
    # OmegaT reads segtype from the header only and splits units into sentences
    # only when it says "paragraph", so the header must say so if any unit needs
    # it. A list is checked whole; a stream through a bounded look-ahead window.
    ahead = list(itertools.islice(prepared, LOOKAHEAD))
    if isinstance(units, Sequence):  # as _prepare will write them (unit_segtype)
        paragraphs = any(unit_segtype(u.segtype, u.source, u.target) == "paragraph" for u in units)
    else:
        paragraphs = any(unit.segtype == "paragraph" for unit, _ in ahead)
    header_segtype = "paragraph" if paragraphs else "sentence"
    stream = itertools.chain(ahead, prepared)
    now = tmx_date()
    header_attrs = {
        "creationtool": "align",
        "creationtoolversion": creationtool_version or __version__,
        "datatype": "plaintext",
        "segtype": header_segtype,
        "o-tmf": "align",
        "adminlang": format_lang("en", lang_style),
        "srclang": src,
        "creationdate": now,
    }
    tuids = array("Q")
    with atomic_write(path, "wb") as raw:
        out = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if path.suffix == ".gz" else raw
        try:
            with etree.xmlfile(out, encoding="UTF-8") as xf:
                xf.write_declaration()
                xf.write_doctype(DOCTYPE)
                with xf.element("tmx", version="1.4"):
                    xf.write("\n")
                    header = etree.Element("header", header_attrs)
                    for key, value in (header_props or {}).items():
                        etree.SubElement(header, "prop", type=prop_type(key)).text = str(value)
                    header.tail = "\n"
                    xf.write(header)
                    with xf.element("body"):
                        xf.write("\n")
                        for unit, has_target in stream:
                            stats.written += 1
                            if not has_target:
                                stats.source_only += 1
                            tu = _tu_element(
                                path, unit, stats.written, src, tgt, has_target, now, lang_style
                            )
                            if unit.segtype != header_segtype:
                                tu.set("segtype", unit.segtype)
                            xf.write(tu)
                            tuids.append(tuid_hash(tu.get("tuid")))
                    xf.write("\n")  # after </body>
                _check_unique(path, tuids)  # before the file appears
        finally:
            if out is not raw:
                out.close()
    return stats


def _check_unique(path: Path, tuids: array) -> None:
    """Refuse a memory in which two units share a ``tuid`` (the validator's and reader's rule)."""
    if duplicate_hash(tuids) is not None:
        raise OutputError(
            path,
            "two units have the same tuid, which TMX forbids; give each input unit its own id",
        )


def writable(unit: TranslationUnit, keep_empty: bool = False) -> bool:
    """True if a TMX gets ``unit``: it has source text, and target text unless ``keep_empty``."""
    has_target = bool(unit.target and unit.target.strip())
    return bool(unit.source and unit.source.strip()) and (has_target or keep_empty)


def _prepare(
    path: Path,
    units: Iterable[TranslationUnit],
    keep_empty: bool,
    invalid_chars: str,
    stats: WriteStats,
) -> Iterator[tuple[TranslationUnit, bool]]:
    """Drop units with an empty side and check text; yield (unit, has_target)."""
    limit = max_xml_text_chars()
    for n, unit in enumerate(units, 1):
        if not writable(unit, keep_empty):
            stats.skipped += 1
            continue
        has_target = bool(unit.target and unit.target.strip())
        longest = max(len(unit.source), len(unit.target or ""))
        if longest > limit:
            raise OutputError(
                path,
                f"unit {n}"
                + (f" (tuid {unit.tuid})" if unit.tuid else "")
                + f" has a segment of {longest:,} characters, over the {limit:,}"
                "-character limit; a TMX that long cannot be read back (by align or CAT tools)",
            )
        if unit.segtype not in SEGTYPES:
            raise OutputError(
                path, f"unit {n}: segtype {unit.segtype!r} is not one of {', '.join(SEGTYPES)}"
            )
        segtype = unit_segtype(unit.segtype, unit.source, unit.target)
        if segtype != unit.segtype:
            unit = replace(unit, segtype=segtype)  # what the validator asks of it
        yield _clean(path, unit, n, invalid_chars, stats), has_target


def _clean(
    path: Path, unit: TranslationUnit, n: int, invalid_chars: str, stats: WriteStats
) -> TranslationUnit:
    label = f"unit {n}" + (f" (tuid {unit.tuid})" if unit.tuid else "")
    unit, count = storable_unit(path, unit, label, invalid_chars)
    stats.replaced_chars += count
    return unit


def _tu_element(
    path: Path,
    unit: TranslationUnit,
    number: int,
    src: str,
    tgt: str,
    has_target: bool,
    now: str,
    style: str = "region",
) -> etree._Element:
    created = now
    if unit.creationdate:
        try:
            created = normalize_date(unit.creationdate)
        except ValueError as exc:
            raise OutputError(path, f"unit {number}: creationdate {exc}") from None
    tu = etree.Element("tu", tuid=unit.tuid or str(number), creationdate=created)
    tu.text = "\n  "
    for key, value in unit.props.items():
        prop = etree.SubElement(tu, "prop", type=prop_type(key))
        prop.text = str(value)
        prop.tail = "\n  "
    if unit.note:
        note = etree.SubElement(tu, "note")
        note.text = unit.note
        note.tail = "\n  "
    # In a memory between variants of one language (en -> en-GB) the source <tuv>
    # must say exactly srclang, or readers could not tell it from the target.
    if tags_match(src, tgt):  # symmetric
        style = "plain"  # the requested tags, as given
    _tuv(tu, unit_lang(src, unit.src_lang, style), unit.content("source"))
    if has_target:
        _tuv(tu, unit_lang(tgt, unit.tgt_lang, style), unit.content("target"))
    tu[-1].tail = "\n"
    tu.tail = "\n"
    return tu


def unit_lang(requested: str, own: str | None, style: str = "region") -> str:
    """The ``xml:lang`` of a ``<tuv>``: the unit's own tag, normalised, when it matches.

    Merged memories keep what each unit said: an ``en-GB`` unit under a request
    for ``en`` stays ``en-GB`` and an ``EN`` unit under ``en-GB`` becomes ``en``,
    so a region is never dropped, added or replaced. "plain" style, units
    without a tag and tags that do not match the request get ``requested``.
    """
    if style == "plain" or not own or not is_well_formed(own) or not tags_match(requested, own):
        return requested
    return normalize_tag(own)


def _tuv(tu: etree._Element, lang: str, content: Inline) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
    seg = etree.SubElement(tuv, "seg")
    build_seg(seg, content)
    tuv.tail = "\n  "
