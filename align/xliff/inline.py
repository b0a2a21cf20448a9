"""XLIFF inline elements ↔ align's inline-code model (the same model as TMX).

XLIFF 1.2 (§2.5): ``<g>`` and ``<mrk>`` spans, ``<x/>`` placeholders, ``<bx/>``/``<ex/>``
empty begin/end, and ``<bpt>``/``<ept>``/``<ph>``/``<it>`` with native code inside.
XLIFF 2.1 (§4.7): ``<pc>`` and ``<mrk>`` spans, ``<sc/>``/``<ec/>`` (and ``<sm/>``/
``<em/>``) begin/end, ``<ph/>``; native code lives in the unit's ``<originalData>``
and is referenced by ``dataRef``/``dataRefStart``/``dataRefEnd``.
A code read from one version and written to the same version keeps its element
and attributes; codes from elsewhere get the closest element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

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

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"


# --- reading ---------------------------------------------------------------------------


def content12(elem: etree._Element) -> Inline:
    """An XLIFF 1.2 ``<source>``/``<target>`` as text and codes."""
    if not len(elem):
        return (elem.text,) if elem.text else ()
    parts: list[str | InlineCode] = []
    _collect12(elem, parts)
    return merge_text([_tag(p, "xliff-1.2") for p in parts])


def _tag(part: str | InlineCode, fmt: str) -> str | InlineCode:
    return part if isinstance(part, str) else replace(part, fmt=fmt)


def _collect12(elem: etree._Element, parts: list[str | InlineCode]) -> None:
    parts.append(elem.text or "")
    for child in elem:
        name = localname(child)
        ref = child.get("rid") or child.get("id")
        if name in ("g", "mrk"):
            parts.append(InlineCode("begin", name, attr_pairs(child)))
            _collect12(child, parts)
            parts.append(InlineCode("end", name))
        elif name in ("bx", "bpt"):
            parts.append(InlineCode("begin", name, attr_pairs(child), inner_xml(child), ref))
        elif name in ("ex", "ept"):
            parts.append(InlineCode("end", name, attr_pairs(child), inner_xml(child), ref))
        elif name in ("x", "ph"):
            parts.append(InlineCode("placeholder", name, attr_pairs(child), inner_xml(child)))
        elif name == "it":
            parts.append(InlineCode("isolated", name, attr_pairs(child), inner_xml(child)))
        elif name:
            _collect12(child, parts)
        parts.append(child.tail or "")


def content20(elem: etree._Element, data: dict[str, str]) -> Inline:
    """An XLIFF 2.x ``<source>``/``<target>`` as text and codes; ``data`` maps the
    unit's ``<originalData>`` ids to their native code (as XML fragments)."""
    if not len(elem):
        return (elem.text,) if elem.text else ()
    parts: list[str | InlineCode] = []
    _collect20(elem, parts, data)
    return merge_text([_tag(p, "xliff-2") for p in parts])


def _collect20(elem: etree._Element, parts: list[str | InlineCode], data: dict[str, str]) -> None:
    parts.append(elem.text or "")
    for child in elem:
        name = localname(child)
        attrs = attr_pairs(child)
        isolated = child.get("isolated") == "yes"
        if name in ("pc", "mrk"):
            parts.append(
                InlineCode("begin", name, attrs, data.get(child.get("dataRefStart", ""), ""))
            )
            _collect20(child, parts, data)
            parts.append(InlineCode("end", name, (), data.get(child.get("dataRefEnd", ""), "")))
        elif name in ("sc", "sm"):
            role = "isolated" if isolated else "begin"
            parts.append(InlineCode(role, name, attrs, data.get(child.get("dataRef", ""), ""),
                                    None if isolated else child.get("id")))  # fmt: skip
        elif name in ("ec", "em"):
            role = "isolated" if isolated else "end"
            parts.append(InlineCode(role, name, attrs, data.get(child.get("dataRef", ""), ""),
                                    None if isolated else child.get("startRef")))  # fmt: skip
        elif name == "ph":
            parts.append(
                InlineCode("placeholder", name, attrs, data.get(child.get("dataRef", ""), ""))
            )
        elif name == "cp":  # a code point XML cannot carry
            parts.append(InlineCode("placeholder", name, attrs))
        elif name:
            _collect20(child, parts, data)
        parts.append(child.tail or "")


def original_data(unit: etree._Element) -> dict[str, str]:
    """``<originalData><data id>`` of an XLIFF 2 ``<unit>`` as id → native fragment."""
    out: dict[str, str] = {}
    for od in unit:
        if localname(od) == "originalData":
            for d in od:
                if localname(d) == "data" and d.get("id"):
                    out[d.get("id")] = inner_xml(d)
    return out


# --- writing ---------------------------------------------------------------------------


def build12(parent: etree._Element, content: Sequence[str | InlineCode], used: set[str]) -> None:
    """Fill an XLIFF 1.2 ``<source>``/``<target>``; ``used`` collects ids taken in the unit."""
    if all(isinstance(p, str) for p in content):
        parent.text = "".join(content)  # type: ignore[arg-type]
        return
    content = [own_codes(p, ("xliff-1.2",)) for p in content]
    pairs = pair_codes(content)
    nested = well_nested(content, pairs)
    ends = {e: b for b, e in pairs.items()}
    for p in content:
        if isinstance(p, InlineCode) and p.attr("id"):
            used.add(p.attr("id"))  # type: ignore[arg-type]
    fresh = free_ids(used)
    ns = f"{{{NS12}}}"
    stack = [parent]
    span_ends: set[int] = set()
    pair_id: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for k, part in enumerate(content):
        cur = stack[-1]
        if isinstance(part, str):
            add_text(cur, part)
            continue
        same = part.element in ("g", "mrk", "x", "bx", "ex", "bpt", "ept", "ph", "it")
        attrs = dict(part.attrs) if same else {}
        if part.role == "begin" and k in pairs:
            end = content[pairs[k]]
            assert isinstance(end, InlineCode)
            spanlike = part.element in ("g", "mrk") or (
                not same and not part.native and not end.native
            )
            if k in nested and spanlike:
                name = part.element if part.element in ("g", "mrk") else "g"
                if name == "g":
                    attrs.setdefault("id", next(fresh))
                stack.append(etree.SubElement(cur, ns + name, attrs))
                span_ends.add(pairs[k])
                continue
            name = "bpt" if part.native or end.native or part.element == "bpt" else "bx"
            kinds[pairs[k]] = "ept" if name == "bpt" else "ex"
            if part.element != name:
                attrs = {}
            attrs.setdefault("id", next(fresh))
            pair_id[pairs[k]] = attrs.get("rid") or attrs["id"]
            append_native(etree.SubElement(cur, ns + name, attrs), part.native, NS12)
        elif part.role == "end" and k in span_ends:
            stack.pop()
        elif part.role == "end" and k in ends:
            name = kinds[k]
            if part.element != name:
                attrs = {}
            ref = pair_id.get(k)
            if name == "ept":
                attrs["id"] = attrs.get("id") or ref or next(fresh)
            else:
                attrs.setdefault("id", next(fresh))
                if ref:
                    attrs["rid"] = ref
            append_native(etree.SubElement(cur, ns + name, attrs), part.native, NS12)
        elif part.role == "placeholder":
            name = "ph" if part.native or part.element == "ph" else "x"
            if part.element != name:
                attrs = {}
            attrs.setdefault("id", next(fresh))
            append_native(etree.SubElement(cur, ns + name, attrs), part.native, NS12)
        else:  # isolated, or a begin/end whose partner is in another segment
            if part.element != "it":
                pos = part.attr("pos") if part.role == "isolated" else part.role
                attrs = {"pos": "close" if pos in ("end", "close") else "open"}
            attrs.setdefault("id", next(fresh))
            append_native(etree.SubElement(cur, ns + "it", attrs), part.native, NS12)


class DataStore:
    """The ``<originalData>`` of one XLIFF 2 unit being written."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def ref(self, native: str) -> str | None:
        if not native:
            return None
        ident = f"d{len(self.items) + 1}"
        self.items.append((ident, native))
        return ident

    def element(self) -> etree._Element | None:
        if not self.items:
            return None
        od = etree.Element(f"{{{NS20}}}originalData")
        for ident, native in self.items:
            d = etree.SubElement(od, f"{{{NS20}}}data", id=ident)
            # <data> holds text and <cp/> only: native markup (e.g. <sub>) is kept as text
            if "<" in native:
                d.text = native
            else:
                append_native(d, native, NS20)
        return od


_KEEP20 = ("id", "type", "subType", "canCopy", "canDelete", "canReorder", "canOverlap",
           "copyOf", "disp", "equiv", "dispStart", "dispEnd", "equivStart", "equivEnd",
           "subFlows", "subFlowsStart", "subFlowsEnd", "dir", "translate", "value", "ref",
           "hex")  # fmt: skip


def build20(
    parent: etree._Element, content: Sequence[str | InlineCode], used: set[str], data: DataStore
) -> None:
    """Fill an XLIFF 2.x ``<source>``/``<target>``; native code goes to ``data``."""
    if all(isinstance(p, str) for p in content):
        parent.text = "".join(content)  # type: ignore[arg-type]
        return
    content = [own_codes(p, ("xliff-2",)) for p in content]
    pairs = pair_codes(content)
    nested = well_nested(content, pairs)
    fresh = free_ids(used)
    ns = f"{{{NS20}}}"
    stack = [parent]
    span_ends: dict[int, etree._Element] = {}
    start_ref: dict[int, str] = {}
    for k, part in enumerate(content):
        cur = stack[-1]
        if isinstance(part, str):
            add_text(cur, part)
            continue
        same = part.element in ("pc", "mrk", "sc", "ec", "sm", "em", "ph", "cp")
        attrs = {k2: v for k2, v in part.attrs if k2 in _KEEP20} if same else {}
        ident = attrs.get("id")
        if ident is None or ident in used:
            ident = next(fresh)
        else:
            used.add(ident)
        if part.role == "begin" and k in pairs:
            end = content[pairs[k]]
            assert isinstance(end, InlineCode)
            if k in nested and (part.element in ("pc", "mrk") or part.fmt != "xliff-2"):
                name = "mrk" if part.element == "mrk" else "pc"
                attrs["id"] = ident
                if name == "pc":
                    for key, native in (("dataRefStart", part.native), ("dataRefEnd", end.native)):
                        if ref := data.ref(native):
                            attrs[key] = ref
                stack.append(etree.SubElement(cur, ns + name, attrs))
                span_ends[pairs[k]] = stack[-1]
                continue
            name = "sm" if part.element in ("sm", "mrk") else "sc"
            attrs = {"id": ident} | ({"type": attrs["type"]} if "type" in attrs else {})
            if name == "sc" and (ref := data.ref(part.native)):
                attrs["dataRef"] = ref
            start_ref[pairs[k]] = ident
            etree.SubElement(cur, ns + name, attrs)
        elif part.role == "end" and k in span_ends:
            stack.pop()
        elif part.role == "end" and k in start_ref:
            name = "em" if part.element in ("em", "mrk") else "ec"
            attrs = {"startRef": start_ref[k]}
            if name == "ec" and (ref := data.ref(part.native)):
                attrs["dataRef"] = ref
            etree.SubElement(cur, ns + name, attrs)
        elif part.role == "placeholder":
            if part.element == "cp" and "hex" in attrs:
                etree.SubElement(cur, ns + "cp", hex=attrs["hex"])
                continue
            attrs = {"id": ident}
            if ref := data.ref(part.native):
                attrs["dataRef"] = ref
            etree.SubElement(cur, ns + "ph", attrs)
        else:
            pos = part.attr("pos") if part.role == "isolated" else part.role
            closing = part.element in ("ec", "em") or pos in ("end", "close")
            attrs = {"id": ident, "isolated": "yes"}
            if ref := data.ref(part.native):
                attrs["dataRef"] = ref
            etree.SubElement(cur, ns + ("ec" if closing else "sc"), attrs)
