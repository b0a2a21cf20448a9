"""XLIFF 1.2 / 2.1 writer and reader: schema rules, inline codes, translate-toolkit interop,
hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xliff_checks import check_xliff12, check_xliff21

from align.errors import InputError
from align.model import InlineCode, TranslationUnit, inline_text
from align.xliff import XliffFile, read_xliff, write_xliff

CHECKS = {"1.2": check_xliff12, "2.1": check_xliff21}

BOLD = (
    "The port of ",
    InlineCode("begin", "bpt", (("i", "1"),), "&lt;b&gt;", "1", "tmx"),
    "Baku",
    InlineCode("end", "ept", (("i", "1"),), "&lt;/b&gt;", "1", "tmx"),
    InlineCode("placeholder", "ph", (), "&lt;br/&gt;", None, "tmx"),
    "is open.",
)


def _units() -> list[TranslationUnit]:
    return [
        TranslationUnit(
            "The port of Baku is open.",
            "Порт Баку открыт.",
            "en",
            "ru",
            tuid="docs/a:0:0",
            state="needs-review-translation",
            note="glossary: Baku ok",
            props={"origin": "mt:translate-en_ru"},
            source_content=BOLD,
        ),
        TranslationUnit(
            "  Two  spaces. ", "Два  пробела.", "en", "ru", tuid="docs/a:0:1", state="translated"
        ),
        TranslationUnit("No draft yet.", "", "en", "ru", tuid="docs/a:1:0"),
    ]


def _write(tmp_path: Path, version: str) -> Path:
    out = tmp_path / f"a.{version}.xlf"
    files = [XliffFile("docs/a.txt", "en", "ru", _units(), notes=["TEST FIXTURE drafts"],
                       tools=[("mt", "translate-en_ru", "1.9")])]  # fmt: skip
    assert write_xliff(out, files, version).written == 3
    return out


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_written_file_passes_the_schema_checks_and_reads_back(tmp_path, version):
    out = _write(tmp_path, version)
    CHECKS[version](out)
    if version == "1.2":
        check_xliff12(out, strict=False)  # transitional accepts whatever strict does
    doc = read_xliff(out)
    units = doc.units
    assert [u.tuid for u in units] == ["docs/a:0:0", "docs/a:0:1", "docs/a:1:0"]
    assert [u.source for u in units] == [u.source for u in _units()]
    assert [u.target for u in units] == ["Порт Баку открыт.", "Два  пробела.", ""]
    # 2.x: a draft is "initial" with its 1.2 state in subState; it reads back a draft either way
    assert [u.state for u in units] == ["needs-review-translation", "translated", None]
    codes = [(c.role, c.native) for c in units[0].source_content if isinstance(c, InlineCode)]
    assert codes == [("begin", "&lt;b&gt;"), ("end", "&lt;/b&gt;"), ("placeholder", "&lt;br/&gt;")]
    assert "glossary: Baku ok" in units[0].note
    if version == "2.1":
        assert units[0].note == "glossary: Baku ok"  # the state says "draft": no review note
    assert any("translate-en_ru" in t[1] for t in doc.files[0].tools)


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_checks_reject_a_broken_file(tmp_path, version):
    out = _write(tmp_path, version)
    text = out.read_text("utf-8")
    broken = text.replace('state="translated"', 'state="bogus"', 1)
    out.write_text(broken, "utf-8")
    with pytest.raises(AssertionError):
        CHECKS[version](out)


def test_translate_toolkit_reads_the_same_units_and_states(tmp_path):
    from translate.storage import xliff, xliff2

    for version, store in (("1.2", xliff.xlifffile), ("2.1", xliff2.Xliff2File)):
        out = _write(tmp_path, version)
        tt = store.parsestring(out.read_bytes())
        ours = read_xliff(out).units
        assert len(tt.units) == len(ours) == 3
        plain = [1, 2]  # units without inline codes compare as plain strings
        assert [tt.units[i].source for i in plain] == [ours[i].source for i in plain]
        assert [tt.units[i].target or "" for i in plain] == [ours[i].target for i in plain]
        if version == "1.2":
            assert [u.getid().split("\x04")[-1] for u in tt.units] == [u.tuid for u in ours]
            assert [u.isreview() for u in tt.units] == [True, False, False]
            assert [u.get_state_id() for u in tt.units[:2]] == [
                xliff.Xliff1Unit.statemap["needs-review-translation"],
                xliff.Xliff1Unit.statemap["translated"],
            ]
        else:
            assert [u.getid() for u in tt.units] == ["docs_a:0:0", "docs_a:0:1", "docs_a:1:0"]
            # the draft is "initial" with a target: fuzzy, not yet translated, to a 2.x tool
            assert [u.isfuzzy() for u in tt.units] == [True, False, False]
            assert [u.istranslated() for u in tt.units] == [False, True, False]
            assert not any(u.isapproved() for u in tt.units)


def test_post_edited_state_and_target_read_back(tmp_path):
    from translate.storage import xliff

    out = _write(tmp_path, "1.2")
    tt = xliff.xlifffile.parsestring(out.read_bytes())
    tt.units[1].target = "Два пробела, исправлено."
    tt.units[1].xmlelement.find(f"{{{tt.namespace}}}target").set("state", "final")
    edited = tmp_path / "edited.xlf"
    edited.write_bytes(bytes(tt))
    units = read_xliff(edited).units
    assert (units[1].target, units[1].state) == ("Два пробела, исправлено.", "final")


# --- inline codes survive a round trip through both versions ---------------------------

_TEXT = st.text(alphabet="ab cЯй.", min_size=0, max_size=5)
_NATIVE = st.sampled_from(["", "&lt;b&gt;", "{0}"])


@st.composite
def _content(draw) -> tuple:
    parts: list = []
    for n in range(draw(st.integers(0, 4))):
        parts.append(draw(_TEXT))
        kind = draw(st.sampled_from(["ph", "pair", "span", "it"]))
        native = draw(_NATIVE)
        fmt = draw(st.sampled_from(["tmx", "docx", "xliff-1.2"]))
        if kind == "ph":
            parts.append(InlineCode("placeholder", "", (), native, None, fmt))
        elif kind == "it":
            parts.append(InlineCode("isolated", "", (("pos", "begin"),), native, None, fmt))
        else:
            pair = str(n) if kind == "pair" else None
            parts += [InlineCode("begin", "", (), native, pair, fmt), draw(_TEXT),
                      InlineCode("end", "", (), draw(_NATIVE), pair, fmt)]  # fmt: skip
    parts.append(draw(_TEXT) + "x")
    return tuple(p for p in parts if p != "")


def _shape(content) -> list:
    return [(p.role, p.native) if isinstance(p, InlineCode) else p for p in content]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=_content())
def test_inline_codes_round_trip(tmp_path, content):
    from align.model import merge_text

    content = merge_text(content)
    text = inline_text(content)
    for version in ("1.2", "2.1"):
        unit = TranslationUnit(text, text, "en", "ru", tuid="u1", source_content=content,
                               target_content=content, state="translated")  # fmt: skip
        out = tmp_path / f"p.{version}.xlf"
        write_xliff(out, [XliffFile("p", "en", "ru", [unit])], version)
        CHECKS[version](out)
        back = read_xliff(out).units[0]
        assert back.source == text and back.target == text
        assert _shape(back.content("source")) == _shape(content)
        again = tmp_path / f"q.{version}.xlf"
        write_xliff(again, read_xliff(out).files, version)
        assert again.read_bytes() == out.read_bytes()  # reading and writing is idempotent


# --- hostile and broken input -----------------------------------------------------------

BAD = {
    "malformed.xlf": ("<xliff version='1.2'><file>", "not well-formed"),
    "entity.xlf": (
        '<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaa">]>'
        "<xliff version='1.2'><file original='x' source-language='en' datatype='plaintext'>"
        "<body><trans-unit id='1'><source>&a;</source></trans-unit></body></file></xliff>",
        "DOCTYPE",
    ),
    "xxe.xlf": (
        '<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<xliff version='1.2'><file original='x' source-language='en' datatype='plaintext'>"
        "<body><trans-unit id='1'><source>&x;</source></trans-unit></body></file></xliff>",
        "DOCTYPE",
    ),
    "doctype.xlf": ('<!DOCTYPE xliff SYSTEM "http://example.com/x.dtd"><xliff/>', "DOCTYPE"),
    "tmx.xlf": ("<tmx version='1.4'><header/><body/></tmx>", "not XLIFF"),
    "nolang.xlf": (
        "<xliff version='1.2'><file original='x'><body/></file></xliff>",
        "source-language",
    ),
    "empty.xlf": ("", "empty"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_error_naming_the_file(tmp_path, name):
    text, expected = BAD[name]
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as err:
        read_xliff(path)
    message = str(err.value)
    assert name in message and expected in message and "\n" not in message
    assert "root:" not in message  # /etc/passwd never read
