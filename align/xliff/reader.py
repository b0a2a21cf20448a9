"""Hardened XLIFF 1.2 / 2.x reader: units, targets, states, notes and inline codes.

An XLIFF from a CAT tool is untrusted input: it is parsed without DTDs, entity
expansion or network access, and a file that has a DOCTYPE at all is refused
(XLIFF never needs one; a DOCTYPE is how XXE and billion-laughs attacks come in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from align.errors import InputError
from align.inlinexml import localname
from align.model import Inline, TranslationUnit, has_codes, inline_text
from align.text.textio import read_bytes
from align.xliff.drafts import FIXTURE_TOOL
from align.xliff.inline import content12, content20, original_data
from align.xliff.states import REVIEW_NOTE_CATEGORY, from_20
from align.xliff.writer import XliffFile
from align.xmlsafe import entity_declarations, safe_parser, xml_problem

# The one list of names read as XLIFF (Trados and memoQ keep XLIFF in their own suffixes):
# every command deciding "is this path XLIFF?" asks :func:`is_xliff`.
XLIFF_SUFFIXES = (".xlf", ".xliff", ".xlf2", ".sdlxliff", ".mqxliff")
# 1.2 states of a target that holds no translation yet (a copy of the source, if anything)
UNTRANSLATED = frozenset({"new", "needs-translation"})


@dataclass
class XliffDocument:
    """What :func:`read_xliff` returns: the version and one :class:`XliffFile` per ``<file>``."""

    version: str
    files: list[XliffFile] = field(default_factory=list)

    @property
    def units(self) -> list[TranslationUnit]:
        return [u for f in self.files for u in f.units]


def is_xliff(path: str | Path) -> bool:
    """By name: one of :data:`XLIFF_SUFFIXES` (``.xlf``, ``.xliff``, the Trados/memoQ variants)."""
    return str(path).lower().endswith(XLIFF_SUFFIXES)


def xliff_suffix_names() -> str:
    """:data:`XLIFF_SUFFIXES` for a message: ``.xlf, .xliff, ... or .mqxliff``."""
    *first, last = XLIFF_SUFFIXES
    return f"{', '.join(first)} or {last}"


_HEAD = 1 << 16  # bytes searched for a DOCTYPE's entity declarations
_DOCTYPE_REFUSED = (
    "has a DOCTYPE; XLIFF needs none and it is refused for safety "
    "(external entities, entity expansion)"
)


def read_xliff(path: str | Path) -> XliffDocument:
    """Read an XLIFF 1.0-1.2 or 2.0-2.2 file.

    Each unit becomes a ``TranslationUnit``: ``tuid`` is the unit id (for XLIFF 2,
    the ``name`` align writes when the id had to be changed into an NMTOKEN;
    a unit with several segments gives one unit per segment, ``id#n``),
    ``source``/``target`` are text views and ``*_content`` keep inline codes,
    ``state`` is the target's state as written (1.2 ``target/@state``, where a
    ``new``/``needs-translation`` target equal to the source is a placeholder
    copy and reads as no target; 2.x ``segment/@state``, default ``initial``,
    except that a draft align wrote reads back as its 1.2 state, e.g.
    ``needs-review-translation``, see :mod:`align.xliff.states`), ``note`` joins
    the notes by newline.
    Drafts align made with a test fixture model get ``props`` ``origin``
    (``mt:<package>``) and ``fixture`` (``true``), see :func:`_mark_fixture`.
    Raises ``InputError`` (one line naming the file) for non-XML, a DOCTYPE or
    entity, a root other than ``<xliff>``, or a file without languages.
    """
    p = Path(path)
    data = read_bytes(p)
    etree.clear_error_log()
    try:
        root = etree.fromstring(data, safe_parser(remove_comments=True, remove_pis=True))
    except etree.XMLSyntaxError as exc:
        if entity_declarations(data[:_HEAD]):  # libxml2 may stop an entity bomb first
            raise InputError(p, _DOCTYPE_REFUSED) from None
        raise InputError(p, xml_problem(exc)) from None
    doc = root.getroottree().docinfo
    if doc.doctype or doc.internalDTD is not None:
        raise InputError(p, _DOCTYPE_REFUSED)
    if any(isinstance(e, etree._Entity) for e in root.iter()):
        raise InputError(p, "uses an XML entity; refusing it")
    if localname(root) != "xliff":
        raise InputError(p, f"is a <{localname(root)}> document, not XLIFF (root must be <xliff>)")
    version = root.get("version") or ("2.0" if "2.0" in (root.nsmap.get(None) or "") else "1.2")
    if version.startswith("2"):
        return XliffDocument(version, _files20(p, root))
    return XliffDocument(version, _files12(p, root))


def _unique_id(path: Path, seen: dict[str, int], ident: str, line: int | None) -> str:
    """``ident``, recorded in ``seen`` (id -> line); a second use in one ``<file>`` is refused.

    XLIFF 1.2 and 2.x require unit ids unique within a ``<file>``:
    merging a translation back by id, a TMX ``tuid`` and scoring by id all need it.
    """
    if ident in seen:
        raise InputError(
            path,
            f"line {line}: unit id {ident!r} is used twice in one <file> (first on line "
            f"{seen[ident]}); XLIFF unit ids must be unique within a file",
        )
    seen[ident] = line or 0
    return ident


def _kids(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem if localname(c) == name]


def _view(content: Inline) -> tuple[str, Inline | None]:
    return inline_text(content), (content if has_codes(content) else None)


def _files12(path: Path, root: etree._Element) -> list[XliffFile]:
    files: list[XliffFile] = []
    for f in _kids(root, "file"):
        src = f.get("source-language")
        if not src:
            raise InputError(path, f"line {f.sourceline}: <file> has no source-language")
        tgt = f.get("target-language") or ""
        xf = XliffFile(f.get("original") or "", src, tgt, datatype=f.get("datatype") or "")
        for header in _kids(f, "header"):
            xf.notes.extend(n.text or "" for n in _kids(header, "note"))
            xf.tools.extend(
                (t.get("tool-id", ""), t.get("tool-name", ""), t.get("tool-version", ""))
                for t in _kids(header, "tool")
            )
        seen: dict[str, int] = {}
        for n, tu in enumerate(f.iter("{*}trans-unit", "trans-unit"), 1):
            if not _kids(tu, "source"):
                raise InputError(path, f"line {tu.sourceline}: <trans-unit> has no <source>")
            source, scontent = _view(content12(_kids(tu, "source")[0]))
            targets = _kids(tu, "target")
            target, tcontent, state = "", None, None
            if targets:
                target, tcontent = _view(content12(targets[0]))
                state = targets[0].get("state")
                if state in UNTRANSLATED and target == source:
                    target, tcontent = "", None  # a copy of the source, not a translation
            if state is None and tu.get("approved") == "yes":
                state = "signed-off"
            notes = [x.text or "" for x in _kids(tu, "note")]
            xf.units.append(
                TranslationUnit(
                    source=source,
                    target=target,
                    src_lang=src,
                    tgt_lang=tgt,
                    tuid=_unique_id(path, seen, tu.get("id") or str(n), tu.sourceline),
                    note="\n".join(notes) or None,
                    source_content=scontent,
                    target_content=tcontent,
                    state=state,
                )
            )
        files.append(_mark_fixture(xf))
    if not files:
        raise InputError(path, "has no <file> element")
    return files


def _files20(path: Path, root: etree._Element) -> list[XliffFile]:
    src = root.get("srcLang")
    if not src:
        raise InputError(path, "<xliff> has no srcLang")
    tgt = root.get("trgLang") or ""
    files: list[XliffFile] = []
    for f in _kids(root, "file"):
        xf = XliffFile(f.get("original") or f.get("id") or "", src, tgt)
        for notes in _kids(f, "notes"):
            for note in _kids(notes, "note"):
                if note.get("category") == "tool":
                    xf.tools.append(("", note.text or "", ""))
                else:
                    xf.notes.append(note.text or "")
        seen: dict[str, int] = {}
        for unit in f.iter("{*}unit", "unit"):
            data = original_data(unit)
            ident = unit.get("name") or unit.get("id") or ""
            all_notes = [n for ns in _kids(unit, "notes") for n in _kids(ns, "note")]
            notes = [n.text or "" for n in all_notes]
            review = [n.text or "" for n in all_notes if n.get("category") == REVIEW_NOTE_CATEGORY]
            segments = _kids(unit, "segment")
            for k, seg in enumerate(segments, 1):
                sources = _kids(seg, "source")
                if not sources:
                    raise InputError(path, f"line {seg.sourceline}: <segment> has no <source>")
                source, scontent = _view(content20(sources[0], data))
                targets = _kids(seg, "target")
                target, tcontent = _view(content20(targets[0], data)) if targets else ("", None)
                xf.units.append(
                    TranslationUnit(
                        source=source,
                        target=target,
                        src_lang=src,
                        tgt_lang=tgt,
                        tuid=_unique_id(
                            path,
                            seen,
                            ident if len(segments) == 1 else f"{ident}#{seg.get('id') or k}",
                            seg.sourceline,
                        ),
                        note="\n".join(notes) or None,
                        source_content=scontent,
                        target_content=tcontent,
                        state=_state20(seg, review) if targets else seg.get("state"),
                    )
                )
        files.append(_mark_fixture(xf))
    if not files:
        raise InputError(path, "has no <file> element")
    return files


def _state20(seg: etree._Element, review_notes: list[str]) -> str:
    """A translated segment's state; an MT draft's in 1.2 terms (see ``states.from_20``)."""
    return from_20(seg.get("state") or "initial", seg.get("subState"), review_notes)


def _mark_fixture(xf: XliffFile) -> XliffFile:
    """Label the drafts of a test fixture model: the one place XLIFF fixture output is told.

    align names a fixture engine ``<package> (TEST FIXTURE)`` in the file's tools
    (1.2 ``<tool>``, 2.x tool note) and adds the fixture note to the file and to
    every draft; a draft's own note still tells it after a CAT tool rewrote the
    header. Such units get ``origin`` ``mt:<package>`` and ``fixture`` ``true``,
    the props the translator's JSONL gives them.
    """
    from align.mt.engine import FIXTURE_NOTE

    tool = next((name for _, name, _ in xf.tools if FIXTURE_TOOL in name), None)
    package = tool.partition(FIXTURE_TOOL)[0] if tool else "fixture"
    whole_file = tool is not None or FIXTURE_NOTE in xf.notes
    for unit in xf.units:
        if whole_file or FIXTURE_NOTE in (unit.note or "").splitlines():
            unit.props.update(origin=f"mt:{package}", fixture="true")
    return xf


def xliff_units(
    path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[TranslationUnit]:
    """Every unit of an XLIFF file; with languages given, files in another pair are refused."""
    from align.tmx.langs import lang_matches

    doc = read_xliff(path)
    for f in doc.files:
        for want, have, what in (
            (src_lang, f.src_lang, "source"),
            (tgt_lang, f.tgt_lang, "target"),
        ):
            if want and have and not (lang_matches(want, have) or lang_matches(have, want)):
                raise InputError(path, f"{what} language is {have}, not {want}")
    return doc.units
