"""Check and fix across Russian cases and number, on the interview glossary.

Each class of term (one word, adjective + noun, name + surname, noun + genitive
dependent, indeclinable) appears in all six cases and, where Russian allows it,
in the plural: correct inflections must come back ``ok`` (no false positives),
and forbidden or misspelt renderings must be fixed into the same case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.glossary import check_segments, fix_segment, load_glossary
from align.glossary.morph import RussianMorphology
from align.glossary.text import words

GLOSSARY = Path(__file__).resolve().parent.parent / "glossaries" / "interview.tsv"


@pytest.fixture(scope="module")
def gloss():
    return load_glossary(GLOSSARY)


def statuses(gloss, source: str, target: str) -> list[tuple[str, str]]:
    return [(f.term, f.status) for f in check_segments(gloss, [source], [target], "en", "ru")]


# (English source, correct Russian target, term id) — every case, every class.
CORRECT = [
    # one word
    ("Zangazur is a historical region.", "Зангезур — исторический регион.", "zangazur"),
    ("The history of Zangazur is long.", "История Зангезура долгая.", "zangazur"),
    ("Roads lead to Zangazur.", "Дороги ведут к Зангезуру.", "zangazur"),
    ("They visited Zangazur.", "Они посетили Зангезур.", "zangazur"),
    ("Trade with Zangazur grows.", "Торговля с Зангезуром растёт.", "zangazur"),
    ("Forums are held in Zangazur.", "Форумы проходят в Зангезуре.", "zangazur"),
    ("Presidents met.", "Президенты встретились.", "president"),
    ("A meeting of presidents.", "Встреча президентов.", "president"),
    ("He wrote to the presidents.", "Он написал президентам.", "president"),
    ("He spoke with the presidents.", "Он говорил с президентами.", "president"),
    ("The Prime Minister spoke.", "Выступил премьер-министр.", "prime-minister"),
    ("He met the Prime Minister.", "Он встретился с премьер-министром.", "prime-minister"),
    # adjective + noun
    ("Eastern Zangazur is a region.", "Восточный Зангезур — регион.", "eastern-zangazur"),
    ("Towns of Eastern Zangazur.", "Города Восточного Зангезура.", "eastern-zangazur"),
    ("Aid to Eastern Zangazur.", "Помощь Восточному Зангезуру.", "eastern-zangazur"),
    (
        "They rebuild Eastern Zangazur.",
        "Они восстанавливают Восточный Зангезур.",
        "eastern-zangazur",
    ),
    ("Links with Eastern Zangazur.", "Связи с Восточным Зангезуром.", "eastern-zangazur"),
    ("Forums in Eastern Zangazur.", "Форумы в Восточном Зангезуре.", "eastern-zangazur"),
    (
        "He met the Prosecutor General.",
        "Он встретился с генеральным прокурором.",
        "prosecutor-general",
    ),
    ("Prosecutors General met.", "Встретились генеральные прокуроры.", "prosecutor-general"),
    ("The South Caucasus.", "О Южном Кавказе.", "south-caucasus"),
    # name + surname
    ("Ilham Aliyev said.", "Ильхам Алиев заявил.", "ilham-aliyev"),
    ("A statement by Ilham Aliyev.", "Заявление Ильхама Алиева.", "ilham-aliyev"),
    ("A letter to Ilham Aliyev.", "Письмо Ильхаму Алиеву.", "ilham-aliyev"),
    ("They support Ilham Aliyev.", "Они поддерживают Ильхама Алиева.", "ilham-aliyev"),
    ("A talk with Ilham Aliyev.", "Беседа с Ильхамом Алиевым.", "ilham-aliyev"),
    ("A book about Ilham Aliyev.", "Книга об Ильхаме Алиеве.", "ilham-aliyev"),
    ("Maria Zakharova said.", "Мария Захарова заявила.", "maria-zakharova"),
    ("Words of Maria Zakharova.", "Слова Марии Захаровой.", "maria-zakharova"),
    ("They asked Maria Zakharova.", "Они спросили Марию Захарову.", "maria-zakharova"),
    ("A talk with Maria Zakharova.", "Беседа с Марией Захаровой.", "maria-zakharova"),
    ("Nikol Pashinyan was criticised.", "Никола Пашиняна критиковали.", "nikol-pashinyan"),
    ("Support for Samvel Karapetyan.", "Поддержка Самвелу Карапетяну.", "samvel-karapetyan"),
    # noun + genitive dependent
    ("Vestnik Kavkaza reports.", "«Вестник Кавказа» сообщает.", "vestnik-kavkaza"),
    ("An expert of Vestnik Kavkaza.", "Эксперт «Вестника Кавказа».", "vestnik-kavkaza"),
    ("He told Vestnik Kavkaza.", "Он рассказал «Вестнику Кавказа».", "vestnik-kavkaza"),
    ("He reads Vestnik Kavkaza.", "Он читает «Вестник Кавказа».", "vestnik-kavkaza"),
    ("He works with Vestnik Kavkaza.", "Он работает с «Вестником Кавказа».", "vestnik-kavkaza"),
    ("It was in Vestnik Kavkaza.", "Это было в «Вестнике Кавказа».", "vestnik-kavkaza"),
    (
        "A summit of the Economic Cooperation Organization.",
        "Саммит Организации экономического сотрудничества.",
        "eco-full",
    ),
    (
        "He joined the Non-Aligned Movement.",
        "Он вступил в Движение неприсоединения.",
        "non-aligned-movement",
    ),
    # indeclinable
    ("Khankendi is a city.", "Ханкенди — город.", "khankendi"),
    ("He came from Khankendi.", "Он приехал из Ханкенди.", "khankendi"),
    ("Roads to Khankendi.", "Дороги к Ханкенди.", "khankendi"),
    ("They saw Khankendi.", "Они увидели Ханкенди.", "khankendi"),
    ("Proud of Khankendi.", "Гордятся Ханкенди.", "khankendi"),
    ("The summit in Khankendi.", "Саммит в Ханкенди.", "khankendi"),
    ("The ECO summit.", "Саммит ОЭС.", "eco"),
    ("Between Baku and Moscow.", "Между Баку и Москвой.", "baku"),
    ("The AZAL plane crash.", "Крушение самолета AZAL.", "azal"),
]


@pytest.mark.parametrize(("source", "target", "term"), CORRECT)
def test_correct_inflections_are_ok(gloss, source, target, term):
    found = statuses(gloss, source, target)
    assert (term, "ok") in found
    assert all(status == "ok" for _, status in found), found


# (English source, Russian target with a wrong rendering, term, fixed target).
FIXES = [
    # one word: misspelling found by similarity, and an explicitly forbidden one
    ("Zangazur is old.", "Зангизур — древний.", "zangazur", "Зангезур — древний."),
    ("History of Zangazur.", "История Зангизура.", "zangazur", "История Зангезура."),
    ("Roads to Zangazur.", "Дороги к Зангазуру.", "zangazur", "Дороги к Зангезуру."),
    ("They saw Zangazur.", "Они увидели Зангазур.", "zangazur", "Они увидели Зангезур."),
    ("Trade with Zangazur.", "Торговля с Зангазуром.", "zangazur", "Торговля с Зангезуром."),
    ("Forums in Zangazur.", "Форумы в Зангазуре.", "zangazur", "Форумы в Зангезуре."),
    ("Erdoğan said.", "Эрдоджан заявил.", "erdogan", "Эрдоган заявил."),
    ("Erdoğan's call.", "Призыв Эрдоджана.", "erdogan", "Призыв Эрдогана."),
    ("With Erdoğan.", "С Эрдоджаном.", "erdogan", "С Эрдоганом."),
    ("Karabakh.", "В Арцахе.", "karabakh", "В Карабахе."),
    # adjective + noun
    ("Eastern Zangazur.", "Восточный Зангазур.", "eastern-zangazur", "Восточный Зангезур."),
    (
        "Towns of Eastern Zangazur.",
        "Города Восточного Зангазура.",
        "eastern-zangazur",
        "Города Восточного Зангезура.",
    ),
    (
        "Aid to Eastern Zangazur.",
        "Помощь Восточному Зангазуру.",
        "eastern-zangazur",
        "Помощь Восточному Зангезуру.",
    ),
    (
        "With Eastern Zangazur.",
        "С Восточным Зангазуром.",
        "eastern-zangazur",
        "С Восточным Зангезуром.",
    ),
    (
        "In Eastern Zangazur.",
        "В Восточном Зангазуре.",
        "eastern-zangazur",
        "В Восточном Зангезуре.",
    ),
    ("The South Caucasus.", "Закавказье сегодня.", "south-caucasus", "Южный Кавказ сегодня."),
    ("In the South Caucasus.", "В Закавказье.", "south-caucasus", "В Южном Кавказе."),
    # name + surname
    ("Ilham Aliyev.", "Илхам Алиев заявил.", "ilham-aliyev", "Ильхам Алиев заявил."),
    ("By Ilham Aliyev.", "Слова Илхама Алиева.", "ilham-aliyev", "Слова Ильхама Алиева."),
    ("To Ilham Aliyev.", "Письмо Илхаму Алиеву.", "ilham-aliyev", "Письмо Ильхаму Алиеву."),
    ("With Ilham Aliyev.", "С Илхамом Алиевым.", "ilham-aliyev", "С Ильхамом Алиевым."),
    ("About Ilham Aliyev.", "Об Илхаме Алиеве.", "ilham-aliyev", "Об Ильхаме Алиеве."),
    (
        "Nikol Pashinyan.",
        "Критика Никола Пашиньяна.",
        "nikol-pashinyan",
        "Критика Никола Пашиняна.",
    ),
    (
        "Recep Tayyip Erdoğan.",
        "С Рецепом Тайипом Эрдоганом.",
        "recep-tayyip-erdogan",
        "С Реджепом Тайипом Эрдоганом.",
    ),
    # noun + genitive dependent (the dependent stays in the genitive)
    (
        "Vestnik Kavkaza.",
        "«Кавказский вестник» пишет.",
        "vestnik-kavkaza",
        "«Вестник Кавказа» пишет.",
    ),
    (
        "Of Vestnik Kavkaza.",
        "Эксперт «Кавказского вестника».",
        "vestnik-kavkaza",
        "Эксперт «Вестника Кавказа».",
    ),
    (
        "To Vestnik Kavkaza.",
        "Интервью «Кавказскому вестнику».",
        "vestnik-kavkaza",
        "Интервью «Вестнику Кавказа».",
    ),
    (
        "With Vestnik Kavkaza.",
        "С «Кавказским вестником».",
        "vestnik-kavkaza",
        "С «Вестником Кавказа».",
    ),
    ("In Vestnik Kavkaza.", "В «Кавказском вестнике».", "vestnik-kavkaza", "В «Вестнике Кавказа»."),
    (
        "The Non-Aligned Movement.",
        "Неприсоединившееся движение выросло.",
        "non-aligned-movement",
        "Движение неприсоединения выросло.",
    ),
    (
        "Of the Non-Aligned Movement.",
        "Члены Неприсоединившегося движения.",
        "non-aligned-movement",
        "Члены Движения неприсоединения.",
    ),
    # indeclinable replacement: the case lives in the context, the word stays
    ("Khankendi.", "Степанакерт — город.", "khankendi", "Ханкенди — город."),
    ("From Khankendi.", "Из Степанакерта.", "khankendi", "Из Ханкенди."),
    ("To Khankendi.", "К Степанакерту.", "khankendi", "К Ханкенди."),
    ("Over Khankendi.", "Над Степанакертом.", "khankendi", "Над Ханкенди."),
    ("In Khankendi.", "В Степанакерте.", "khankendi", "В Ханкенди."),
    ("The ECO summit.", "Саммит ЭКО.", "eco", "Саммит ОЭС."),
]


@pytest.mark.parametrize(("source", "target", "term", "fixed"), FIXES)
def test_fix_restores_the_form(gloss, source, target, term, fixed):
    before = statuses(gloss, source, target)
    assert any(t == term and s != "ok" for t, s in before), before
    result = fix_segment(gloss, source, target, "en", "ru")
    assert result.text == fixed
    assert [c.term for c in result.changes] == [term]
    change = result.changes[0]
    assert target[change.span[0] : change.span[1]] == change.before
    # After the fix the term checks as ok.
    assert (term, "ok") in statuses(gloss, source, result.text)


def test_misspelling_is_reported_as_missing_with_the_near_miss(gloss):
    [finding] = check_segments(gloss, ["In Zangazur."], ["В Зангизуре."], "en", "ru")
    assert (finding.status, finding.found, finding.detail) == ("missing", "Зангизуре", "misspelled")
    assert finding.target_span == (2, 11)


@pytest.mark.parametrize(
    ("phrase", "words", "form"),
    [
        ("Зангезур", ["Зангезуры"], ("nomn", "plur")),
        ("Зангезур", ["Зангезурами"], ("ablt", "plur")),
        ("генеральный прокурор", ["генеральных", "прокуроров"], ("gent", "plur")),
        ("генеральный прокурор", ["генеральным", "прокурорам"], ("datv", "plur")),
        ("Ильхам Алиев", ["Ильхамами", "Алиевыми"], ("ablt", "plur")),
        ("Вестник Кавказа", ["Вестниках", "Кавказа"], ("loct", "plur")),
        ("Ханкенди", ["Ханкенди"], ("gent", "plur")),
    ],
)
def test_plural_forms_match(phrase, words, form):
    forms = RussianMorphology().match(phrase, words)
    assert forms is not None and form in forms


@pytest.mark.parametrize(
    ("phrase", "form", "expected"),
    [
        ("Восточный Зангезур", ("gent", "plur"), "Восточных Зангезуров"),
        ("генеральный прокурор", ("ablt", "plur"), "генеральными прокурорами"),
        ("Вестник Кавказа", ("datv", "plur"), "Вестникам Кавказа"),
        ("Мария Захарова", ("gent", "plur"), "Марий Захаровых"),
        ("Ханкенди", ("loct", "plur"), "Ханкенди"),
        ("ОЭС", ("ablt", "sing"), "ОЭС"),
        ("Армянская апостольская церковь", ("accs", "sing"), "Армянскую апостольскую церковь"),
        ("Гарегин II", ("accs", "sing"), "Гарегина II"),
        ("глава МЧС", ("ablt", "sing"), "главой МЧС"),
        ("премьер-министр", ("loct", "sing"), "премьер-министре"),
        ("Министерство обороны", ("ablt", "sing"), "Министерством обороны"),
        ("Совет безопасности", ("gent", "sing"), "Совета безопасности"),
        ("Государственная дума", ("loct", "sing"), "Государственной думе"),
        ("Азербайджанские авиалинии", ("gent", "sing"), "Азербайджанских авиалиний"),
        ("Афины", ("accs", "sing"), "Афины"),
        ("Афины", ("loct", "sing"), "Афинах"),
        ("Тюркие", ("gent", "sing"), "Тюркие"),  # unknown, ends in -е: indeclinable
        ("Ньюс.Аз", ("datv", "sing"), "Ньюс.Аз"),
        (
            "Организация экономического сотрудничества",
            ("ablt", "sing"),
            "Организацией экономического сотрудничества",
        ),
    ],
)
def test_render(phrase, form, expected):
    assert RussianMorphology().render(phrase, frozenset({form})) == expected


@pytest.mark.parametrize(
    ("target", "absent"),
    [
        ("Алиева здесь нет.", "ilham-aliyev"),  # surname alone is not the full name
        ("Кавказ велик.", "vestnik-kavkaza"),
    ],
)
def test_no_match_on_other_words(gloss, target, absent):
    from align.glossary.match import Matcher

    found = Matcher(gloss, "ru").find(target, kinds=("admitted", "forbidden"))
    assert absent not in {o.term for o in found}


def test_zangezur_parse_is_chosen_to_fit_the_base_form():
    # pymorphy3's only reading of "Зангезур" is a genitive plural of a feminine noun;
    # the glossary base form is nominative singular masculine, and that is what we decline.
    morph = RussianMorphology()
    assert morph.match("Зангезур", ["Зангезур"]) >= {("nomn", "sing")}
    assert morph.render("Зангезур", frozenset({("gent", "sing")})) == "Зангезура"


_filler = st.text(alphabet=st.sampled_from(list("абвгдежзиклмнопрстуфхя ,.!?")), max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    prefix=_filler,
    suffix=_filler,
    case=st.sampled_from(
        [
            ("In Khankendi.", "Степанакерте", "khankendi"),
            ("Vestnik Kavkaza.", "Кавказского вестника", "vestnik-kavkaza"),
            ("Eastern Zangazur.", "Восточном Зангазуре", "eastern-zangazur"),
            ("Ilham Aliyev.", "Илхамом Алиевым", "ilham-aliyev"),
        ]
    ),
)
def test_fix_touches_only_the_span_and_is_idempotent(gloss, prefix, suffix, case):
    source, wrong, term = case
    target = f"{prefix} {wrong} {suffix}"
    result = fix_segment(gloss, source, target, "en", "ru")
    [change] = result.changes
    a, b = change.span
    assert target[:a] == result.text[:a]
    assert target[b:] == result.text[a + len(change.after) :]
    assert (term, "ok") in statuses(gloss, source, result.text)
    again = fix_segment(gloss, source, result.text, "en", "ru")
    assert again.changes == [] and again.text == result.text


def test_every_russian_rendering_declines_and_matches_itself(gloss):
    """For each Russian phrase of the glossary, every rendered case is recognised again."""
    morph = RussianMorphology()
    problems = []
    for term in gloss.terms:
        for phrase in term.admitted("ru") + term.banned("ru"):
            if morph.render(phrase, frozenset({("nomn", "sing")})) != phrase:
                problems.append((phrase, "nomn"))
            for case in ("gent", "datv", "accs", "ablt", "loct"):
                surface = morph.render(phrase, frozenset({(case, "sing")}))
                forms = morph.match(phrase, words(surface))
                if forms is None or (case, "sing") not in forms:
                    problems.append((phrase, case, surface))
    assert problems == []
