"""Streaming, hardened TMX reader (TMX 1.1-1.4b, plain or gzip, UTF-8 or UTF-16).

A TMX from elsewhere is untrusted input: we never load a DTD, expand an entity
or touch the network, and refuse files that declare entities at all (XXE,
billion laughs) instead of trying to sanitise them. Languages are picked by
code, not by position, because the target ``<tuv>`` is not always second.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

from align.errors import InputError
from align.model import Inline, TranslationUnit, has_codes, inline_text
from align.text.textio import open_input
from align.tmx.inline import seg_content
from align.tmx.langs import lang_matches, pick_lang, same_tag
from align.tmx.xmltext import XML_LANG, normalize_date
from align.xmlsafe import SAFE_OPTIONS, declared_entities, entity_declarations, malformed

_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_FORMATS = {
    "martif": "a TBX termbase, not a TMX translation memory",
    "tbx": "a TBX termbase, not a TMX translation memory",
    "xliff": "an XLIFF file, not a TMX translation memory",
    "html": "an HTML page, not a TMX translation memory",
}


def localname(elem: etree._Element) -> str:
    tag = elem.tag
    if not isinstance(tag, str):  # comments, processing instructions, entities
        return ""
    return tag.rsplit("}", 1)[-1]


def tuv_lang(tuv: etree._Element) -> str | None:
    """``xml:lang`` (TMX 1.4) or ``lang`` (TMX 1.1)."""
    return tuv.get(XML_LANG) or tuv.get("lang")


def seg_text(seg: etree._Element) -> str:
    """The text view of a ``<seg>``: inline codes (``<bpt>``, ``<ph>``...) are left out,
    ``<hi>`` text is kept, and a word boundary stands where a placeholder separated
    two words (``Baku<ph/>is`` → ``Baku is``; see :func:`align.model.inline_text`)."""
    if not len(seg):
        return seg.text or ""
    return inline_text(seg_content(seg))


@contextlib.contextmanager
def open_tmx(path: str | Path) -> Iterator[IO[bytes]]:
    """Open a TMX for reading, transparently un-gzipping; clear errors for missing/empty files."""
    p = Path(path)
    fh: IO[bytes] = open_input(p, "a TMX file")
    try:
        head = fh.read(2)
        fh.seek(0)
        if head == _GZIP_MAGIC:
            fh = gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[assignment]
            try:
                head = fh.read(1)
            except (OSError, EOFError) as exc:
                raise InputError(p, f"is not a valid gzip file ({exc})") from None
            fh.seek(0)
        if not head:
            raise InputError(p, "is empty (0 bytes), expected a TMX file")
        yield fh
    finally:
        fh.close()


def iterparse_tmx(
    path: str | Path, tags: Sequence[str] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """Yield ``(event, element)`` for start and end events of a TMX file, safely.

    ``tags`` limits the events to those elements (much faster when only ``<tu>``
    matters). Raises ``InputError`` (one line, naming the file) for non-XML,
    non-TMX and entity-declaring files. Each ``<tu>`` is freed after its end
    event has been handled, so memory stays flat however large the file.
    """
    p = Path(path)
    with open_tmx(p) as fh:
        etree.clear_error_log()  # so a syntax error reports this file's cause
        events = etree.iterparse(
            fh,
            events=("start", "end"),
            **SAFE_OPTIONS,
            remove_comments=True,
            remove_pis=True,
            tag=tags,
        )
        first = True
        try:
            for event, elem in events:
                if first:
                    _check_prologue(p, elem.getroottree().getroot())
                    first = False
                if isinstance(elem, etree._Entity):
                    raise InputError(p, f"line {elem.sourceline}: uses an XML entity; refusing it")
                yield event, elem
                if event == "end" and localname(elem) == "tu":
                    elem.clear()
                    parent = elem.getparent()
                    if parent is not None:
                        while elem.getprevious() is not None:
                            del parent[0]
            if first and events.root is not None:  # no element matched ``tags``
                _check_prologue(p, events.root)
        except etree.XMLSyntaxError as exc:
            problem = _syntax_problem(exc)
            if "entity" in problem:  # the parser may stop before the DOCTYPE is checked
                entities = _entities_in_head(p)
                problem = _entities_problem(entities) if entities else problem
            raise InputError(p, problem) from None
        except (OSError, EOFError) as exc:  # truncated gzip and the like
            raise InputError(p, f"cannot be read to the end ({exc})") from None


def _syntax_problem(exc: etree.XMLSyntaxError) -> str:
    # iterparse sometimes reports a generic "no element found"; the log has the cause.
    errors = [e for e in exc.error_log if e.level >= etree.ErrorLevels.ERROR]
    msg, line = (
        (errors[-1].message, errors[-1].line) if errors else (exc.msg or str(exc), exc.lineno)
    )
    msg = msg.splitlines()[0].strip()
    if "Document is empty" in msg or "Start tag expected" in msg:
        return "is not XML (no root element), expected a TMX file"
    if "ntity" in msg:
        return f"uses an XML entity, which is refused for safety (line {line}: {msg})"
    return malformed(msg, line)


def _entities_problem(entities: Sequence[str]) -> str:
    return (
        f"declares XML entities ({', '.join(entities[:3])}) in its DOCTYPE; refusing to "
        "read it (entity expansion and external entities are an attack vector)"
    )


def _entities_in_head(path: Path, size: int = 1 << 16) -> list[str]:
    """Entities declared in the file's first ``size`` bytes (where a DOCTYPE is)."""
    try:
        with open_tmx(path) as fh:
            return entity_declarations(fh.read(size))
    except (OSError, EOFError, InputError):
        return []


def _check_prologue(path: Path, root: etree._Element) -> None:
    """Reject entity declarations and non-TMX roots before reading any content."""
    entities = declared_entities(root)
    if entities:
        raise InputError(path, _entities_problem(entities))
    name = localname(root)
    if name != "tmx":
        what = _OTHER_FORMATS.get(
            name.lower(), f"a <{name}> document, not TMX (root must be <tmx>)"
        )
        raise InputError(path, f"is {what}")


def tuid_hash(tuid: str) -> int:
    return int.from_bytes(hashlib.blake2b(tuid.encode(), digest_size=8).digest(), "little")


@dataclass
class _Seen:
    """Bookkeeping while reading: languages found, and tuids as 8-byte hashes.

    Hashes go into a flat array (8 bytes a unit, not ~70 for a Python set) and
    are checked for duplicates once at the end, keeping memory nearly flat.
    """

    langs: dict[str, None] = field(default_factory=dict)
    tuids: array = field(default_factory=lambda: array("Q"))

    def duplicate_hash(self) -> int | None:
        return duplicate_hash(self.tuids)


def duplicate_hash(tuids: array) -> int | None:
    """A hash (of :func:`tuid_hash`) that ``tuids`` holds twice, or None."""
    if len(tuids) < 2:
        return None
    import numpy as np  # only readers and writers of several units pay for it

    hashes = np.frombuffer(tuids, dtype=np.uint64).copy()
    hashes.sort()
    same = np.flatnonzero(hashes[1:] == hashes[:-1])
    return int(hashes[same[0]]) if len(same) else None


def _raise_duplicate(path: Path, key: int) -> None:
    """Find the duplicated tuid by its hash (a second pass, only on error) and report it."""
    seen = False
    for event, tu in iterparse_tmx(path, tags=("tu",)):
        if event == "end" and tu.get("tuid") is not None and tuid_hash(tu.get("tuid")) == key:
            if seen:
                raise InputError(path, f"line {tu.sourceline}: duplicate tuid {tu.get('tuid')!r}")
            seen = True
    raise InputError(path, "duplicate tuid")  # pragma: no cover - hash seen twice above


@dataclass
class RawUnit:
    """A unit as read, with the newest of its dates (for merging)."""

    unit: TranslationUnit
    newest: str
    line: int


def read_header(path: str | Path) -> dict[str, str]:
    """The ``<header>`` attributes (an empty dict if there is no header)."""
    for event, elem in iterparse_tmx(path):
        if event == "start" and localname(elem) == "header":
            return dict(elem.attrib)
        if event == "start" and localname(elem) in ("body", "tu"):
            break
    return {}


def guess_languages(path: str | Path) -> tuple[str, str]:
    """(source, target) codes: the header's ``srclang`` and the first other ``<tuv>`` language.

    Another language wins; failing that, a regional variant of the source beside a
    ``<tuv>`` in exactly ``srclang`` (``en-GB`` in an ``en`` -> ``en-GB`` memory).
    """
    src = read_header(path).get("srclang")
    if not src or src == "*all*":
        raise InputError(path, "header has no usable srclang; give the languages explicitly")
    variant = None
    for event, tu in iterparse_tmx(path, tags=("tu",)):
        if event != "end":
            continue
        langs = [lang for c in tu if localname(c) == "tuv" and (lang := tuv_lang(c))]
        other = next((x for x in langs if not lang_matches(src, x)), None)  # symmetric
        if other is not None:
            return src, other
        if variant is None and any(same_tag(src, x) for x in langs):
            variant = next((x for x in langs if not same_tag(src, x)), None)
    if variant is not None:
        return src, variant
    raise InputError(path, f"has no <tuv> in a language other than the source ({src})")


def iter_raw_units(path: str | Path, src_lang: str, tgt_lang: str) -> Iterator[RawUnit]:
    """Units with both languages, plus the metadata :func:`merge_tmx` needs."""
    p = Path(path)
    seen = _Seen()
    header: dict[str, str] | None = None
    found = 0
    for event, elem in iterparse_tmx(p, tags=("header", "body", "tu")):
        name = localname(elem)
        if event == "start":
            if name == "header":
                header = dict(elem.attrib)
                if not header.get("srclang"):
                    raise InputError(
                        p, f"line {elem.sourceline}: <header> has no srclang attribute"
                    )
            elif name == "body" and header is None:
                raise InputError(p, f"line {elem.sourceline}: <body> before any <header>")
            continue
        if name != "tu":
            continue
        raw = _unit(p, elem, header or {}, src_lang, tgt_lang, seen)
        if raw is not None:
            found += 1
            yield raw
    if header is None:
        raise InputError(p, "has no <header>; not a TMX file")
    duplicate = seen.duplicate_hash()
    if duplicate is not None:
        _raise_duplicate(p, duplicate)
    if not found:
        langs = ", ".join(seen.langs) or "none"
        missing = [
            c for c in (src_lang, tgt_lang) if not any(lang_matches(c, x) for x in seen.langs)
        ]
        if missing:
            raise InputError(p, f"has no text in {' or '.join(missing)} (languages: {langs})")
        if seen.langs:
            raise InputError(p, f"no unit has both {src_lang} and {tgt_lang} (languages: {langs})")


def _unit(
    path: Path,
    tu: etree._Element,
    header: dict[str, str],
    src_lang: str,
    tgt_lang: str,
    seen: _Seen,
) -> RawUnit | None:
    line = tu.sourceline or 0
    tuid = tu.get("tuid")
    if tuid is not None:
        seen.tuids.append(tuid_hash(tuid))
    props: dict[str, str] = {}
    notes: list[str] = []
    tuvs: list[tuple[str, etree._Element]] = []
    for child in tu:
        name = localname(child)
        if name == "prop":
            key = child.get("type") or ""
            props[key[2:] if key.startswith("x-") else key] = child.text or ""
        elif name == "note":
            notes.append(child.text or "")
        elif name == "tuv":
            lang = tuv_lang(child)
            if not lang:
                raise InputError(path, f"line {child.sourceline}: <tuv> has no xml:lang")
            seen.langs.setdefault(lang, None)
            seg = next((c for c in child if localname(c) == "seg"), None)
            if seg is None:
                raise InputError(path, f"line {child.sourceline}: <tuv> has no <seg>")
            tuvs.append((lang, seg))
    langs = [lang for lang, _ in tuvs]
    src_at = pick_lang(src_lang, langs)
    tgt_at = None if src_at is None else pick_lang(tgt_lang, langs, skip=src_at)
    if src_at is None or tgt_at is None:
        return None
    (src_code, src_seg), (tgt_code, tgt_seg) = tuvs[src_at], tuvs[tgt_at]
    source, src_content = _content(src_seg)
    target, tgt_content = _content(tgt_seg)
    segtype = tu.get("segtype") or header.get("segtype") or "sentence"
    dates = [_date(tu.get("creationdate")), _date(tu.get("changedate"))]
    unit = TranslationUnit(
        source=source,
        target=target,
        src_lang=src_code,
        tgt_lang=tgt_code,
        tuid=tuid,
        props=props,
        note="\n".join(notes) if notes else None,
        segtype="paragraph" if segtype in ("paragraph", "block") else "sentence",
        creationdate=_date(tu.get("creationdate")) or None,
        source_content=src_content,
        target_content=tgt_content,
    )
    return RawUnit(unit, max(dates), line)


def _content(seg: etree._Element) -> tuple[str, Inline | None]:
    """The ``<seg>``'s text view and its content, the latter ``None`` when it has no
    inline codes; parsed once, so text in unknown child elements is kept either way."""
    if not len(seg):
        return seg.text or "", None
    content = seg_content(seg)
    return inline_text(content), content if has_codes(content) else None


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return normalize_date(value)
    except ValueError:
        return ""


def read_tmx(path: str | Path, src_lang: str, tgt_lang: str) -> Iterator[TranslationUnit]:
    """Stream the ``(src_lang, tgt_lang)`` pairs of a TMX file as ``TranslationUnit``s.

    Languages match by code prefix (``en`` matches ``en-US``). Units lacking either
    language are passed over; a file with no unit in both raises ``InputError``,
    as do a missing ``srclang`` and ``<tuv>``s without a language (when met) and
    duplicate ``tuid``s (after the last unit, to keep memory flat). ``props`` keys lose their ``x-`` prefix; notes are joined by newlines.

    ``source``/``target`` are text views (codes left out, a space where a
    placeholder separated two words); ``source_content``/``target_content`` keep
    the inline codes (TMX 1.4b §3.7) for writers that put them back.
    Reads ``.tmx`` and ``.tmx.gz``; streams with lxml ``iterparse``, so memory stays
    flat on any size. Format: TMX 1.4b (LISA/GALA specification).

    Yields:
        TranslationUnit per ``<tu>`` with both languages, in file order.

    Raises:
        InputError: missing file, not XML / not TMX, and the cases above.
    """
    for raw in iter_raw_units(path, src_lang, tgt_lang):
        yield raw.unit
