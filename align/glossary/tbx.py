"""TBX termbases: write TBX-Basic (2008 ``<martif>``), read ``<martif>`` and TBX v3 ``<tbx>``.

We write the 2008 form because OmegaT 3.6 and translate-toolkit read it and
reject TBX v3. Forbidden renderings are terms with ``administrativeStatus``
``deprecatedTerm-admn-sts``; the first admitted one is ``preferredTerm-admn-sts``.
Parsing never loads a DTD, never touches the network and refuses documents that
declare entities (XXE, billion laughs) instead of expanding them.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from align.errors import InputError, OutputError
from align.fsutil import write_bytes_atomic
from align.glossary.termbase import Glossary, Term, slug
from align.text.textio import read_bytes
from align.xmlsafe import INVALID_XML_CHARS, entity_declarations, safe_parser, xml_problem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated"}
_LANGS_P = "x-align-languages"
_POS_ADJ = "adjective"


def _xml_safe(glossary: Glossary, path: str | Path | None) -> None:
    for term in glossary.terms:
        texts = [term.id, term.note]
        for table in (term.variants, term.forbidden, term.adjectives):
            texts += [v for items in table.values() for v in items]
        for text in texts:
            bad = INVALID_XML_CHARS.search(text)
            if bad:
                raise OutputError(
                    path,
                    f"term '{term.id}': {text!r} contains U+{ord(bad.group()):04X}, "
                    "which TBX (XML) cannot hold",
                )


def format_tbx(glossary: Glossary, path: str | Path | None = None) -> bytes:
    """TBX-Basic bytes; OutputError (naming ``path`` and the term id) for XML-invalid text."""
    glossary.validate()
    _xml_safe(glossary, path)
    langs = glossary.languages
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: langs[0]})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source, "p").text = "Written by align from its termbase model."
    etree.SubElement(source, "p", type=_LANGS_P).text = " ".join(langs)
    encoding = etree.SubElement(header, "encodingDesc")
    etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for term in glossary.terms:
        entry = etree.SubElement(body, "termEntry", id=term.id)
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        for lang in langs:
            admitted, banned = term.admitted(lang), term.banned(lang)
            adjectives = term.adjective_forms(lang)
            if not admitted and not banned and not adjectives:
                continue
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: lang})
            statuses = [PREFERRED] + [ADMITTED] * (len(admitted) - 1)
            for text, status in [*zip(admitted, statuses, strict=False)] + [
                (b, DEPRECATED) for b in banned
            ]:
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = text
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
            for text in adjectives:
                # TBX-Basic's partOfSpeech marks the relational adjective of the concept.
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = text
                etree.SubElement(tig, "termNote", type="partOfSpeech").text = _POS_ADJ
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = ADMITTED
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tbx(glossary: Glossary, path: str | Path) -> None:
    write_bytes_atomic(path, format_tbx(glossary, path))


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el.iter() if _local(c) == name]


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _refuse_entities(data: bytes, path: Path) -> None:
    if entity_declarations(data):
        raise InputError(path, "declares XML entities; refused (entities are never expanded)")


def parse_tbx(data: bytes, path: str | Path) -> Glossary:
    p = Path(path)
    _refuse_entities(data, p)
    parser = safe_parser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(p, xml_problem(exc)) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(p, "declares XML entities; refused (entities are never expanded)")
    kind = _local(root)
    if kind == "martif":
        entry_name, lang_name, term_groups = "termEntry", "langSet", ("tig", "ntig")
    elif kind == "tbx":
        entry_name, lang_name, term_groups = "conceptEntry", "langSec", ("termSec",)
    else:
        raise InputError(p, f"is not a TBX file (root <{kind}>, expected <martif> or <tbx>)")

    declared: list[str] = []
    for para in _descendants(root, "p"):
        if para.get("type") == _LANGS_P:
            declared = _text(para).split()
    default_lang = root.get(XML_LANG)
    entries = _descendants(root, entry_name)
    if not entries:
        raise InputError(p, f"has no <{entry_name}> elements")
    taken = {e.get("id") for e in entries if e.get("id")}
    seen_langs: list[str] = []
    terms: list[Term] = []
    ids: set[str] = set()
    for n, entry in enumerate(entries, 1):
        term = Term(id=entry.get("id") or "")
        notes = [_text(c) for c in _children(entry, "note") if _text(c)]
        term.note = " ".join(notes)
        for lang_set in _children(entry, lang_name):
            lang = lang_set.get(XML_LANG) or default_lang
            if not lang:
                raise InputError(p, f"entry {n}: <{lang_name}> without xml:lang")
            if lang not in seen_langs:
                seen_langs.append(lang)
            preferred: list[str] = []
            admitted: list[str] = []
            banned: list[str] = []
            adjectives: list[str] = []
            for group in (c for c in lang_set if _local(c) in term_groups):
                term_el = next(iter(_descendants(group, "term")), None)
                if term_el is None:
                    continue
                text = _text(term_el)
                if not text:
                    raise InputError(p, f"entry {n} ({lang}): empty <term>")
                status = pos = ""
                for el in group.iter():
                    name = _local(el)
                    if name == "termNote" and el.get("type") == "partOfSpeech":
                        pos = _text(el).lower()
                    if (name == "termNote" and el.get("type") == "administrativeStatus") or (
                        name == "administrativeStatus"
                    ):
                        status = _text(el).lower()
                if status in _FORBIDDEN_STATUSES:
                    banned.append(text)
                elif pos == _POS_ADJ and not status.startswith("preferred"):
                    adjectives.append(text)
                elif status.startswith("preferred"):
                    preferred.append(text)
                else:
                    admitted.append(text)
            if preferred or admitted:
                term.variants.setdefault(lang, []).extend(preferred + admitted)
            if banned:
                term.forbidden.setdefault(lang, []).extend(banned)
            if adjectives:
                term.adjectives.setdefault(lang, []).extend(adjectives)
        if not any(term.variants.values()):
            raise InputError(p, f"entry {n}: no admitted term in any language")
        if not term.id:
            first = next(v for vs in term.variants.values() for v in vs)
            term.id = slug(first, taken)  # type: ignore[arg-type]
        if term.id in ids:
            raise InputError(p, f"duplicate term id '{term.id}'")
        ids.add(term.id)
        terms.append(term)
    languages = list(dict.fromkeys(declared))
    languages += [lg for lg in seen_langs if lg not in languages]
    for term in terms:
        term.variants = {lg: term.variants[lg] for lg in languages if lg in term.variants}
        term.forbidden = {lg: term.forbidden[lg] for lg in languages if lg in term.forbidden}
        term.adjectives = {lg: term.adjectives[lg] for lg in languages if lg in term.adjectives}
    return Glossary(languages, terms, str(p)).validate()


def read_tbx(path: str | Path) -> Glossary:
    p = Path(path)
    return parse_tbx(read_bytes(p), p)
