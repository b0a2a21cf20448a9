"""TMX 1.4b inline elements (§3.7) ↔ align's inline-code model.

``<bpt>``/``<ept>`` are paired codes (by ``i``), ``<ph>`` and ``<ut>`` placeholders,
``<it>`` an isolated half of a pair, ``<hi>`` a span whose content is text. Each
code keeps its element, attributes and native content, so a TMX read and
written again has the same inline markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from align.inlinexml import (
    add_text,
    append_native,
    attr_pairs,
    free_ids,
    inner_xml,
    localname,
    own_codes,
    pair_codes,
    well_nested,
)
from align.model import Inline, InlineCode, merge_text

_ISOLATED_POS = {"open": "begin", "close": "end", "begin": "begin", "end": "end"}


def seg_content(seg: etree._Element) -> Inline:
    """A ``<seg>`` (or ``<hi>``/``<sub>``) as text and :class:`InlineCode` parts."""
    if not len(seg):
        return (seg.text,) if seg.text else ()
    parts: list[str | InlineCode] = []
    _collect(seg, parts)
    return merge_text(parts)


def _collect(elem: etree._Element, parts: list[str | InlineCode]) -> None:
    parts.append(elem.text or "")
    for child in elem:
        name = localname(child)
        if name in ("bpt", "ept"):
            parts.append(
                InlineCode(
                    "begin" if name == "bpt" else "end",
                    name,
                    attr_pairs(child),
                    inner_xml(child),
                    child.get("i"),
                    "tmx",
                )
            )
        elif name in ("ph", "ut"):
            parts.append(
                InlineCode("placeholder", name, attr_pairs(child), inner_xml(child), fmt="tmx")
            )
        elif name == "it":
            parts.append(
                InlineCode("isolated", name, attr_pairs(child), inner_xml(child), fmt="tmx")
            )
        elif name in ("hi", "sub"):
            parts.append(InlineCode("begin", name, attr_pairs(child), fmt="tmx"))
            _collect(child, parts)
            parts.append(InlineCode("end", name, fmt="tmx"))
        elif name:  # an element TMX does not define: keep its text
            _collect(child, parts)
        parts.append(child.tail or "")


def build_seg(seg: etree._Element, content: Sequence[str | InlineCode]) -> None:
    """Fill an empty ``<seg>`` with ``content``; codes from other formats become
    ``<bpt>``/``<ept>``/``<ph>``/``<it>``, and a begin without its end ``<it>``."""
    if all(isinstance(p, str) for p in content):
        seg.text = "".join(content)  # type: ignore[arg-type]
        return
    content = [own_codes(p, ("tmx", "")) for p in content]
    pairs = pair_codes(content)
    nested = well_nested(content, pairs)
    closes_hi = {pairs[b] for b in nested if _code(content[b]).element in ("hi", "sub")}
    used = {
        i
        for p in content
        if isinstance(p, InlineCode) and p.element in ("bpt", "ept") and (i := p.attr("i"))
    }
    numbers = free_ids(used)
    ids: dict[int, str] = {}  # end index -> the i of its <bpt>, unique in the seg (§3.7.2)
    stack = [seg]
    for k, part in enumerate(content):
        cur = stack[-1]
        if isinstance(part, str):
            add_text(cur, part)
            continue
        if part.role == "begin" and k in pairs:
            end = _code(content[pairs[k]])
            if k in nested and part.element in ("hi", "sub") and end.element == part.element:
                stack.append(etree.SubElement(cur, part.element, dict(part.attrs)))
                continue
            attrs = dict(part.attrs) if part.element == "bpt" else {}
            if not attrs.get("i") or attrs["i"] in ids.values():  # no i of its own, or reused
                attrs["i"] = next(numbers)
            el = etree.SubElement(cur, "bpt", attrs)
            ids[pairs[k]] = el.get("i")
            append_native(el, part.native)
        elif part.role == "end" and k in closes_hi:
            stack.pop()
        elif part.role == "end" and k in ids:
            attrs = dict(part.attrs) if part.element == "ept" else {}
            attrs["i"] = ids[k]
            append_native(etree.SubElement(cur, "ept", attrs), part.native)
        elif part.role == "placeholder":
            if part.element in ("ph", "ut"):
                el = etree.SubElement(cur, part.element, dict(part.attrs))
            else:
                el = etree.SubElement(cur, "ph")
            append_native(el, part.native)
        else:  # isolated, or a begin/end whose partner is elsewhere
            if part.element == "it":
                el = etree.SubElement(cur, "it", dict(part.attrs))
            else:
                pos = part.attr("pos") if part.role == "isolated" else part.role
                el = etree.SubElement(cur, "it", pos=_ISOLATED_POS.get(pos or "", "begin"))
            append_native(el, part.native)


def _code(part: str | InlineCode) -> InlineCode:
    assert isinstance(part, InlineCode)
    return part
