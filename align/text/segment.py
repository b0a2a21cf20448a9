"""Sentence segmentation with SRX 2.0 rules, the convention CAT tools share.

By default align's own rules (data/srx/align.srx) are consulted first, then
LanguageTool's rules as shipped by choppa-srx. A user's SRX file (for example
exported from OmegaT) replaces both. Segmentation runs per paragraph, so a
segment never crosses a paragraph or interview turn.
"""

from __future__ import annotations

import xml.sax
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from align.errors import InputError
from align.model import Document, Inline, Segment, has_codes, slice_inline
from align.paths import check_readable
from align.xmlsafe import declared_entities, entity_declarations, safe_parser, xml_problem

SRX_NS = "http://www.lisa.org/srx20"


def _srx_document(path: str):
    from choppa import SrxDocument

    return SrxDocument(ruleset=path)


def _check_srx(path: Path) -> None:
    """Reject files that are not SRX before choppa sees them (its errors are cryptic).

    The parser policy is the TMX/TBX one (align.xmlsafe): a DOCTYPE declaring
    entities is refused, since dropping an entity silently changes a rule.
    """
    if not path.exists():
        raise InputError(path, "no such SRX file")
    if path.is_dir():
        raise InputError(path, "is a directory, expected an SRX file")
    check_readable(path)  # a device or a FIFO is named as such
    data = path.read_bytes()
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 2.13+ stops an entity bomb before the DOCTYPE can be inspected
        entities = entity_declarations(data[: 1 << 16])
        if not entities:
            raise InputError(path, xml_problem(exc)) from None
    else:
        entities = declared_entities(root)
    if entities:
        raise InputError(
            path,
            f"declares XML entities ({', '.join(entities[:3])}) in its DOCTYPE; refusing it "
            "(entities are never expanded, and dropping them would change the rules)",
        )
    if etree.QName(root).localname != "srx":
        raise InputError(path, f"is not an SRX file (root element <{root.tag}>)")
    if not root.findall(".//{*}languagemap"):
        raise InputError(path, "is not usable SRX: it has no <languagemap> rules")
    _check_rules(path, root)


def _compile(path: Path, where: str, pattern: str) -> None:
    import regex  # choppa's regex engine, so a pattern that passes here works there

    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise InputError(
            path, f"{where}: {pattern!r} is not a valid regular expression ({exc})"
        ) from None


def _check_rules(path: Path, root: etree._Element) -> None:
    """Every rule's regexes compile and every <languagemap> names a defined <languagerule>."""
    names = set()
    for lr in root.iter("{*}languagerule"):
        name = lr.get("languagerulename", "")
        names.add(name)
        for n, rule in enumerate(lr.iter("{*}rule"), 1):
            for part in ("beforebreak", "afterbreak"):
                el = rule.find(f"{{*}}{part}")
                if el is not None and el.text:
                    _compile(path, f"languagerule {name!r} rule {n} (line {el.sourceline}) "
                             f"<{part}>", el.text)  # fmt: skip
    for lm in root.iter("{*}languagemap"):
        target = lm.get("languagerulename", "")
        _compile(path, f"languagemap for {target!r} (line {lm.sourceline}) languagepattern",
                 lm.get("languagepattern", ""))  # fmt: skip
        if target not in names:
            raise InputError(
                path,
                f"line {lm.sourceline}: languagemap names languagerule {target!r}, which is not "
                f"defined (defined: {', '.join(sorted(names)) or 'none'})",
            )


@lru_cache(maxsize=8)
def load_rules(srx: str | None = None):
    """A choppa ``SrxDocument``: the user's file, or align's rules + LanguageTool's."""
    if srx is not None:
        _check_srx(Path(srx))
        try:
            return _srx_document(srx)
        except (xml.sax.SAXException, ValueError, KeyError) as exc:
            raise InputError(srx, f"is not valid SRX ({exc})") from None
    from choppa import DEFAULT_SRX_RULESET

    document = _srx_document(str(DEFAULT_SRX_RULESET))
    ours = _srx_document(str(resources.files("align").joinpath("data/srx/align.srx")))
    _add_fallback(document)
    # SRX applies the first matching rule at a position: ours go first.
    document.language_map_list[:0] = ours.language_map_list
    document.language_rule_cache.clear()
    return document


_CATCH_ALL = {".*", "[a-z]{2,3}_one", "[a-z]{2,3}_two"}


def _add_fallback(document) -> None:
    """Give languages with no rules of their own LanguageTool's plain sentence breaks.

    LanguageTool's catch-all ``Default`` rule only breaks after a no-break space,
    so Turkish, Azerbaijani, Kazakh, Finnish, Czech, Hungarian and every other
    language without a ``<languagemap>`` of its own came out as one segment per
    paragraph. Its ``Generic`` rule (break after . ! ? … and closing quotes) is
    mapped last, and only for codes no specific LanguageTool map matches, so a
    language with its own rules there keeps exactly those (align's own rules,
    consulted first, add exceptions such as titles for Turkish and Azerbaijani).
    """
    generic = next(
        (m.language_rule for m in document.language_map_list if m.language_rule.name == "Generic"),
        None,
    )
    if generic is None:  # a choppa release without it: leave the rules as they are
        return
    specific = [
        m.language_pattern.pattern
        for m in document.language_map_list
        if m.language_pattern.pattern not in _CATCH_ALL
    ]
    document.add_language_map(f"(?!(?:{'|'.join(specific)})\\Z).*", generic)


def split_spans(text: str, lang: str, srx: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text`` (surrounding whitespace excluded)."""
    from choppa import SrxTextIterator

    rules = load_rules(srx)
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in SrxTextIterator(rules, f"{lang}_one", text):
        start = text.index(piece, pos) if piece else pos
        end = start + len(piece)
        pos = end
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))
    return spans


def segment_text(text: str, lang: str, srx: str | None = None) -> list[str]:
    """Split ``text`` into sentences with SRX 2.0 rules; each line is segmented on its own.

    Rules are align's own ``align/data/srx/align.srx`` (quotes, initials, Russian
    abbreviations) cascaded before LanguageTool's (shipped with choppa-srx), or only the
    SRX file ``srx`` (e.g. exported from OmegaT). Method: LISA SRX 2.0 specification.

    Returns:
        The sentences in order, as substrings of ``text`` (no newlines).

    Raises:
        InputError: ``srx`` is missing or not an SRX 2.0 document.
    """
    return [text[a:b] for a, b in split_spans(text, lang, srx)]


def _codes(content: Inline | None, start: int, end: int) -> Inline | None:
    """The paragraph content of one segment, or ``None`` if it holds no code."""
    if not has_codes(content):
        return None
    part = slice_inline(content, start, end)  # type: ignore[arg-type]
    return part if has_codes(part) else None


def segment_document(doc: Document, srx: str | Path | None = None) -> list[Segment]:
    """Segment every paragraph of ``doc`` (SRX 2.0, as :func:`segment_text`).

    Returns:
        Segments in document order with ids ``doc:paragraph:sentence`` (0-based
        numbers) and ``start``/``end`` character offsets into ``doc.text``.

    Raises:
        InputError: ``srx`` is missing or not an SRX 2.0 document.
    """
    srx_key = None if srx is None else str(srx)
    segments: list[Segment] = []
    for para in doc.paragraphs:
        for n, (a, b) in enumerate(split_spans(para.text, para.lang, srx_key)):
            segments.append(
                Segment(
                    id=f"{doc.id}:{para.index}:{n}",
                    text=para.text[a:b],
                    lang=para.lang,
                    paragraph=para.index,
                    index=n,
                    start=para.start + a,
                    end=para.start + b,
                    kind=para.kind,
                    turn=para.turn,
                    content=_codes(para.content, a, b),
                )
            )
    return segments
