"""A capitalised source term is a name: "Turkey" is not the bird in "a turkey".

The new-user trial: with the entry Turkey → Туреччина, the FLORES line "no
ancient Roman ever tasted a turkey" ("…куштував індичку.") was reported as
``missing turkey`` because the source matcher ignored case. On the source side a
term written with a capital initial now matches only capitalised words (an
all-caps headline included); a lowercase term, or a title the glossary
capitalises but renders in lower case ("President" → "президент"), matches in any
case, at the start of a sentence too. ``glossary fix`` reads the same check.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from align.cli import main
from align.glossary import Glossary, Term, check_segments, fix_segment
from align.glossary.match import Matcher

BIRD_EN = "no ancient Roman ever tasted a turkey"
BIRD = {
    "uk": "жоден давній римлянин ніколи не куштував індичку.",
    "ru": "ни один древний римлянин никогда не пробовал индейку.",
}

GLOSSARY = Glossary(
    ["en", "uk", "ru"],
    [
        Term(
            "turkey",
            {"en": ["Turkey"], "uk": ["Туреччина"], "ru": ["Турция"]},
            {"uk": ["Турція"], "ru": ["Туркия"]},
        ),
        Term("president", {"en": ["president"], "uk": ["президент"], "ru": ["президент"]}),
        Term("minister", {"en": ["Minister"], "uk": ["міністр"], "ru": ["министр"]}),
    ],
).validate()


def statuses(source: str, target: str, lang: str) -> list[tuple[str, str, str]]:
    return [
        (f.term, f.source, f.status)
        for f in check_segments(GLOSSARY, [source], [target], "en", lang)
    ]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_bird_is_not_the_country(lang):
    assert statuses(BIRD_EN, BIRD[lang], lang) == []
    result = fix_segment(GLOSSARY, BIRD_EN, BIRD[lang], "en", lang)
    assert result.text == BIRD[lang]
    assert result.findings == [] and result.changes == [] and result.declined == []


COUNTRY = [
    ("uk", "Talks in Turkey ended.", "Переговори в Туреччині завершилися."),
    ("uk", "Turkey closed its border.", "Туреччина закрила кордон."),
    ("uk", "TURKEY CLOSES BORDER", "ТУРЕЧЧИНА ЗАКРИВАЄ КОРДОН"),
    ("ru", "Talks in Turkey ended.", "Переговоры в Турции завершились."),
    ("ru", "Turkey closed its border.", "Турция закрыла границу."),
    ("ru", "TURKEY CLOSES BORDER", "ТУРЦИЯ ЗАКРЫВАЕТ ГРАНИЦУ"),
]


@pytest.mark.parametrize(("lang", "source", "target"), COUNTRY)
def test_the_country_is_matched_mid_sentence_at_the_start_and_in_capitals(lang, source, target):
    assert [(t, s) for t, s, _ in statuses(source, target, lang)] == [
        ("turkey", "TURKEY" if source.isupper() else "Turkey")
    ]
    assert statuses(source, target, lang)[0][2] == "ok"
    assert statuses(source, BIRD[lang], lang)[0][2] == "missing"


@pytest.mark.parametrize(
    ("lang", "target", "fixed"),
    [
        ("uk", "Переговори в Турції завершилися.", "Переговори в Туреччині завершилися."),
        ("ru", "Переговоры в Туркии завершились.", "Переговоры в Турции завершились."),
    ],
)
def test_fix_still_repairs_the_country(lang, target, fixed):
    result = fix_segment(GLOSSARY, "Talks in Turkey ended.", target, "en", lang)
    assert result.text == fixed
    assert [f.status for f in result.findings] == ["forbidden"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("President of the council spoke.", "Президент ради виступив."),
        ("The president of the council spoke.", "Президент ради виступив."),
        ("PRESIDENT OF THE COUNCIL SPOKE", "ПРЕЗИДЕНТ РАДИ ВИСТУПИВ"),
    ],
)
def test_a_lowercase_term_matches_in_any_case(source, target):
    assert [(t, st) for t, _, st in statuses(source, target, "uk")] == [("president", "ok")]


def test_a_title_rendered_in_lower_case_is_not_a_name():
    # "Minister" is capitalised in the glossary, but "міністр" shows it is a title.
    assert statuses("The minister of finance spoke.", "Міністр фінансів виступив.", "uk") == [
        ("minister", "minister", "ok")
    ]


def test_matcher_is_case_blind_unless_asked():
    found = [o.text for o in Matcher(GLOSSARY, "en").find(BIRD_EN)]
    assert found == ["turkey"]  # the target side and direct use keep ignoring case
    assert Matcher(GLOSSARY, "en", names=True).find(BIRD_EN) == []
    # Lowercased text (no capital anywhere) says nothing about names.
    lowered = [o.text for o in Matcher(GLOSSARY, "en", names=True).find("talks in turkey ended")]
    assert lowered == ["turkey"]


def test_cli_check_and_fix_on_the_reported_files(tmp_path):
    gloss = tmp_path / "g.tsv"
    gloss.write_text("id\ten\tuk\nturkey\tTurkey\tТуреччина\n", "utf-8")
    src, tgt, out = tmp_path / "en.txt", tmp_path / "uk.txt", tmp_path / "out.txt"
    src.write_text(BIRD_EN + "\nTurkey closed its border.\n", "utf-8")
    tgt.write_text(BIRD["uk"] + "\nКордон закрито.\n", "utf-8")
    args = ["-g", str(gloss), "-s", "en", "-t", "uk", str(src), str(tgt)]
    res = CliRunner().invoke(main, ["glossary", "check", *args])
    assert res.exit_code == 0, res.output
    assert "line 1" not in res.stdout
    assert "line 2: missing   turkey: 'Turkey'" in res.stdout
    assert "1 term occurrences: 0 ok, 0 forbidden, 1 missing" in res.stdout
    res = CliRunner().invoke(main, ["glossary", "fix", *args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text("utf-8").splitlines() == [BIRD["uk"], "Кордон закрито."]
    assert "line 1" not in res.output and "1 missing" in res.output
