"""Structural checks of TMX 1.4b, plus the defects that make CAT tools fail silently.

OmegaT exits 0 while dropping a whole TMX whose header lacks ``srclang`` or whose
``<tuv>`` lacks a language, inserts empty targets as translations, and misses
exact matches on whitespace drift; so these are reported here before a
translator finds out. Errors break the spec or a CAT tool; warnings are
heuristics (multi-sentence "sentence" units, suspicious whitespace).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from align.errors import InputError
from align.tmx.langs import is_lang_code, lang_matches, same_tag
from align.tmx.reader import iterparse_tmx, localname, open_tmx, seg_text, tuv_lang
from align.tmx.xmltext import SEGTYPES, TMX_DATE, XML_LANG, unit_segtype
from align.xmlsafe import safe_parser, xml_problem

HEADER_REQUIRED = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)
_CHILDREN = {
    "tmx": {"header", "body"},
    "header": {"note", "prop", "ude"},
    "body": {"tu"},
    "tu": {"note", "prop", "tuv"},
    "tuv": {"note", "prop", "seg"},
}
_DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")
# Inline elements whose content is the native code; a <sub> inside one is a flow of its own.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "it", "ph", "ut"})
_PRETTY_PRINTED = re.compile(r"\n[ \t]+")


@dataclass(frozen=True)
class Problem:
    """One finding: ``rule`` is a short stable id (e.g. ``missing-srclang``)."""

    line: int
    message: str
    level: str = "error"  # or "warning"
    rule: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.level}: {self.message}"


def validate_tmx(path: str | Path, *, dtd: str | Path | None = None) -> list[Problem]:
    """Check ``path`` against TMX 1.4b's structural rules; return the problems found.

    Streams the file, so it works on any size. Files that are not TMX at all
    (empty, malformed XML, another root, entity declarations) raise ``InputError``
    instead. With ``dtd`` the file is also validated against that DTD (e.g. the
    ``tmx14.dtd`` shipped inside OmegaT), which loads it whole.

    Returns:
        Problems in file order (each with a line number and a message); empty when
        the file is valid TMX 1.4b.

    Raises:
        InputError: missing file, not XML, or not TMX at all.
    """
    checker = _Checker()
    for event, elem in iterparse_tmx(path):
        if event == "start":
            checker.start(elem)
        else:
            checker.end(elem)
    checker.finish()
    problems = checker.problems
    if dtd is not None:
        problems.extend(_dtd_problems(Path(path), Path(dtd)))
    return sorted(problems, key=lambda p: p.line)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.stack: list[str] = []
        self.header: dict[str, str] | None = None
        self.seen_body = False
        self.tuids: set[int] = set()
        self.tu_count = 0
        self.last_line = 0

    def add(self, line: int | None, rule: str, message: str, level: str = "error") -> None:
        self.problems.append(Problem(line or self.last_line, message, level, rule))

    def start(self, elem: etree._Element) -> None:
        name = localname(elem)
        line = elem.sourceline or 0
        self.last_line = line
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        if parent is None:
            version = elem.get("version")
            if version is None:
                self.add(line, "tmx-version", "<tmx> has no version attribute")
            elif version not in ("1.4", "1.4b"):
                self.add(line, "tmx-version", f"TMX version {version}; checked as 1.4b", "warning")
            return
        if parent in _CHILDREN and name not in _CHILDREN[parent]:
            self.add(line, "unexpected-element", f"<{name}> is not allowed inside <{parent}>")
        if name == "header" and parent == "tmx":
            self._header(elem, line)
        elif name == "body" and parent == "tmx":
            if self.header is None:
                self.add(line, "missing-header", "<body> comes before any <header>")
            self.seen_body = True

    def end(self, elem: etree._Element) -> None:
        name = self.stack.pop() if self.stack else localname(elem)
        if name == "tu" and self.stack and self.stack[-1] == "body":
            self._tu(elem)
        elif name == "prop" and not elem.get("type"):
            self.add(elem.sourceline, "prop-type", "<prop> has no type attribute")

    def finish(self) -> None:
        if self.header is None:
            self.add(1, "missing-header", "no <header>; CAT tools cannot tell the source language")
        if not self.seen_body:
            self.add(self.last_line, "missing-body", "no <body>")

    def _header(self, elem: etree._Element, line: int) -> None:
        self.header = dict(elem.attrib)
        for attr in HEADER_REQUIRED:
            if not elem.get(attr):
                why = " (OmegaT silently ignores the whole file)" if attr == "srclang" else ""
                self.add(line, f"missing-{attr}", f"<header> has no {attr} attribute{why}")
        segtype = elem.get("segtype")
        if segtype and segtype not in SEGTYPES:
            self.add(line, "segtype", f"<header> segtype {segtype!r} is not one of {SEGTYPES}")
        srclang = elem.get("srclang")
        if srclang and srclang != "*all*" and not is_lang_code(srclang):
            self.add(line, "srclang", f"<header> srclang {srclang!r} is not a language code")
        self._dates(elem, line, "<header>")

    def _dates(self, elem: etree._Element, line: int, what: str) -> None:
        for attr in _DATE_ATTRS:
            value = elem.get(attr)
            if value is not None and not TMX_DATE.match(value):
                self.add(
                    line, "date", f"{what} {attr} {value!r} is not in the form YYYYMMDDThhmmssZ"
                )

    def _tu(self, tu: etree._Element) -> None:
        line = tu.sourceline or 0
        header = self.header or {}
        tuid = tu.get("tuid")
        self.tu_count += 1
        label = f"<tu tuid={tuid!r}>" if tuid else f"<tu #{self.tu_count}>"
        if tuid is not None:
            key = int.from_bytes(hashlib.blake2b(tuid.encode(), digest_size=8).digest(), "big")
            if key in self.tuids:
                self.add(line, "duplicate-tuid", f"duplicate tuid {tuid!r}")
            self.tuids.add(key)
        segtype = tu.get("segtype") or header.get("segtype") or ""
        if tu.get("segtype") and tu.get("segtype") not in SEGTYPES:
            self.add(line, "segtype", f"{label} segtype {tu.get('segtype')!r} is not valid")
        self._dates(tu, line, label)

        tuvs = [c for c in tu if localname(c) == "tuv"]
        after_tuv = False
        for child in tu:
            name = localname(child)
            if name == "tuv":
                after_tuv = True
            elif name in ("prop", "note") and after_tuv:
                self.add(child.sourceline, "order", f"<{name}> after a <tuv> in {label}")
        if not tuvs:
            self.add(line, "no-tuv", f"{label} has no <tuv>")
            return
        if len(tuvs) == 1:
            self.add(line, "one-tuv", f"{label} has only one <tuv> (no translation)", "warning")

        srclang = tu.get("srclang") or header.get("srclang")
        langs: list[str] = []
        texts: list[str] = []
        for tuv in tuvs:
            tline = tuv.sourceline or line
            lang = tuv.get(XML_LANG)
            if not lang:
                if tuv.get("lang"):
                    self.add(tline, "tuv-lang", "<tuv> uses TMX 1.1 lang= instead of xml:lang")
                else:
                    self.add(
                        tline,
                        "tuv-lang",
                        "<tuv> has no xml:lang (OmegaT silently ignores the whole file)",
                    )
                lang = tuv_lang(tuv)
            elif not is_lang_code(lang):
                self.add(tline, "tuv-lang", f"<tuv> xml:lang {lang!r} is not a language code")
            if lang:
                langs.append(lang)
            self._dates(tuv, tline, "<tuv>")
            segs = [c for c in tuv if localname(c) == "seg"]
            if len(segs) != 1:
                self.add(tline, "seg-count", f"<tuv> has {len(segs)} <seg> elements, needs 1")
                continue
            text = seg_text(segs[0])
            where = f"<seg> ({lang or 'no language'})"
            if not text.strip():
                self.add(
                    segs[0].sourceline or tline,
                    "empty-seg",
                    f"empty {where}: CAT tools insert it as an empty translation",
                )
                continue
            texts.append(text)
            self._whitespace(segs[0].sourceline or tline, where, text)
            for elem, problem in _unpaired(segs[0]):
                self.add(elem.sourceline or tline, "inline-pair", f"{label} {where}: {problem}")
        if srclang and srclang != "*all*":
            # An en -> en-GB memory: the <tuv> in exactly srclang is the source.
            exact = sum(1 for x in langs if same_tag(srclang, x))
            count = exact or sum(1 for x in langs if lang_matches(srclang, x))
            if count == 0 and len(langs) == len(tuvs):
                self.add(
                    line, "no-source-tuv", f"{label} has no <tuv> in the source language {srclang}"
                )
            elif count > 1:
                self.add(line, "source-tuvs", f"{label} has {count} <tuv>s in the source language")
        if unit_segtype(segtype, *texts) != segtype:
            self.add(
                line,
                "multi-sentence",
                f"{label} holds several sentences but its segtype is 'sentence'; OmegaT only "
                "matches such units when segtype='paragraph'",
                "warning",
            )

    def _whitespace(self, line: int, where: str, text: str) -> None:
        if _PRETTY_PRINTED.search(text):
            self.add(
                line,
                "whitespace",
                f"{where} has a line break followed by indentation (pretty-printed?); "
                "exact matches will fail",
                "warning",
            )
        elif text != text.strip():
            self.add(line, "whitespace", f"{where} starts or ends with whitespace", "warning")
        elif "  " in text:
            self.add(line, "whitespace", f"{where} contains doubled spaces", "warning")


def _unpaired(flow: etree._Element) -> list[tuple[etree._Element, str]]:
    """``<bpt>``/``<ept>`` that do not pair by ``i`` within one ``<seg>`` or ``<sub>`` (§3.7.2).

    Each ``<bpt>`` needs one later ``<ept>`` with its ``i``, and each ``i`` is
    used by one ``<bpt>`` only; a ``<sub>`` inside a code is checked as its own flow.
    """
    out: list[tuple[etree._Element, str]] = []
    open_: dict[str, etree._Element] = {}
    closed: set[str] = set()
    for elem in _flow(flow):
        name, i = localname(elem), elem.get("i")
        if name == "sub":
            out.extend(_unpaired(elem))
        elif i is None:
            out.append((elem, f"<{name}> has no i attribute to pair it"))
        elif name == "bpt" and (i in open_ or i in closed):
            out.append((elem, f'duplicate <bpt i="{i}">: i must be unique in the segment'))
        elif name == "bpt":
            open_[i] = elem
        elif i in closed:
            out.append((elem, f'duplicate <ept i="{i}">: i must be unique in the segment'))
        elif i not in open_:
            out.append((elem, f'<ept i="{i}"> has no <bpt i="{i}"> before it'))
        else:
            closed.add(i)
            del open_[i]
    out.extend((elem, f'<bpt i="{i}"> has no matching <ept i="{i}">') for i, elem in open_.items())
    return out


def _flow(elem: etree._Element) -> Iterator[etree._Element]:
    """The ``<bpt>``/``<ept>`` of ``elem``'s text flow (through ``<hi>``) and the
    ``<sub>``s inside its codes, in document order."""
    for child in elem:
        name = localname(child)
        if name in ("bpt", "ept"):
            yield child
        if name in _CODE_ELEMENTS:
            yield from (c for c in child if localname(c) == "sub")
        elif isinstance(child.tag, str):
            yield from _flow(child)


def _dtd_problems(path: Path, dtd_path: Path) -> list[Problem]:
    try:
        dtd = etree.DTD(str(dtd_path))
    except (etree.DTDParseError, OSError) as exc:
        raise InputError(dtd_path, f"is not a readable DTD ({exc})") from None
    parser = safe_parser()
    with open_tmx(path) as fh:
        try:
            tree = etree.parse(fh, parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(path, xml_problem(exc)) from None
    if dtd.validate(tree):
        return []
    return [
        Problem(e.line, f"DTD: {e.message}", "error", "dtd")
        for e in dtd.error_log.filter_from_errors()
    ]
