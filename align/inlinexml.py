"""XML plumbing for inline codes shared by the TMX and XLIFF readers and writers.

A code's native content (TMX ``<bpt>&lt;b&gt;</bpt>``, XLIFF 1.2 ``<ph>`` with a
``<sub>``) is kept as an XML fragment string, so it goes back out byte for byte
whatever it holds. Pairing of begin/end codes is decided here once for every
writer: a begin whose end is not in the same segment must be written as an
isolated code (TMX ``<it>``, XLIFF 1.2 ``<it>``, XLIFF 2 ``<sc isolated="yes">``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from xml.sax.saxutils import escape

from lxml import etree

from align.model import InlineCode
from align.xmlsafe import safe_parser

_PARSER = safe_parser()


def localname(elem: etree._Element) -> str:
    tag = elem.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr_pairs(elem: etree._Element) -> tuple[tuple[str, str], ...]:
    """``elem``'s attributes in document order, as an :class:`InlineCode` keeps them."""
    return tuple((str(k), str(v)) for k, v in elem.attrib.items())


def inner_xml(elem: etree._Element) -> str:
    """``elem``'s content as an XML fragment (text escaped, children serialised without
    namespace declarations)."""
    parts = [escape(elem.text or "")]
    for child in elem:
        copy = etree.fromstring(etree.tostring(child, with_tail=False), _PARSER)
        for node in copy.iter():
            if isinstance(node.tag, str) and node.tag.startswith("{"):
                node.tag = localname(node)
        etree.cleanup_namespaces(copy)
        parts.append(etree.tostring(copy, encoding="unicode", with_tail=False))
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def append_native(parent: etree._Element, native: str, ns: str | None = None) -> None:
    """Put the fragment ``native`` inside ``parent`` (elements in namespace ``ns``)."""
    if not native:
        return
    if "<" not in native and "&" not in native:
        parent.text = (parent.text or "") + native
        return
    decl = f' xmlns="{ns}"' if ns else ""
    wrapper = etree.fromstring(f"<w{decl}>{native}</w>", _PARSER)
    parent.text = (parent.text or "") + (wrapper.text or "")
    for child in list(wrapper):
        parent.append(child)


def add_text(parent: etree._Element, text: str) -> None:
    """Append ``text`` after the last child of ``parent`` (or as its text)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def pair_codes(content: Sequence[str | InlineCode]) -> dict[int, int]:
    """Index of each begin code → index of its end code, for pairs within ``content``.

    Codes with a ``pair`` id match by id; codes without match by nesting (the
    innermost open begin of the same element). Unmatched begins and ends are absent.
    """
    pairs: dict[int, int] = {}
    by_id: dict[str, int] = {}
    stack: list[int] = []
    for i, part in enumerate(content):
        if not isinstance(part, InlineCode):
            continue
        if part.role == "begin":
            if part.pair is not None:
                by_id.setdefault(part.pair, i)
            else:
                stack.append(i)
        elif part.role == "end":
            if part.pair is not None and part.pair in by_id:
                pairs[by_id.pop(part.pair)] = i
            elif part.pair is None:
                for k in range(len(stack) - 1, -1, -1):
                    opener = content[stack[k]]
                    if isinstance(opener, InlineCode) and opener.element == part.element:
                        pairs[stack.pop(k)] = i
                        break
    return pairs


def well_nested(content: Sequence[str | InlineCode], pairs: dict[int, int]) -> set[int]:
    """Begin indices whose pair can be written as one element around its content
    (no other pair crosses it)."""
    ok: set[int] = set()
    for b, e in pairs.items():
        inside = [(x, y) for x, y in pairs.items() if b < x < e or b < y < e]
        if all(b < x < e and b < y < e for x, y in inside):
            ok.add(b)
    return ok


def own_codes(part: str | InlineCode, keep: Collection[str]) -> str | InlineCode:
    """A code whose ``fmt`` is not in ``keep`` (read from another format) keeps its
    role and native code, not its element: the writer picks its own element for it."""
    if isinstance(part, str) or part.fmt in keep:
        return part
    return InlineCode(part.role, "", (), part.native, part.pair, part.fmt)


def free_ids(used: set[str]) -> Iterator[str]:
    """``"1"``, ``"2"``... skipping ids in ``used``; each one given is added to it."""
    n = 0
    while True:
        n += 1
        if str(n) not in used:
            used.add(str(n))
            yield str(n)
