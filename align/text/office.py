"""Office documents in: .docx (OOXML), .odt (ODF) and the text layer of .pdf.

Word and ODF files are zip archives of XML; we read the XML with lxml (the same
hardened parser as everywhere: no DTD, no entities, no network) rather than
through python-docx/odfpy, because a translator needs what those object models
do not give in one pass: body paragraphs, headings, table cells and footnotes in
reading order (a footnote right after the paragraph that cites it), with run
formatting (bold, italic, underline, line breaks, footnote marks) kept as inline
codes. PDFs are read with pypdf; a PDF has lines, not paragraphs, so sentences
may break at line or page ends and a warning says so.

Archives are checked before anything is decompressed: a file that is not a zip,
a member bigger than :data:`MAX_MEMBER` or compressed more than
:data:`MAX_RATIO` times (a zip bomb) is refused with a one-line ``InputError``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from align.errors import InputError
from align.model import Inline, InlineCode, inline_text, merge_text
from align.xmlsafe import safe_parser, xml_problem

#: Documents always read whole and split into sentences, with or without ``--segment``.
OFFICE_SUFFIXES = (".docx", ".odt", ".pdf")
#: :data:`OFFICE_SUFFIXES` for a message or a help text: ``.docx/.odt/.pdf``.
OFFICE_NAMES = "/".join(OFFICE_SUFFIXES)
MAX_MEMBER = 64 * 1024 * 1024  # bytes of XML we are willing to inflate per archive member
MAX_RATIO = 200  # real document XML compresses ~5-30x; zip bombs ~1000x
PDF_WARNING = "text comes from the PDF's text layer: line and page breaks may split sentences"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SPACE = re.compile(r"[ \t\n\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_FORMATS = ("b", "i", "u")


class Para:
    """One block of an office document: its content (text and codes) and a hint."""

    def __init__(self, content: Inline, hint: str = "") -> None:
        self.content = content
        self.hint = hint


def splits_into_sentences(path: str | Path, segment: bool) -> bool:
    """Is this input split into sentences (SRX rules apply), not read one segment per line?

    Every input is with ``--segment`` (``segment``); else only the documents of
    :data:`OFFICE_SUFFIXES`. ``align``, ``translate`` and the ``--srx`` checks all
    decide here.
    """
    return segment or Path(path).suffix.lower() in OFFICE_SUFFIXES


def warn(path: str | Path, message: str) -> None:
    print(f"align: warning: {path}: {message}", file=sys.stderr)


# --- archives ----------------------------------------------------------------------------


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc, or encrypted OOXML


def _archive(path: Path, kind: str) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            head = fh.read(8)
        if head == _OLE_MAGIC:
            raise InputError(
                path,
                f"is password-protected or an old binary .doc, not a {kind} zip archive; "
                f"save it as an unprotected {kind}",
            )
        raise InputError(path, f"is not a {kind} file (not a zip archive)")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"is not a readable {kind} file ({exc})") from None


def _member(path: Path, zf: zipfile.ZipFile, name: str, required: bool = True) -> bytes | None:
    """A member's bytes, refusing zip bombs before and while inflating."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        if required:
            raise InputError(path, f"has no {name}; not a valid document") from None
        return None
    if info.flag_bits & 0x1:
        raise InputError(path, "is encrypted (password-protected); save it without a password")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_MEMBER or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
        raise InputError(
            path,
            f"{name} would inflate to {info.file_size} bytes ({ratio:.0f}x compression); "
            "refusing a possible zip bomb",
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(path, f"{name} cannot be read ({exc})") from None
    if len(data) > MAX_MEMBER:  # the header lied about the size
        raise InputError(path, f"{name} inflates beyond {MAX_MEMBER} bytes; refusing a zip bomb")
    return data


def _xml(path: Path, data: bytes, name: str) -> etree._Element:
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"{name} {xml_problem(exc)}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError(path, f"{name} has a DOCTYPE; refusing it (entity attacks)")
    return root


# --- building content ----------------------------------------------------------------------


class _Builder:
    """Collects text and codes of one paragraph, opening and closing format spans."""

    def __init__(self, fmt: str) -> None:
        self.parts: list[str | InlineCode] = []
        self.open: dict[str, str] = {}  # format → pair id
        self.fmt = fmt
        self.counter = 0

    def text(self, text: str, formats: frozenset[str]) -> None:
        if not text:
            return
        self.set_formats(formats)
        self.parts.append(text)

    def set_formats(self, formats: frozenset[str]) -> None:
        for f in [f for f in self.open if f not in formats]:
            self.parts.append(
                InlineCode("end", f, (), escape(f"</{f}>"), self.open.pop(f), self.fmt)
            )
        for f in _FORMATS:
            if f in formats and f not in self.open:
                self.counter += 1
                self.open[f] = f"{self.fmt}{self.counter}"
                self.parts.append(
                    InlineCode("begin", f, (), escape(f"<{f}>"), self.open[f], self.fmt)
                )

    def code(self, element: str, native: str) -> None:
        self.parts.append(InlineCode("placeholder", element, (), escape(native), None, self.fmt))

    def done(self) -> Inline:
        self.set_formats(frozenset())
        return normalize(self.parts)


def normalize(parts: list[str | InlineCode]) -> Inline:
    """Collapse whitespace runs to one space across parts and trim both ends."""
    out: list[str | InlineCode] = []
    space_before = True  # at the start, leading spaces are dropped
    for part in merge_text(parts):
        if isinstance(part, InlineCode):
            out.append(part)
            continue
        text = _SPACE.sub(" ", part)
        if space_before and text.startswith(" "):
            text = text[1:]
        if text:
            out.append(text)
            space_before = text.endswith(" ")
    # trim the end
    for k in range(len(out) - 1, -1, -1):
        part = out[k]
        if isinstance(part, str):
            out[k] = part.rstrip(" ")
            if out[k]:
                break
    return merge_text(out)


# --- .docx ---------------------------------------------------------------------------------


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false", "none")


def _run_formats(run: etree._Element) -> frozenset[str]:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return frozenset()
    found = set()
    if _on(rpr.find(f"{W}b")):
        found.add("b")
    if _on(rpr.find(f"{W}i")):
        found.add("i")
    if _on(rpr.find(f"{W}u")):
        found.add("u")
    return frozenset(found)


def _docx_paragraph(p: etree._Element, notes_cited: list[str]) -> Para:
    b = _Builder("docx")
    for el in p.iter(f"{W}r", f"{W}del"):
        if el.tag == f"{W}del":
            continue
        if any(a.tag == f"{W}del" for a in el.iterancestors()):
            continue  # tracked deletions are not the document's text
        formats = _run_formats(el)
        for child in el:
            tag = child.tag
            if tag == f"{W}t":
                b.text(child.text or "", formats)
            elif tag == f"{W}tab":
                b.text("\t", formats)
            elif tag in (f"{W}br", f"{W}cr"):
                b.code("br", "<w:br/>")
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                ident = child.get(f"{W}id", "")
                notes_cited.append(("fn" if "foot" in tag else "en") + ident)
                b.code("footnote", f'<w:footnoteReference w:id="{ident}"/>')
    style = p.find(f"{W}pPr/{W}pStyle")
    name = (style.get(f"{W}val") if style is not None else "") or ""
    hint = "title" if name.lower().replace(" ", "") in ("title", "heading1") else ""
    return Para(b.done(), hint)


def _docx_notes(path: Path, zf: zipfile.ZipFile, member: str, prefix: str) -> dict[str, list[Para]]:
    data = _member(path, zf, member, required=False)
    if data is None:
        return {}
    notes: dict[str, list[Para]] = {}
    tag = f"{W}footnote" if prefix == "fn" else f"{W}endnote"
    for note in _xml(path, data, member).iter(tag):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes[prefix + note.get(f"{W}id", "")] = [
            _docx_paragraph(p, []) for p in note.iter(f"{W}p")
        ]
    return notes


def _docx_blocks(path: Path, body: etree._Element, notes: dict[str, list[Para]]) -> Iterator[Para]:
    for el in body:
        if el.tag == f"{W}p":
            cited: list[str] = []
            yield _docx_paragraph(el, cited)
            for ident in cited:
                yield from notes.get(ident, [])
        elif el.tag == f"{W}tbl":
            for row in el.iter(f"{W}tr"):
                for cell in row.iter(f"{W}tc"):
                    if next(cell.iterancestors(f"{W}tbl")) is el:
                        yield from _docx_blocks(path, cell, notes)
        elif el.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
            yield from _docx_blocks(path, el, notes)


def docx_paragraphs(path: str | Path) -> list[Para]:
    """Paragraphs of a .docx in reading order (body, table cells row by row, footnotes
    after the paragraph citing them); run formatting as inline codes."""
    p = Path(path)
    with _archive(p, ".docx") as zf:
        root = _xml(p, _member(p, zf, "word/document.xml"), "word/document.xml")  # type: ignore[arg-type]
        notes = _docx_notes(p, zf, "word/footnotes.xml", "fn")
        notes |= _docx_notes(p, zf, "word/endnotes.xml", "en")
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(p, "word/document.xml has no <w:body>")
    return list(_docx_blocks(p, body, notes))


# --- .odt ----------------------------------------------------------------------------------


def _odt_styles(root: etree._Element) -> dict[str, frozenset[str]]:
    styles: dict[str, frozenset[str]] = {}
    for st in root.iter(f"{STYLE}style"):
        props = st.find(f"{STYLE}text-properties")
        if props is None:
            continue
        found = set()
        if props.get(f"{FO}font-weight") in ("bold", "600", "700", "800", "900"):
            found.add("b")
        if props.get(f"{FO}font-style") in ("italic", "oblique"):
            found.add("i")
        if props.get(f"{STYLE}text-underline-style") not in (None, "none"):
            found.add("u")
        styles[st.get(f"{STYLE}name", "")] = frozenset(found)
    return styles


def _odt_inline(
    el: etree._Element,
    b: _Builder,
    formats: frozenset[str],
    styles: dict[str, frozenset[str]],
    notes: list[etree._Element],
) -> None:
    b.text(el.text or "", formats)
    for child in el:
        tag = child.tag
        if tag == f"{TEXT}span":
            inner = formats | styles.get(child.get(f"{TEXT}style-name", ""), frozenset())
            _odt_inline(child, b, inner, styles, notes)
        elif tag in (f"{TEXT}a", f"{TEXT}bookmark-ref", f"{TEXT}reference-ref"):
            _odt_inline(child, b, formats, styles, notes)
        elif tag == f"{TEXT}s":
            b.text(" " * int(child.get(f"{TEXT}c", "1") or 1), formats)
        elif tag == f"{TEXT}tab":
            b.text("\t", formats)
        elif tag == f"{TEXT}line-break":
            b.code("br", "<text:line-break/>")
        elif tag == f"{TEXT}note":
            notes.append(child)
            b.code("footnote", f'<text:note text:id="{child.get(f"{TEXT}id", "")}"/>')
        b.text(child.tail or "", formats)


def _odt_blocks(el: etree._Element, styles: dict[str, frozenset[str]]) -> Iterator[Para]:
    for child in el:
        tag = child.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            b = _Builder("odt")
            notes: list[etree._Element] = []
            base = styles.get(child.get(f"{TEXT}style-name", ""), frozenset())
            _odt_inline(child, b, base, styles, notes)
            level = child.get(f"{TEXT}outline-level")
            yield Para(b.done(), "title" if tag == f"{TEXT}h" and level in (None, "1") else "")
            for note in notes:
                body = note.find(f"{TEXT}note-body")
                if body is not None:
                    yield from _odt_blocks(body, styles)
        elif tag in (f"{TABLE}table", f"{TABLE}table-row", f"{TABLE}table-cell",
                     f"{TABLE}table-rows", f"{TABLE}table-header-rows", f"{TEXT}list",
                     f"{TEXT}list-item", f"{TEXT}list-header", f"{TEXT}section",
                     f"{OFFICE}text", f"{OFFICE}body"):  # fmt: skip
            yield from _odt_blocks(child, styles)


def odt_paragraphs(path: str | Path) -> list[Para]:
    """Paragraphs of an .odt in reading order (headings, lists, table cells, footnotes
    after the paragraph citing them); span formatting as inline codes."""
    p = Path(path)
    with _archive(p, ".odt") as zf:
        root = _xml(p, _member(p, zf, "content.xml"), "content.xml")  # type: ignore[arg-type]
        styles_xml = _member(p, zf, "styles.xml", required=False)
    styles = _odt_styles(_xml(p, styles_xml, "styles.xml")) if styles_xml else {}
    styles |= _odt_styles(root)
    body = root.find(f"{OFFICE}body")
    if body is None:
        raise InputError(p, "content.xml has no <office:body>")
    return list(_odt_blocks(body, styles))


# --- .pdf ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's log lines and warnings ("EOF marker not found"): align reports itself."""
    logger = logging.getLogger("pypdf")  # its modules log to child loggers (pypdf._reader)
    was = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(was)


def pdf_text(path: str | Path) -> str:
    """The text layer of a PDF, lines joined into paragraphs (a short line ends one;
    a hyphen at a line end before a lower-case word is joined). Warns on stderr."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    p = Path(path)
    try:
        with _quiet_pypdf():
            reader = PdfReader(p)
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(p, "is password-protected; give an unprotected PDF")
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            raise InputError(p, "is password-protected; give an unprotected PDF") from None
        raise InputError(p, f"is not a readable PDF ({exc})") from None
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise InputError(p, f"is not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not any(t.strip() for t in pages):
        raise InputError(p, "has no text layer (a scan?); run OCR first")
    warn(p, PDF_WARNING)
    paragraphs: list[str] = []
    for text in pages:
        lines = [_SPACE.sub(" ", ln).strip() for ln in text.splitlines()]
        longest = max((len(ln) for ln in lines), default=0)
        current = ""
        for line in lines:
            if not line:
                if current:
                    paragraphs.append(current)
                current = ""
                continue
            if current.endswith("-") and line[:1].islower():
                current = current[:-1] + line
            else:
                current = f"{current} {line}" if current else line
            if len(line) < 0.6 * longest:
                paragraphs.append(current)
                current = ""
        if current:
            paragraphs.append(current)
    return "\n\n".join(paragraphs)


def office_paragraphs(path: str | Path) -> list[Para]:
    """Paragraphs of a .docx/.odt (with codes) or .pdf (plain), by file suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        paras = docx_paragraphs(path)
    elif suffix == ".odt":
        paras = odt_paragraphs(path)
    elif suffix == ".pdf":
        paras = [Para((t,)) for t in pdf_text(path).split("\n\n")]
    else:
        raise InputError(path, f"is not an office document ({', '.join(OFFICE_SUFFIXES)})")
    paras = [p for p in paras if inline_text(p.content).strip()]
    if not paras:
        raise InputError(path, "has no text")
    return paras
