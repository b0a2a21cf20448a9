"""TMX writer and reader: exact round trips, translate-toolkit interop, hardened reading."""

from __future__ import annotations

import gzip
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from align.errors import InputError, OutputError
from align.model import TranslationUnit
from align.tmx import format_lang, lang_matches, read_tmx, write_tmx
from align.tmx.xmltext import INVALID_XML_CHARS

TRICKY = [
    ("Hello  world, <b>bold</b> & 'quotes' \"too\".", "Привет  мир, <b>жирный</b> & «кавычки»."),
    ("  leading and trailing  ", "\tтаб\tвнутри\t"),
    ("line\nbreak and\r\nCRLF", "перенос\nстроки и\r\nCRLF"),
    ("]]> and &amp; literally", "]]> и &amp; буквально"),
    ("emoji 🙂 and CJK 漢字", "эмодзи 🙂 и 漢字"),
]


def unit(src: str, tgt: str, **kw) -> TranslationUnit:
    return TranslationUnit(src, tgt, "en", "ru", **kw)


def test_written_file_is_tmx14_with_required_header(tmp_path):
    out = tmp_path / "a.tmx"
    stats = write_tmx(out, [unit(s, t) for s, t in TRICKY], src_lang="en", tgt_lang="ru")
    assert stats.written == len(TRICKY) and stats.skipped == 0
    data = out.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx")
    root = etree.fromstring(data)
    header = root.find("header")
    assert root.get("version") == "1.4"
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang"):
        assert header.get(attr)
    assert header.get("srclang") == "en" and header.get("datatype") == "plaintext"
    assert header.get("creationdate").endswith("Z") and len(header.get("creationdate")) == 16
    for tu in root.iter("tu"):
        langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.iter("tuv")]
        assert langs == ["en", "ru"]  # as given: no region invented
        assert tu.get("tuid") and tu.get("creationdate")


def test_tricky_text_round_trips_exactly(tmp_path):
    out = tmp_path / "a.tmx"
    write_tmx(out, [unit(s, t) for s, t in TRICKY], src_lang="en", tgt_lang="ru")
    assert [(u.source, u.target) for u in read_tmx(out, "en", "ru")] == TRICKY


def test_translate_toolkit_sees_the_same_pairs(tmp_path):
    from translate.storage import tmx as ttmx

    out = tmp_path / "a.tmx"
    units = [unit(s, t, props={"origin": "human"}, note="check me") for s, t in TRICKY]
    write_tmx(out, units, src_lang="en", tgt_lang="ru")
    with out.open("rb") as fh:
        store = ttmx.tmxfile(fh)
    assert [(u.source, u.target) for u in store.units] == TRICKY
    assert all("check me" in u.getnotes() for u in store.units)


def test_props_note_segtype_and_tuid_survive(tmp_path):
    out = tmp_path / "a.tmx"
    units = [
        unit("One.", "Один.", tuid="doc-1", props={"origin": "mt:fixture", "score": "0.5"}),
        unit("Two. Three.", "Два. Три.", note="Check", segtype="paragraph"),
    ]
    write_tmx(out, units, src_lang="en", tgt_lang="ru", header_props={"project": "demo"})
    back = list(read_tmx(out, "EN", "ru-ru"))
    assert back[0].tuid == "doc-1" and back[0].props == {"origin": "mt:fixture", "score": "0.5"}
    assert back[1].note == "Check" and back[1].segtype == "paragraph"
    assert back[1].tuid == "2"  # numbered in output order
    root = etree.parse(str(out)).getroot()
    # OmegaT only splits multi-sentence units when the header says "paragraph".
    assert root.find("header").get("segtype") == "paragraph"
    assert [tu.get("segtype") for tu in root.iter("tu")] == ["sentence", None]


def test_sentence_only_file_has_sentence_header(tmp_path):
    out = tmp_path / "a.tmx"
    write_tmx(out, iter([unit("One.", "Один.")]), src_lang="en", tgt_lang="ru")
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("segtype") == "sentence"
    assert root.find("body/tu").get("segtype") is None


def test_empty_sides_are_never_written_as_translations(tmp_path):
    out = tmp_path / "a.tmx"
    units = [unit("A.", "А."), unit("No target.", ""), unit("", "Без источника."), unit("B.", "  ")]
    stats = write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert (stats.written, stats.skipped) == (1, 3)
    kept = tmp_path / "k.tmx"
    stats = write_tmx(kept, units, src_lang="en", tgt_lang="ru", keep_empty=True)
    assert (stats.written, stats.source_only, stats.skipped) == (3, 2, 1)
    segs = [s.text for s in etree.parse(str(kept)).getroot().iter("seg")]
    assert segs == ["A.", "А.", "No target.", "B."]  # no empty target seg anywhere


def test_plain_language_style_and_other_languages(tmp_path):
    out = tmp_path / "a.tmx"
    units = [TranslationUnit("Guten Tag.", "Buenos días.", "de", "es")]
    write_tmx(out, units, src_lang="de", tgt_lang="es", lang_style="plain")
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "de"
    assert [(u.source, u.src_lang) for u in read_tmx(out, "de", "es")] == [("Guten Tag.", "de")]
    assert format_lang("de") == "de" and format_lang("pt-br") == "pt-BR"
    assert format_lang("en_gb") == "en-GB" and format_lang("zh_hant_tw") == "zh-Hant-TW"
    assert format_lang("en-GB", "plain") == "en"
    with pytest.raises(ValueError):
        format_lang("not a code")
    assert lang_matches("en", "EN-us") and lang_matches("en", "en_GB")
    assert not lang_matches("en-GB", "en-US") and not lang_matches("en", "eng")


def test_gzip_output_and_input(tmp_path):
    out = tmp_path / "a.tmx.gz"
    write_tmx(out, [unit("A.", "А.")], src_lang="en", tgt_lang="ru")
    assert gzip.decompress(out.read_bytes()).startswith(b"<?xml")
    assert [u.target for u in read_tmx(out, "en", "ru")] == ["А."]


def test_reader_picks_languages_by_code_not_position(tmp_path):
    path = tmp_path / "old.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.1"><header srclang="EN"/>'
        "<body><tu><tuv lang='RU'><seg>Б</seg></tuv><tuv lang='DE'><seg>D</seg></tuv>"
        "<tuv lang='EN-GB'><seg>B</seg></tuv></tu></body></tmx>",
        encoding="utf-16",  # with a BOM
    )
    assert [(u.source, u.target) for u in read_tmx(path, "en", "ru")] == [("B", "Б")]
    assert [(u.source, u.target) for u in read_tmx(path, "de", "en")] == [("D", "B")]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"<tmx><header srclang='en'></tmx>", "not well-formed XML (line 1"),
        (b"just text", "not XML"),
        (b"<?xml version='1.0'?><martif type='TBX'><text/></martif>", "TBX termbase"),
        (b"<?xml version='1.0'?><tbx xmlns='urn:iso:std:iso:30042:ed-2'/>", "TBX termbase"),
        (b"<root/>", "root must be <tmx>"),
        (b"<tmx version='1.4'><header/><body/></tmx>", "no srclang"),
        (
            b"<tmx version='1.4'><header srclang='en'/><body>"
            b"<tu tuid='1'><tuv xml:lang='en'><seg>a</seg></tuv></tu>"
            b"<tu tuid='1'><tuv xml:lang='en'><seg>b</seg></tuv></tu></body></tmx>",
            "duplicate tuid '1'",
        ),
        (
            b"<tmx version='1.4'><header srclang='en'/><body>"
            b"<tu><tuv><seg>a</seg></tuv></tu></body></tmx>",
            "<tuv> has no xml:lang",
        ),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, content, problem):
    path = tmp_path / "bad.tmx"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        list(read_tmx(path, "en", "ru"))
    assert problem in info.value.message and str(path) in info.value.message
    assert "\n" not in info.value.message


def test_unknown_language_is_an_error_naming_the_languages(tmp_path):
    out = tmp_path / "a.tmx"
    write_tmx(out, [unit("A.", "А.")], src_lang="en", tgt_lang="ru")
    with pytest.raises(InputError, match=r"no text in fr \(languages: en, ru\)"):
        list(read_tmx(out, "en", "fr"))


XXE = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="en"/><body><tu>
<tuv xml:lang="en"><seg>&xxe;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + ']>\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&l9;</seg>'
    '</tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>'
)


@pytest.mark.parametrize("doc", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_are_refused(tmp_path, doc):
    path = tmp_path / "evil.tmx"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(InputError, match="declares XML entities"):
        list(read_tmx(path, "en", "ru"))


def test_reader_never_touches_the_network(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.3)
    url = f"http://127.0.0.1:{server.getsockname()[1]}/tmx14.dtd"
    body = (
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg>'
        '</tuv><tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>'
    )
    external = tmp_path / "external-dtd.tmx"
    external.write_text(f'<!DOCTYPE tmx SYSTEM "{url}">\n{body}', encoding="utf-8")
    param = tmp_path / "param-entity.tmx"
    param.write_text(f'<!DOCTYPE tmx [<!ENTITY % p SYSTEM "{url}"> %p;]>\n{body}', encoding="utf-8")
    try:
        # An external DTD reference is ordinary TMX; it is read but never fetched.
        assert [u.target for u in read_tmx(external, "en", "ru")] == ["б"]
        with pytest.raises(InputError, match="entit"):
            list(read_tmx(param, "en", "ru"))
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()


def test_invalid_xml_characters_raise_or_are_replaced(tmp_path):
    out = tmp_path / "a.tmx"
    units = [unit("ok", "ок"), unit("bell\x07", "звонок")]
    with pytest.raises(OutputError, match=r"unit 2: source contains U\+0007"):
        write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert not out.exists()  # atomic: nothing half-written
    stats = write_tmx(out, units, src_lang="en", tgt_lang="ru", invalid_chars="replace")
    assert stats.replaced_chars == 1
    assert [u.source for u in read_tmx(out, "en", "ru")] == ["ok", "bell\ufffd"]


# Any text XML 1.0 can carry, with the characters most likely to break a writer over-weighted.
xml_text = st.text(
    alphabet=st.one_of(
        st.sampled_from([*" \t\n\r<>&\"']]>;#x", "\u00a0", "\u2028", "𝄞"]),
        st.characters(codec="utf-8").filter(lambda c: not INVALID_XML_CHARS.match(c)),
    ),
    min_size=1,
    max_size=40,
).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(xml_text, xml_text), min_size=1, max_size=5))
def test_any_xml_text_round_trips(tmp_path_factory, pairs):
    out = tmp_path_factory.mktemp("rt") / "a.tmx"
    write_tmx(out, [unit(s, t) for s, t in pairs], src_lang="en", tgt_lang="ru")
    assert [(u.source, u.target) for u in read_tmx(out, "en", "ru")] == pairs


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(min_size=1, max_size=20).filter(lambda s: s.strip()),
    bad=st.sampled_from(["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"]),
)
def test_text_xml_cannot_hold_is_refused_never_written(tmp_path_factory, text, bad):
    out = tmp_path_factory.mktemp("bad") / "a.tmx"
    with pytest.raises(OutputError, match="XML cannot store"):
        write_tmx(out, [unit(text + bad, "x")], src_lang="en", tgt_lang="ru")
    assert not out.exists()


@settings(max_examples=25, deadline=None)
@given(pairs=st.lists(st.tuples(xml_text, xml_text), min_size=1, max_size=4))
def test_translate_toolkit_reads_any_pairs_we_write(tmp_path_factory, pairs):
    from translate.storage import tmx as ttmx

    out = tmp_path_factory.mktemp("tt") / "a.tmx"
    write_tmx(out, [unit(s, t) for s, t in pairs], src_lang="en", tgt_lang="ru")
    with out.open("rb") as fh:
        store = ttmx.tmxfile(fh)
    assert [(u.source, u.target) for u in store.units] == pairs
