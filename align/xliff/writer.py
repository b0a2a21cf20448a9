"""XLIFF 1.2 and 2.1 writer: MT drafts and aligned pairs as bilingual files for post-editing.

One ``<file>`` per input document. Each unit's id is the segment id align uses
elsewhere (jsonl ``id``, TMX ``tuid``/``x-segment-id``); XLIFF 2 needs an
NMTOKEN there, so an id like ``docs/a:3`` becomes ``docs_a:3`` with the original
in ``name``. Whitespace inside ``<source>``/``<target>`` is written exactly as
given (``xml:space="preserve"``): CAT tools match segments character for character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from lxml import etree

from align import __version__
from align.errors import OutputError
from align.fsutil import atomic_write
from align.model import TranslationUnit
from align.tmx.writer import WriteStats
from align.tmx.xmltext import storable_unit
from align.xliff.inline import NS12, NS20, DataStore, build12, build20
from align.xliff.states import to_12, to_20
from align.xmlsafe import InvalidChars, check_invalid_chars_mode

XliffVersion = Literal["1.2", "2.1"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NMTOKEN_BAD = re.compile(r"[^\w.\-:]")


@dataclass
class XliffFile:
    """One document of an XLIFF file.

    ``units`` carry ``tuid`` (unit id), ``state`` (XLIFF 1.2 vocabulary; 2.x is
    mapped, see :mod:`align.xliff.states`), ``note`` (one note per line) and
    optionally inline content.
    ``tools`` are ``(id, name, version)`` of the programs that made the drafts;
    ``notes`` are file-level remarks (e.g. that drafts come from a test fixture).
    """

    original: str
    src_lang: str
    tgt_lang: str
    units: list[TranslationUnit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tools: list[tuple[str, str, str]] = field(default_factory=list)
    datatype: str = "plaintext"


def write_xliff(
    path: str | Path,
    files: Sequence[XliffFile],
    version: XliffVersion = "1.2",
    *,
    copy_source: bool = False,
    invalid_chars: InvalidChars = "error",
) -> WriteStats:
    """Write ``files`` as one XLIFF ``version`` file, atomically.

    ``copy_source`` (1.2) gives a unit without a target a copy of its source with
    ``state="needs-translation"``: OmegaT's own XLIFF filter translates only
    ``<target>`` content, so files meant for it need one (readers here treat
    such a copy as no translation). A character XML cannot store raises an
    ``InvalidXmlCharError`` naming the unit, or is replaced by U+FFFD with
    ``invalid_chars="replace"`` (the same rule as :func:`align.tmx.write_tmx`).
    Raises ``OutputError`` for a duplicate unit id within a file or an unknown
    version. 2.x needs one language pair for all files.

    Returns:
        WriteStats: units ``written`` and ``replaced_chars``.
    """
    path = Path(path)
    if version not in ("1.2", "2.1"):
        raise OutputError(path, f"XLIFF version {version!r} is not supported (1.2 or 2.1)")
    check_invalid_chars_mode(invalid_chars)
    stats = WriteStats()
    files = [_storable(path, f, invalid_chars, stats) for f in files]
    root = _tree12(files, copy_source) if version == "1.2" else _tree20(path, files)
    with atomic_write(path, "wb") as fh:
        etree.ElementTree(root).write(fh, xml_declaration=True, encoding="UTF-8")
        fh.write(b"\n")
    stats.written = sum(len(f.units) for f in files)
    return stats


def _storable(path: Path, f: XliffFile, mode: str, stats: WriteStats) -> XliffFile:
    """``f`` with its units as XML can store them (:func:`storable_unit`); unique ids checked."""
    units = []
    seen: set[str] = set()
    for n, u in enumerate(f.units, 1):
        # props are not written to XLIFF: they neither stop the file nor count as replaced
        label = f"{f.original}: unit {u.tuid or n}"
        fixed, count = storable_unit(path, replace(u, props={}), label, mode)
        stats.replaced_chars += count
        ident = fixed.tuid or str(n)
        if ident in seen:
            raise OutputError(path, f"{f.original}: duplicate unit id {ident!r}")
        seen.add(ident)
        units.append(replace(fixed, props=u.props))
    return replace(f, units=units)


def _sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None,
         text: str | None = None, indent: str = "") -> etree._Element:  # fmt: skip
    if len(parent):
        parent[-1].tail = "\n" + indent
    else:
        parent.text = "\n" + indent
    el = etree.SubElement(parent, tag, attrs or {})
    if text is not None:
        el.text = text
    el.tail = "\n" + indent[:-2]
    return el


def _tree12(files: Sequence[XliffFile], copy_source: bool = False) -> etree._Element:
    q = f"{{{NS12}}}"
    root = etree.Element(q + "xliff", version="1.2", nsmap={None: NS12})
    for f in files:
        tools = [("align", "align", __version__), *(t for t in f.tools if t[0] != "align")]
        fattrs = {
            "original": f.original,
            "source-language": f.src_lang,
            "target-language": f.tgt_lang,
            "datatype": f.datatype,
            "tool-id": tools[-1][0],
        }
        file_el = _sub(root, q + "file", fattrs, indent="  ")
        header = _sub(file_el, q + "header", indent="    ")
        for tid, name, ver in tools:
            attrs = {"tool-id": tid, "tool-name": name} | ({"tool-version": ver} if ver else {})
            _sub(header, q + "tool", attrs, indent="      ")
        for note in f.notes:
            _sub(header, q + "note", {"from": "align"}, note, indent="      ")
        body = _sub(file_el, q + "body", indent="    ")
        for n, u in enumerate(f.units, 1):
            tu_attrs = {"id": u.tuid or str(n), XML_SPACE: "preserve"}
            state = to_12(u.state)
            if state == "final" or state == "signed-off":
                tu_attrs["approved"] = "yes"
            tu = _sub(body, q + "trans-unit", tu_attrs, indent="      ")
            used: set[str] = set()
            build12(_sub(tu, q + "source", indent="        "), u.content("source"), used)
            if u.target:
                attrs = {"state": state} if state else {}
                if u.props.get("origin", "").startswith("mt:"):
                    attrs["state-qualifier"] = "leveraged-mt"
                build12(_sub(tu, q + "target", attrs, indent="        "), u.content("target"), used)
            elif copy_source:
                attrs = {"state": "needs-translation"}
                build12(
                    _sub(tu, q + "target", attrs, indent="        "), u.content("source"), set()
                )
            for line in (u.note or "").splitlines():
                if line.strip():
                    _sub(tu, q + "note", {"from": "align"}, line, indent="        ")
    return root


def nmtoken(ident: str) -> str:
    """An XLIFF 2 id (NMTOKEN) for ``ident``: other characters become ``_``."""
    return _NMTOKEN_BAD.sub("_", ident) or "_"


def _segment_state(state: str | None) -> dict[str, str]:
    """``state`` of a translated segment, and ``subState`` where 2.x cannot say it (a draft)."""
    state20, substate = to_20(state)
    return {"state": state20} | ({"subState": substate} if substate else {})


def _tree20(path: Path, files: Sequence[XliffFile]) -> etree._Element:
    q = f"{{{NS20}}}"
    pairs = {(f.src_lang, f.tgt_lang) for f in files}
    if len(pairs) > 1:
        raise OutputError(path, f"XLIFF 2 holds one language pair per file, got {sorted(pairs)}")
    src, tgt = next(iter(pairs)) if pairs else ("en", "")
    attrs = {"version": "2.1", "srcLang": src} | ({"trgLang": tgt} if tgt else {})
    root = etree.Element(q + "xliff", attrs, nsmap={None: NS20})
    for k, f in enumerate(files, 1):
        file_el = _sub(root, q + "file", {"id": f"f{k}", "original": f.original}, indent="  ")
        tools = [("align", "align", __version__), *(t for t in f.tools if t[0] != "align")]
        file_notes = [f"{name} {ver}".strip() for _, name, ver in tools[1:]]
        if file_notes or f.notes:
            notes = _sub(file_el, q + "notes", indent="    ")
            for note in file_notes:
                _sub(notes, q + "note", {"category": "tool"}, note, indent="      ")
            for note in f.notes:
                _sub(notes, q + "note", {"category": "align"}, note, indent="      ")
        taken: set[str] = set()
        for n, u in enumerate(f.units, 1):
            original_id = u.tuid or str(n)
            ident = nmtoken(original_id)
            while ident in taken:
                ident += "_"
            taken.add(ident)
            uattrs = {"id": ident} | ({"name": original_id} if ident != original_id else {})
            unit = _sub(file_el, q + "unit", uattrs, indent="    ")
            lines = [x for x in (u.note or "").splitlines() if x.strip()]
            if lines:
                notes = _sub(unit, q + "notes", indent="      ")
                for line in lines:
                    _sub(notes, q + "note", {"category": "align"}, line, indent="        ")
            data = DataStore()
            seg_attrs = _segment_state(u.state) if u.target else {}
            segment = etree.Element(q + "segment", seg_attrs)
            used: set[str] = set()
            source = etree.SubElement(segment, q + "source", {XML_SPACE: "preserve"})
            build20(source, u.content("source"), used, data)
            if u.target:
                target = etree.SubElement(segment, q + "target", {XML_SPACE: "preserve"})
                build20(target, u.content("target"), set(), data)
            od = data.element()
            if od is not None:
                unit_od = _sub(unit, od.tag, indent="      ")
                for d in od:
                    _sub(unit_od, d.tag, dict(d.attrib), d.text, indent="        ")
                unit_od[-1].tail = "\n      "
            seg = _sub(unit, q + "segment", seg_attrs, indent="      ")
            seg.text = "\n        "
            for child in segment:
                seg.append(child)
                child.tail = "\n        "
            seg[-1].tail = "\n      "
    return root
