"""Structural checks of XLIFF 1.2 (transitional and strict) and 2.1 as align writes it.

The OASIS XSDs are not shipped by any package reachable here (translate-toolkit,
moz-xliff-linter, l10n-lint on PyPI and Debian's archive were checked), so these
checks encode the schema rules that apply to what align writes: element order,
required and allowed attributes, enumerated values, id uniqueness and references.
They are deliberately strict: an attribute not in the lists below fails.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
XML = "{http://www.w3.org/XML/1998/namespace}"
NMTOKEN = re.compile(r"^[\w.\-:]+$")

STATES_12 = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation",
             "needs-review-l10n", "needs-review-translation", "needs-translation", "new",
             "signed-off", "translated"}  # fmt: skip
QUALIFIERS_12 = {"exact-match", "fuzzy-match", "id-match", "leveraged-glossary",
                 "leveraged-inherited", "leveraged-mt", "leveraged-repository", "leveraged-tm",
                 "mt-suggestion", "rejected-grammar", "rejected-inaccurate", "rejected-length",
                 "rejected-spelling", "tm-suggestion"}  # fmt: skip
# XLIFF 1.2 strict: attributes allowed on the elements align writes.
ATTRS_12 = {
    "xliff": {"version"},
    "file": {"original", "source-language", "target-language", "datatype", "tool-id",
             "date", "product-name", "product-version", "build-num", "category", XML + "space"},
    "header": set(),
    "tool": {"tool-id", "tool-name", "tool-version", "tool-company"},
    "note": {"from", "priority", "annotates", XML + "lang"},
    "body": set(),
    "trans-unit": {"id", "approved", "translate", "resname", "restype", "datatype",
                   "phase-name", "reformat", "maxwidth", "minwidth", "size-unit", "maxheight",
                   "minheight", "extradata", "help-id", "menu", "menu-option", "menu-name",
                   "coord", "font", "css-style", "style", "exstyle", "extype", "charclass",
                   "merged-trans", XML + "space"},
    "source": {XML + "lang"},
    "target": {"state", "state-qualifier", "phase-name", "resname", "restype", "coord",
               "font", "css-style", "style", "exstyle", "equiv-trans", XML + "lang"},
    "g": {"id", "ctype", "clone", "xid", "equiv-text"},
    "x": {"id", "ctype", "clone", "xid", "equiv-text"},
    "bx": {"id", "rid", "ctype", "clone", "xid", "equiv-text"},
    "ex": {"id", "rid", "xid", "equiv-text"},
    "bpt": {"id", "rid", "ctype", "crc", "xid", "equiv-text"},
    "ept": {"id", "rid", "crc", "xid", "equiv-text"},
    "ph": {"id", "ctype", "crc", "assoc", "xid", "equiv-text"},
    "it": {"id", "pos", "rid", "ctype", "crc", "xid", "equiv-text"},
    "mrk": {"mtype", "mid", "comment"},
    "sub": {"datatype", "ctype", "xid"},
}  # fmt: skip
# Transitional also allows these elements (and the ts/tool attributes, absent from ATTRS_12).
DEPRECATED_12 = {"prop-group", "prop"}
ID_REQUIRED_12 = {"g", "x", "bx", "ex", "bpt", "ept", "ph", "it"}

STATES_20 = {"initial", "translated", "reviewed", "final"}
ATTRS_20 = {
    "xliff": {"version", "srcLang", "trgLang", XML + "space"},
    "file": {"id", "original", "canResegment", "translate", "srcDir", "trgDir", XML + "space"},
    "notes": set(),
    "note": {"id", "appliesTo", "category", "priority"},
    "unit": {"id", "name", "canResegment", "translate", "srcDir", "trgDir", "type",
             XML + "space"},
    "originalData": set(),
    "data": {"id", "dir", XML + "space"},
    "segment": {"id", "canResegment", "state", "subState"},
    "source": {XML + "lang", XML + "space"},
    "target": {XML + "lang", XML + "space", "order"},
    "ph": {"id", "canCopy", "canDelete", "canReorder", "copyOf", "disp", "equiv", "dataRef",
           "subFlows", "subType", "type"},
    "pc": {"id", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dispStart",
           "dispEnd", "equivStart", "equivEnd", "dataRefStart", "dataRefEnd", "subFlowsStart",
           "subFlowsEnd", "subType", "type", "dir"},
    "sc": {"id", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef",
           "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"},
    "ec": {"id", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef",
           "dir", "disp", "equiv", "isolated", "startRef", "subFlows", "subType", "type"},
    "mrk": {"id", "translate", "type", "ref", "value"},
    "sm": {"id", "translate", "type", "ref", "value"},
    "em": {"startRef"},
    "cp": {"hex"},
}  # fmt: skip


def _name(el: etree._Element, ns: str) -> str:
    assert el.tag.startswith(f"{{{ns}}}"), f"{el.tag} is not in the XLIFF namespace {ns}"
    return el.tag.split("}")[1]


def _attrs_ok(el: etree._Element, name: str, allowed: dict[str, set[str]]) -> None:
    assert name in allowed, f"<{name}> is not an element align may write"
    extra = set(el.attrib) - allowed[name]
    assert not extra, f"<{name}> has attributes outside the schema: {sorted(extra)}"


def check_xliff12(path: Path, strict: bool = True) -> None:
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS12}}}xliff" and root.get("version") == "1.2"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = _name(el, NS12)
        if strict:
            assert name not in DEPRECATED_12, f"<{name}> is deprecated in XLIFF 1.2 strict"
        _attrs_ok(el, name, ATTRS_12)
        if name in ID_REQUIRED_12:
            assert el.get("id"), f"<{name}> needs an id"
        if name == "it":
            assert el.get("pos") in ("open", "close")
    files = root.findall(f"{{{NS12}}}file")
    assert files
    for f in files:
        for req in ("original", "source-language", "datatype"):
            assert f.get(req), f"<file> needs {req}"
        kids = [_name(c, NS12) for c in f]
        assert kids in (["header", "body"], ["body"]), kids
        for tool in f.iter(f"{{{NS12}}}tool"):
            assert tool.get("tool-id") and tool.get("tool-name")
        ids = set()
        for tu in f.iter(f"{{{NS12}}}trans-unit"):
            assert tu.get("id") and tu.get("id") not in ids, f"trans-unit id {tu.get('id')!r}"
            ids.add(tu.get("id"))
            kids = [_name(c, NS12) for c in tu]
            assert kids[0] == "source" and kids.count("source") == 1, kids
            rest = kids[1:]
            if rest and rest[0] == "target":
                rest = rest[1:]
            assert all(k == "note" for k in rest), kids
            target = tu.find(f"{{{NS12}}}target")
            if target is not None:
                assert target.get("state", "new") in STATES_12
                assert target.get("state-qualifier", "exact-match") in QUALIFIERS_12
            if tu.get("approved") is not None:
                assert tu.get("approved") in ("yes", "no")
            for side in tu.findall(f"{{{NS12}}}source") + tu.findall(f"{{{NS12}}}target"):
                _check_inline12(side)


def _check_inline12(side: etree._Element) -> None:
    seen_ids: set[str] = set()
    bpts: set[str] = set()
    for el in side.iterdescendants():
        name = _name(el, NS12)
        assert name in ID_REQUIRED_12 | {"mrk", "sub"}, f"<{name}> inside <{_name(side, NS12)}>"
        if name in ("bpt",):
            bpts.add(el.get("rid") or el.get("id"))
        if name == "ept":
            assert (el.get("rid") or el.get("id")) in bpts, "ept without its bpt"
        if name in ("g", "x", "bx", "ph", "it", "bpt"):
            assert el.get("id") not in seen_ids, f"duplicate inline id {el.get('id')}"
            seen_ids.add(el.get("id"))


def check_xliff21(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS20}}}xliff" and root.get("version") == "2.1"
    assert root.get("srcLang")
    for el in root.iter():
        if isinstance(el.tag, str):
            _attrs_ok(el, _name(el, NS20), ATTRS_20)
    file_ids = set()
    for f in root.findall(f"{{{NS20}}}file"):
        assert NMTOKEN.match(f.get("id", "")) and f.get("id") not in file_ids
        file_ids.add(f.get("id"))
        kids = [_name(c, NS20) for c in f]
        if kids and kids[0] == "notes":
            kids = kids[1:]
        assert kids and all(k == "unit" for k in kids), kids
        unit_ids = set()
        for unit in f.findall(f"{{{NS20}}}unit"):
            uid = unit.get("id", "")
            assert NMTOKEN.match(uid) and uid not in unit_ids, f"unit id {uid!r}"
            unit_ids.add(uid)
            kids = [_name(c, NS20) for c in unit]
            order = [k for k in kids if k != "segment"]
            assert order in ([], ["notes"], ["originalData"], ["notes", "originalData"]), kids
            assert kids[len(order) :] and all(k == "segment" for k in kids[len(order) :]), kids
            data_ids = [d.get("id") for d in unit.iter(f"{{{NS20}}}data")]
            assert len(data_ids) == len(set(data_ids))
            for seg in unit.findall(f"{{{NS20}}}segment"):
                assert seg.get("state", "initial") in STATES_20
                sk = [_name(c, NS20) for c in seg]
                assert sk in (["source"], ["source", "target"]), sk
                for side in seg:
                    _check_inline20(side, set(data_ids))


def _check_inline20(side: etree._Element, data_ids: set[str]) -> None:
    ids: set[str] = set()
    starts: set[str] = set()
    for el in side.iterdescendants():
        name = _name(el, NS20)
        assert name in ("ph", "pc", "sc", "ec", "mrk", "sm", "em", "cp"), name
        for ref in ("dataRef", "dataRefStart", "dataRefEnd"):
            if el.get(ref):
                assert el.get(ref) in data_ids, f"{ref}={el.get(ref)} not in originalData"
        if name in ("ph", "pc", "sc", "mrk", "sm") or (name == "ec" and el.get("isolated")):
            assert el.get("id") and el.get("id") not in ids, f"<{name}> id {el.get('id')}"
            ids.add(el.get("id"))
        if name in ("sc", "sm") and el.get("isolated") != "yes":
            starts.add(el.get("id"))
        if name in ("ec", "em") and el.get("isolated") != "yes":
            assert el.get("startRef") in starts, f"<{name}> startRef without its start"
        if el.get("isolated") is not None:
            assert el.get("isolated") == "yes"
