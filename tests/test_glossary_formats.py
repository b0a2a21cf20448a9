"""Termbase files: TSV/CSV and TBX read and written losslessly, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.errors import InputError
from align.glossary import Glossary, Term, load_glossary, save_glossary
from align.glossary.tbx import format_tbx, parse_tbx
from align.glossary.tsv import format_tsv, parse_tsv

REPO = Path(__file__).resolve().parent.parent
INTERVIEW = REPO / "glossaries" / "interview.tsv"


def test_interview_round_trip_tsv_tbx_tsv(tmp_path):
    original = INTERVIEW.read_text(encoding="utf-8")
    g = load_glossary(INTERVIEW)
    save_glossary(g, tmp_path / "g.tbx")
    back = load_glossary(tmp_path / "g.tbx")
    assert back == g
    save_glossary(back, tmp_path / "g.tsv")
    assert (tmp_path / "g.tsv").read_text(encoding="utf-8") == original


def test_committed_tbx_is_generated_from_tsv():
    g = load_glossary(INTERVIEW)
    assert (REPO / "glossaries" / "interview.tbx").read_bytes() == format_tbx(g)


def test_interview_glossary_covers_the_issue_list():
    g = load_glossary(INTERVIEW)
    assert g.languages == ["en", "ru", "az"]
    english = {v for t in g.terms for v in t.admitted("en")}
    required = [
        "Khankendi", "Eastern Zangazur", "Zangazur", "Karabakh", "Baku", "Moscow", "Yerevan",
        "Türkiye", "Azerbaijan", "ECO", "Economic Cooperation Organization", "AZAL",
        "Non-Aligned Movement", "Civil Contract", "Armenian Apostolic Church",
        "Investigative Committee", "Prosecutor General", "Ministry of Emergency Situations",
        "News.Az", "Vestnik Kavkaza", "TASS", "AZERTAC", "Andrey Petrov", "Ilham Aliyev",
        "Recep Tayyip Erdoğan", "Nikol Pashinyan", "Garegin II", "Samvel Karapetyan",
        "Robert Kocharyan", "Serzh Sargsyan", "Masoud Pezeshkian", "Alexander Bastrykin",
        "Kamran Aliyev", "Alexander Kurenkov", "Dmitry Peskov", "Maria Zakharova",
    ]  # fmt: skip
    assert [r for r in required if r not in english] == []
    assert all(t.preferred("ru") and t.preferred("az") for t in g.terms)
    khankendi = g.term("khankendi")
    assert khankendi.preferred("ru") == "Ханкенди"
    assert khankendi.preferred("az") == "Xankəndi"
    assert "Степанакерт" in khankendi.banned("ru")
    assert g.term("eco").preferred("ru") == "ОЭС"
    assert g.term("turkiye").preferred("ru") == "Турция"


def test_translate_toolkit_reads_our_tbx(tmp_path):
    from translate.storage import tbx

    g = load_glossary(INTERVIEW)
    path = tmp_path / "g.tbx"
    save_glossary(g, path)
    store = tbx.tbxfile.parsefile(str(path))
    units = [u for u in store.units if u.source]
    assert len(units) == len(g.terms)
    assert [u.source for u in units] == [t.preferred("en") for t in g.terms]
    # translate-toolkit reads the second language as the target, with the
    # forbidden variant marked deprecated.
    khankendi = units[[t.id for t in g.terms].index("khankendi")]
    assert khankendi.target == "Ханкенди"
    statuses = {t.text: t.deprecated for t in khankendi.get_target_terms()}
    assert statuses["Ханкенди"] is False
    assert statuses["Степанакерт"] is True


def test_pairs_for_the_aligner():
    g = load_glossary(INTERVIEW)
    pairs = g.pairs("en", "ru")
    assert (["Khankendi", "Khankandi"], ["Ханкенди"]) in pairs
    assert len(pairs) == len(g.terms)
    # Region subtags resolve to the plain column.
    assert g.pairs("en-US", "ru-RU") == pairs


def test_csv_with_variants_forbidden_and_no_ids(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "en,ru,forbidden:ru,note\n"
        'Khankendi,Ханкенди,Степанакерт|Ханкенд,"city, indeclinable"\n'
        "Baku|Baki,Баку,,\n",
        encoding="utf-8",
    )
    g = load_glossary(path)
    assert g.languages == ["en", "ru"]
    k = g.terms[0]
    assert (k.id, k.admitted("en"), k.banned("ru"), k.note) == (
        "khankendi",
        ["Khankendi"],
        ["Степанакерт", "Ханкенд"],
        "city, indeclinable",
    )
    assert g.terms[1].admitted("en") == ["Baku", "Baki"]
    save_glossary(g, tmp_path / "out.tbx")
    assert load_glossary(tmp_path / "out.tbx") == g


def test_read_tbx_v3(tmp_path):
    path = tmp_path / "v3.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="en"><termSec><term>Khankendi</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
   <langSec xml:lang="ru">
     <termSec><term>Степанакерт</term>
       <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
     <termSec><term>Ханкенди</term>
       <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>""",
        encoding="utf-8",
    )
    g = load_glossary(path)
    assert g.languages == ["en", "ru"]
    t = g.terms[0]
    assert (t.id, t.admitted("ru"), t.banned("ru")) == ("c1", ["Ханкенди"], ["Степанакерт"])


# -- property: any valid glossary survives both formats unchanged ----------------------

_text = (
    st.text(
        alphabet=st.sampled_from(list("abcxyzABCXYZабвгдеёжАБВəşğüÖ0123456789 .-'\"«»,;:&<>")),
        min_size=1,
        max_size=12,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@st.composite
def glossaries(draw):
    langs = draw(st.lists(st.sampled_from(["en", "ru", "az", "de", "fr-CA"]), min_size=1,
                          max_size=4, unique=True))  # fmt: skip
    n = draw(st.integers(1, 5))
    terms: list[Term] = []
    used: dict[str, set[str]] = {lg: set() for lg in langs}
    for i in range(n):
        variants: dict[str, list[str]] = {}
        forbidden: dict[str, list[str]] = {}
        for lg in langs:
            items = draw(st.lists(_text, max_size=3, unique_by=str.casefold))
            if items and items[0].casefold() not in used[lg]:
                used[lg].add(items[0].casefold())
                variants[lg] = items
            bad = draw(st.lists(_text, max_size=2, unique_by=str.casefold))
            bad = [b for b in bad if b.casefold() not in {v.casefold() for v in items}]
            if bad:
                forbidden[lg] = bad
        if not variants:
            continue
        note = draw(st.one_of(st.just(""), _text))
        terms.append(Term(f"t{i}", variants, forbidden, note))
    if not terms:
        terms.append(Term("t0", {langs[0]: ["x"]}))
    return Glossary(langs, terms)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(glossaries())
def test_round_trip_property(g):
    g.validate()
    tsv = format_tsv(g)
    from_tsv = parse_tsv(tsv, "g.tsv")
    assert from_tsv == g
    from_tbx = parse_tbx(format_tbx(g), "g.tbx")
    assert from_tbx == g
    assert format_tsv(from_tbx) == tsv


# -- bad input -----------------------------------------------------------------------

BAD_TSV = [
    ("id\tnote\nx\ty\n", "no language columns"),
    ("en\tcomment\nBaku\tx\n", "unknown column 'comment'"),
    ("en\tru\nBaku\tБаку\nBaku\tБакы\n", "duplicate term: 'Baku' (en)"),
    ("id\ten\tru\nb\tBaku\tБаку\nb\tMoscow\tМосква\n", "duplicate term id 'b'"),
    ("en\tru\nBaku\tБаку\n\t\nx\t\n\t|\n", "empty rendering"),
    ("en\tru\nBaku||Baki\tБаку\n", "empty rendering"),
    ("en\tru\tforbidden:ru\nBaku\tБаку\tбаку\n", "both admitted and forbidden"),
    ("en\tforbidden:ru\nBaku\tБакы\n", "forbidden:ru but no 'ru' column"),
    ("en\tru\nBaku\tБаку\textra\n", "more cells than header columns"),
]


@pytest.mark.parametrize(("content", "problem"), BAD_TSV)
def test_bad_tsv(tmp_path, content, problem):
    path = tmp_path / "g.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_glossary(path)
    assert problem in err.value.message
    assert str(path) in err.value.message
    assert "\n" not in err.value.message


def test_empty_row_is_an_empty_term(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("id\ten\tru\nx\t\t\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: empty term"):
        load_glossary(path)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="a">
<langSet xml:lang="en"><tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&lol2;</term></tig>
</langSet></termEntry></body></text></martif>"""

BAD_TBX = [
    (XXE, "declares XML entities"),
    (XXE.decode().encode("utf-16"), "declares XML entities"),
    (LAUGHS, "declares XML entities"),
    (b"<martif><text><body><termEntry>", "is not well-formed XML"),
    (b"<tmx version='1.4'><body/></tmx>", "is not a TBX file (root <tmx>"),
    (b"<martif><text><body></body></text></martif>", "has no <termEntry> elements"),
    (
        b"<martif><text><body><termEntry><langSet><tig><term>a</term></tig></langSet>"
        b"</termEntry></body></text></martif>",
        "without xml:lang",
    ),
    (
        b"<martif xml:lang='en'><text><body><termEntry><langSet><tig><term> </term></tig>"
        b"</langSet></termEntry></body></text></martif>",
        "empty <term>",
    ),
]


@pytest.mark.parametrize(("content", "problem"), BAD_TBX)
def test_bad_tbx(tmp_path, content, problem):
    path = tmp_path / "g.tbx"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_glossary(path)
    assert problem in err.value.message
    assert "\n" not in err.value.message


def test_external_entity_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "g.tbx"
    path.write_bytes(XXE.replace(b"file:///etc/passwd", secret.as_uri().encode()))
    with pytest.raises(InputError) as err:
        load_glossary(path)
    assert "TOPSECRET" not in err.value.message


def test_unknown_extension_and_missing_file(tmp_path):
    (tmp_path / "g.docx").write_text("id\ten\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown glossary format"):
        load_glossary(tmp_path / "g.docx")
    with pytest.raises(InputError, match="no such file"):
        load_glossary(tmp_path / "missing.tsv")


def test_language_the_glossary_lacks():
    g = load_glossary(INTERVIEW)
    with pytest.raises(InputError, match="has no 'fr' column"):
        g.pairs("en", "fr")
