"""Ukrainian names in any case, like Russian ones; a term after first names is found.

The new-user trial: on Ukrainian targets ``glossary check`` called the correct
case forms Сирію and Сирії misspelt and the forbidden Ердоґаном "not found"
(Ukrainian had no morphology, only exact matching), while Russian passed; and in
both languages "Recep Tayyip Erdoğan" was no occurrence of the term Erdoğan (any
capitalised word before a term made it "part of a longer name"). Ukrainian now
has pymorphy3's dictionary (pymorphy3-dicts-uk) through the same language table
as Russian.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.glossary import Glossary, Term, check_segments, fix_segment
from align.glossary.morph import INFLECTING, PymorphyMorphology, get_morphology


def term(tid, en, ru, uk, forbidden_ru=(), forbidden_uk=()):  # type: ignore[no-untyped-def]
    forbidden = {"ru": list(forbidden_ru), "uk": list(forbidden_uk)}
    return Term(
        tid, {"en": [en], "ru": [ru], "uk": [uk]}, {k: v for k, v in forbidden.items() if v}
    )


GLOSSARY = Glossary(
    ["en", "ru", "uk"],
    [
        term("syria", "Syria", "Сирия", "Сирія"),
        term("erdogan", "Erdoğan", "Эрдоган", "Ердоган", ["Ердоган"], ["Ердоґан"]),
        term("ukraine", "Ukraine", "Украина", "Україна"),
        term("georgia", "Georgia", "Грузия", "Грузія"),
    ],
).validate()


def statuses(source: str, target: str, lang: str) -> list[tuple[str, str, str | None]]:
    return [
        (f.term, f.status, f.found)
        for f in check_segments(GLOSSARY, [source], [target], "en", lang)
    ]


CASE_FORMS = [
    ("uk", "Syria is at war.", "Сирія воює.", "Сирія"),
    ("uk", "We support Syria.", "Ми підтримуємо Сирію.", "Сирію"),
    ("uk", "The talks on Syria went on.", "Переговори щодо Сирії тривали.", "Сирії"),
    ("uk", "They spoke with Syria.", "Вони говорили із Сирією.", "Сирією"),
    ("ru", "We support Syria.", "Мы поддерживаем Сирию.", "Сирию"),
    ("ru", "The talks on Syria went on.", "Переговоры по Сирии продолжались.", "Сирии"),
    ("ru", "They spoke with Syria.", "Они говорили с Сирией.", "Сирией"),
]


@pytest.mark.parametrize(("lang", "source", "target", "found"), CASE_FORMS)
def test_case_forms_are_admitted(lang, source, target, found):
    assert statuses(source, target, lang) == [("syria", "ok", found)]


@pytest.mark.parametrize(
    ("lang", "target", "found"),
    [
        ("uk", "Він зустрівся з Ердоґаном в Анкарі.", "Ердоґаном"),
        ("uk", "Ердоґан приїхав.", "Ердоґан"),
        ("ru", "Он встретился с Ердоганом в Анкаре.", "Ердоганом"),
    ],
)
def test_a_forbidden_variant_is_forbidden_in_any_case(lang, target, found):
    assert statuses("He met Erdoğan in Ankara.", target, lang) == [("erdogan", "forbidden", found)]


@pytest.mark.parametrize(
    ("lang", "source", "target", "expected"),
    [
        ("uk", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Туреччини Реджеп Тайїп Ердоґан так сказав.", ("forbidden", "Ердоґан")),
        ("uk", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Туреччини Реджеп Тайїп Ердоган так сказав.", ("ok", "Ердоган")),
        ("uk", "Recep Tayyip Erdoğan arrived.", "Реджеп Тайїп Ердоґан прибув.",
         ("forbidden", "Ердоґан")),
        ("ru", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Турции Реджеп Тайип Ердоган так сказал.", ("forbidden", "Ердоган")),
        ("ru", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Турции Реджеп Тайип Эрдоган так сказал.", ("ok", "Эрдоган")),
        ("ru", "They met Recep Tayyip Erdoğan.", "Они встретились с Реджепом Тайипом Ердоганом.",
         ("forbidden", "Ердоганом")),
    ],
)  # fmt: skip
def test_the_term_after_first_names_is_an_occurrence(lang, source, target, expected):
    assert statuses(source, target, lang) == [("erdogan", *expected)]


@pytest.mark.parametrize(
    ("lang", "target"),
    [("uk", "Він поплив до Південної Джорджії."), ("ru", "Он отплыл к Южной Георгии.")],
)
def test_another_names_head_is_not_reported_missing(lang, target):
    # "South Georgia" is not Georgia: a term after capitalised words counts only when rendered.
    assert statuses("He sailed to South Georgia.", target, lang) == []


@pytest.mark.parametrize(
    ("lang", "target"),
    [("uk", "Він поплив до Південної Грузії."), ("ru", "Он отплыл в Южную Грузию.")],
)
def test_a_rendered_term_after_a_capitalised_word_is_checked(lang, target):
    found = "Грузії" if lang == "uk" else "Грузию"
    assert statuses("He sailed to South Georgia.", target, lang) == [("georgia", "ok", found)]


def test_a_term_before_capitalised_words_stays_part_of_a_longer_name():
    # Unchanged: "Syria Democratic Forces" is another name, in any language.
    assert statuses("The Syria Democratic Forces said.", "Сили демократичної Сирії.", "uk") == []


def test_ukrainian_relational_adjective_renders_the_name():
    assert statuses("Ukraine's grain exports rose.", "Український експорт зерна зріс.", "uk") == [
        ("ukraine", "ok", "Український")
    ]


@pytest.mark.parametrize(
    ("lang", "source", "target", "fixed"),
    [
        ("uk", "He met Erdoğan in Ankara.", "Він зустрівся з Ердоґаном в Анкарі.",
         "Він зустрівся з Ердоганом в Анкарі."),
        ("uk", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Туреччини Реджеп Тайїп Ердоґан так сказав.",
         "Президент Туреччини Реджеп Тайїп Ердоган так сказав."),
        ("ru", "Turkish President Recep Tayyip Erdoğan said so.",
         "Президент Турции Реджеп Тайип Ердоган так сказал.",
         "Президент Турции Реджеп Тайип Эрдоган так сказал."),
    ],
)  # fmt: skip
def test_fix_puts_the_admitted_name_in_the_same_case(lang, source, target, fixed):
    assert fix_segment(GLOSSARY, source, target, "en", lang).text == fixed


@pytest.mark.parametrize("code", ["uk", "UK", "uk-UA", "ukr", "ukr_Cyrl"])
def test_ukrainian_morphology_for_every_spelling(code):
    morph = get_morphology(code)
    assert isinstance(morph, PymorphyMorphology) and morph.lang == "uk"
    assert morph.match("Сирія", ["Сиріє"]) is not None  # the vocative is a form too
    assert morph.render("Сирія", frozenset({("gent", "sing")})) == "Сирії"


def test_every_inflecting_language_has_its_dictionary_in_the_dependencies():
    # A fresh clone can install what the table needs: pymorphy3-dicts-<code> for each
    # language, Ukrainian's as the extra align[uk] (which the dev install includes).
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8")
    listed = set(re.findall(r'"pymorphy3-dicts-([a-z]+)[^"]*"', pyproject))
    assert listed == set(INFLECTING) == {"ru", "uk"}
    assert re.search(r'^uk = \["pymorphy3-dicts-uk[^"]*"\]', pyproject, re.M)
    assert '"align[argos,uk]"' in pyproject


def test_without_the_ukrainian_dictionary_terms_match_exactly_with_one_note(monkeypatch, capsys):
    from align.glossary import morph

    monkeypatch.setattr(morph, "dictionary_installed", lambda code: code != "uk")
    monkeypatch.setattr(morph, "_noted", set())
    morph.get_morphology.cache_clear()  # morphologies are cached per language code
    try:
        first, second = morph.get_morphology("uk-UA"), morph.get_morphology("uk")
        ru = morph.get_morphology("ru")
    finally:
        morph.get_morphology.cache_clear()
    assert isinstance(first, morph.ExactMorphology) and isinstance(second, morph.ExactMorphology)
    assert isinstance(ru, morph.PymorphyMorphology), "Russian is not affected"
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "align: note: case forms of 'uk' terms need pymorphy3-dicts-uk "
        "(pip install 'align[uk]'); matching exact forms only"
    ]


TRIAL_SRC = (
    "Syria is at war.\nThe talks on Syria went on.\nHe met Erdoğan in Ankara.\n"
    "Turkish President Recep Tayyip Erdoğan said so.\n"
)
TRIAL = {
    "uk": "Сирія воює.\nПереговори щодо Сирії тривали.\nВін зустрівся з Ердоґаном в Анкарі.\n"
    "Президент Туреччини Реджеп Тайїп Ердоґан так сказав.\n",
    "ru": "Сирия воюет.\nПереговоры по Сирии продолжались.\nОн встретился с Ердоганом в Анкаре.\n"
    "Президент Турции Реджеп Тайип Ердоган так сказал.\n",
}
GLOSSARY_TSV = (
    "id\ten\tru\tuk\tforbidden:ru\tforbidden:uk\n"
    "syria\tSyria\tСирия\tСирія\t\t\n"
    "erdogan\tErdoğan\tЭрдоган\tЕрдоган\tЕрдоган\tЕрдоґан\n"
)


@pytest.mark.parametrize(
    ("lang", "report"),
    [
        ("uk", "line 3: forbidden erdogan: 'Erdoğan' → found forbidden 'Ердоґаном', use 'Ердоган'\n"
               "line 4: forbidden erdogan: 'Erdoğan' → found forbidden 'Ердоґан', use 'Ердоган'\n"
               "4 term occurrences: 2 ok, 2 forbidden, 0 missing\n"),
        ("ru", "line 3: forbidden erdogan: 'Erdoğan' → found forbidden 'Ердоганом', use 'Эрдоган'\n"
               "line 4: forbidden erdogan: 'Erdoğan' → found forbidden 'Ердоган', use 'Эрдоган'\n"
               "4 term occurrences: 2 ok, 2 forbidden, 0 missing\n"),
    ],
)  # fmt: skip
def test_glossary_check_cli_on_the_trial_files(tmp_path, lang, report):
    (tmp_path / "g.tsv").write_text(GLOSSARY_TSV, "utf-8")
    (tmp_path / "en.txt").write_text(TRIAL_SRC, "utf-8")
    (tmp_path / f"{lang}.txt").write_text(TRIAL[lang], "utf-8")
    res = CliRunner().invoke(main, ["glossary", "check", str(tmp_path / "en.txt"),
                                    str(tmp_path / f"{lang}.txt"), "-g", str(tmp_path / "g.tsv"),
                                    "-s", "en", "-t", lang])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.output == report
