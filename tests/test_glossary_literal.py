"""Terms are literal text (issues #11 item 7, #12 item 11).

Invisible characters (zero-width space/joiners, word joiner, BOM, soft hyphen)
are ignored in matching and Unicode spaces count as spaces, with spans still in
the original text; regex metacharacters in a term are plain characters; a term
that XML cannot hold is a one-line error naming the term when writing TBX; TSV
is read without quote processing, CSV with it.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from align.cli import main
from align.glossary import Glossary, Term, check_segments, fix_segment, load_glossary
from align.glossary.match import Matcher
from align.glossary.tsv import format_tsv, parse_tsv

SPB = Glossary(
    ["en", "ru"],
    [
        Term("spb", {"en": ["Saint Petersburg"], "ru": ["Санкт-Петербург"]}, {"ru": ["Петербург"]}),
        Term("baku", {"en": ["Baku"], "ru": ["Баку"]}),
        Term("sc", {"en": ["South Caucasus"], "ru": ["Южный Кавказ"]}),
    ],
).validate()
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


def check(source: str, target: str, g: Glossary = SPB) -> list[tuple[str, str, str | None]]:
    return [(f.term, f.status, f.found) for f in check_segments(g, [source], [target], "en", "ru")]


@pytest.mark.parametrize(
    ("target", "found"),
    [
        ("Мы в Санкт-\u200bПетербурге.", "Санкт-\u200bПетербурге"),  # was: forbidden «Петербург»
        ("Мы в Санкт-Петер\u00adбурге.", "Санкт-Петер\u00adбурге"),  # was: missing
        ("Мы в Санкт\u2060-Петербурге.", "Санкт\u2060-Петербурге"),
        ("Мы в \ufeffСанкт-Петербурге.", "Санкт-Петербурге"),
    ],
)
def test_invisible_characters_inside_a_term_are_ignored(target, found):
    assert check("We are in Saint Petersburg.", target) == [("spb", "ok", found)]
    # fix never duplicates or splits the term (was: «Санкт-\u200bСанкт-Петербург»)
    result = fix_segment(SPB, "We are in Saint Petersburg.", target, "en", "ru")
    assert result.text == target
    assert result.changes == []


def test_invisible_character_in_the_source_term():
    findings = check_segments(SPB, ["Ba\u200bku is big."], ["Баку большой."], "en", "ru")
    assert [(f.term, f.status, f.source, f.source_span) for f in findings] == [
        ("baku", "ok", "Ba\u200bku", (0, 5))
    ]


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u2007", "\u3000"])
def test_unicode_spaces_count_as_spaces(space):
    target = f"На Южном{space}Кавказе."
    assert check(f"In the South{space}Caucasus.", target) == [("sc", "ok", f"Южном{space}Кавказе")]


def test_forbidden_form_is_still_replaced_without_invisible_characters():
    result = fix_segment(SPB, "In Saint Petersburg.", "В Петербурге.", "en", "ru")
    assert result.text == "В Санкт-Петербурге."


@settings(max_examples=60, deadline=None)
@given(
    marks=st.lists(
        st.tuples(st.integers(min_value=0, max_value=15), st.sampled_from(INVISIBLE)),
        max_size=4,
    )
)
def test_invisible_characters_anywhere_keep_status_and_spans(marks):
    word = "Санкт-Петербурге"
    chars = list(word)
    for pos, ch in sorted(marks, reverse=True):
        chars.insert(min(pos, len(chars)), ch)
    noisy = "".join(chars)
    target = f"Мы в {noisy}."
    findings = check_segments(SPB, ["In Saint Petersburg."], [target], "en", "ru")
    assert [f.status for f in findings] == ["ok"]
    start, end = findings[0].target_span
    visible = "".join(c for c in target[start:end] if c not in INVISIBLE)
    assert visible == word
    assert fix_segment(SPB, "In Saint Petersburg.", target, "en", "ru").text == target


# -- terms are literal text ----------------------------------------------------------

SYMBOLS = Glossary(
    ["en", "ru"],
    [
        Term("cpp", {"en": ["C++"], "ru": ["C++"]}),
        Term("regex", {"en": ["(a+)+$"], "ru": ["(a+)+$"]}),
        Term("dotstar", {"en": [".*"], "ru": [".*"]}),
        Term("csharp", {"en": ["C#"], "ru": ["C#"]}),
        Term("acdc", {"en": ["AC/DC"], "ru": ["AC/DC"]}),
        Term("att", {"en": ["AT&T"], "ru": ["AT&T"]}),
    ],
).validate()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I write C code.", []),  # "C++" must not match as "C"
        ("I write C++ code.", [("cpp", "C++")]),
        ("I write C+++ code.", []),
        ("I write C# and C code.", [("csharp", "C#")]),
        ("It is a cat.", []),  # "(a+)+$" must not match the article "a"
        ("The pattern (a+)+$ is slow.", [("regex", "(a+)+$")]),
        ("Use .* to match anything.", [("dotstar", ".*")]),  # ".*" is not dropped
        ("Use . to match one.", []),
        ("A song by AC/DC today.", [("acdc", "AC/DC")]),  # joined by "/", still one term
        ("AC and DC current.", []),
        ("Calls on AT&T lines.", [("att", "AT&T")]),
        ("AT T lines.", []),
    ],
)
def test_regex_metacharacters_are_literal(text, expected):
    assert [(o.term, o.text) for o in Matcher(SYMBOLS, "en").find(text)] == expected


def test_symbol_term_checked_on_both_sides():
    assert check("Use .* here.", "Используйте .* здесь.", SYMBOLS) == [("dotstar", "ok", ".*")]
    assert check("Use .* here.", "Используйте . здесь.", SYMBOLS) == [("dotstar", "missing", None)]


# -- XML-invalid characters, TSV quoting ---------------------------------------------


def test_tbx_conversion_names_the_term_with_an_xml_invalid_character(tmp_path):
    src = tmp_path / "g.tsv"
    src.write_text("id\ten\tru\nff\tForm\x0cfeed\tПеревод\n", "utf-8")
    out = tmp_path / "g.tbx"
    res = CliRunner().invoke(main, ["glossary", "convert", str(src), "-o", str(out)])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1, res.output
    assert "term ff" in lines[0] and "U+000C" in lines[0] and "Traceback" not in res.output
    assert not out.exists()


def test_tsv_keeps_quotes_and_csv_unquotes(tmp_path):
    tsv = tmp_path / "g.tsv"
    tsv.write_text('id\ten\tru\nkaspi\t"Kaspi" bank\t«Kaspi» банк\n', "utf-8")
    g = load_glossary(tsv)
    assert g.terms[0].variants["en"] == ['"Kaspi" bank']
    assert format_tsv(g).splitlines()[1] == 'kaspi\t"Kaspi" bank\t«Kaspi» банк'
    csv_file = tmp_path / "g.csv"
    csv_file.write_text('id,en,ru\nkaspi,"""Kaspi"" bank","Банк, ""Kaspi"""\n', "utf-8")
    c = load_glossary(csv_file)
    assert (c.terms[0].variants["en"], c.terms[0].variants["ru"]) == (
        ['"Kaspi" bank'],
        ['Банк, "Kaspi"'],
    )


def test_tsv_cell_starting_with_a_quote_is_not_merged_across_tabs():
    g = parse_tsv('en\tru\n"Kaspi\tКаспи"\n', "g.tsv")
    assert g.terms[0].variants == {"en": ['"Kaspi'], "ru": ['Каспи"']}


def test_adjective_column_survives_tsv_tbx_tsv(tmp_path):
    text = "id\ten\tru\tadj:ru\nfrance\tFrance\tФранция\tфранцузский\nuk\tUK\tВеликобритания\t-\n"
    src = tmp_path / "g.tsv"
    src.write_text(text, "utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["glossary", "convert", str(src), "-o", str(tmp_path / "g.tbx")]
        ).exit_code
        == 0
    )
    tbx = (tmp_path / "g.tbx").read_text("utf-8")
    assert '<termNote type="partOfSpeech">adjective</termNote>' in tbx
    assert (
        runner.invoke(
            main, ["glossary", "convert", str(tmp_path / "g.tbx"), "-o", str(tmp_path / "back.tsv")]
        ).exit_code
        == 0
    )
    assert (tmp_path / "back.tsv").read_text("utf-8") == text
    assert load_glossary(src).terms[0].adjectives == {"ru": ["французский"]}
