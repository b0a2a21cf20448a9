"""SRX segmentation: exact sentence boundaries in English and Russian."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from align.cli import main
from align.text.ingest import ingest_text
from align.text.segment import segment_document, segment_text, split_spans

EN_CASES = [
    ("Hello world. This is a test.", ["Hello world.", "This is a test."]),
    ("Is it? Yes! Done.", ["Is it?", "Yes!", "Done."]),
    ("Mr. Smith met Dr. Jones.", ["Mr. Smith met Dr. Jones."]),
    ("A. Petrov arrived. He spoke.", ["A. Petrov arrived.", "He spoke."]),
    ("We met J. R. R. Tolkien once.", ["We met J. R. R. Tolkien once."]),
    ("Prices rose 2.5% in 2024. Then fell.", ["Prices rose 2.5% in 2024.", "Then fell."]),
    ("It cost $3.50 today.", ["It cost $3.50 today."]),
    ("The talks were held on Jan. 5 in Baku.", ["The talks were held on Jan. 5 in Baku."]),
    ("He lives in the U.S. now.", ["He lives in the U.S. now."]),
    ("It was 5 p.m. when he came.", ["It was 5 p.m. when he came."]),
    ('He said: "Stop. Now." Then he left.', ['He said: "Stop. Now."', "Then he left."]),
    (
        "She wrote “Enough. Go home.” and left. Next.",
        ["She wrote “Enough. Go home.” and left.", "Next."],
    ),
    ("Then — quickly — he left. Later, calm.", ["Then — quickly — he left.", "Later, calm."]),
    ("In an interview with News.Az, he spoke.", ["In an interview with News.Az, he spoke."]),
    ("See p. 5 and fig. 3 for details.", ["See p. 5 and fig. 3 for details."]),
    ("Wait... What happened?", ["Wait...", "What happened?"]),
    (
        "On 04.07.2025 the summit opened. It ended.",
        ["On 04.07.2025 the summit opened.", "It ended."],
    ),
    ("Version 3.6 of OmegaT works. Good.", ["Version 3.6 of OmegaT works.", "Good."]),
]

RU_CASES = [
    ("Привет, мир. Это тест.", ["Привет, мир.", "Это тест."]),
    ("Правда? Да! Конечно.", ["Правда?", "Да!", "Конечно."]),
    ("А. Петров прибыл в Баку. Он выступил.", ["А. Петров прибыл в Баку.", "Он выступил."]),
    ("В. В. Путин и И. Алиев встретились.", ["В. В. Путин и И. Алиев встретились."]),
    ("Цена выросла на 2,5 %. Потом упала.", ["Цена выросла на 2,5 %.", "Потом упала."]),
    ("Саммит прошёл 4 июля 2025 г. в Ханкенди.", ["Саммит прошёл 4 июля 2025 г. в Ханкенди."]),
    ("Это было в 2024 г. Потом всё изменилось.", ["Это было в 2024 г.", "Потом всё изменилось."]),
    ("Т. е. всё хорошо. Идём дальше.", ["Т. е. всё хорошо.", "Идём дальше."]),
    ("См. стр. 5 и далее.", ["См. стр. 5 и далее."]),
    ("Были яблоки, груши и т. д. Мы ушли.", ["Были яблоки, груши и т. д.", "Мы ушли."]),
    ("Он приехал в 1990-х гг. и остался.", ["Он приехал в 1990-х гг. и остался."]),
    ("Он сказал: «Стоп. Сейчас». Затем ушёл.", ["Он сказал: «Стоп. Сейчас».", "Затем ушёл."]),
    ("Затем — быстро — ушёл. Позже вернулся.", ["Затем — быстро — ушёл.", "Позже вернулся."]),
    ("Бюджет 1,5 млрд. руб. утверждён.", ["Бюджет 1,5 млрд. руб. утверждён."]),
    ("Интервью News.Az дал эксперт. Он ответил.", ["Интервью News.Az дал эксперт.", "Он ответил."]),
    ("Ждали... Никто не пришёл.", ["Ждали...", "Никто не пришёл."]),
]


@pytest.mark.parametrize(("text", "expected"), EN_CASES)
def test_english_boundaries(text, expected):
    assert segment_text(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), RU_CASES)
def test_russian_boundaries(text, expected):
    assert segment_text(text, "ru") == expected


def test_enough_cases():
    assert len(EN_CASES) + len(RU_CASES) >= 30


def test_segments_never_cross_paragraphs():
    doc = ingest_text("Title\n\nFirst para ends without a stop\n\nsecond para continues. Here.")
    segs = segment_document(doc)
    assert [s.text for s in segs] == [
        "Title",
        "First para ends without a stop",
        "second para continues.",
        "Here.",
    ]
    assert [s.id for s in segs] == ["doc:0:0", "doc:1:0", "doc:2:0", "doc:2:1"]


def test_user_srx_file_replaces_builtin_rules(tmp_path):
    srx = tmp_path / "comma.srx"
    srx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="no"/>
<body><languagerules><languagerule languagerulename="Commas">
<rule break="yes"><beforebreak>,\\s</beforebreak><afterbreak></afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="Commas"/></maprules>
</body></srx>""",
        encoding="utf-8",
    )
    assert segment_text("One, two. Three", "en", srx=str(srx)) == ["One,", "two. Three"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="абвгдеabcde .,!?-«»\"'", min_size=1, max_size=40), max_size=6))
def test_spans_cover_text_in_order(parts):
    text = " ".join(parts)
    spans = split_spans(text, "ru")
    assert all(a < b for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    # Nothing but whitespace is lost between segments.
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "") == text.replace(" ", "").strip()


def test_cli_json_has_ids_and_offsets(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("Heading\n\nOne sentence. Two sentences.", encoding="utf-8")
    out = tmp_path / "doc.json"
    result = CliRunner().invoke(
        main, ["segment", str(src), "-s", "en", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    segs = data["segments"]
    assert [s["id"] for s in segs] == ["doc:0:0", "doc:1:0", "doc:1:1"]
    assert all(data["text"][s["start"] : s["end"]] == s["text"] for s in segs)


# Languages LanguageTool has no rules for: its catch-all breaks only after a
# no-break space, so each of these paragraphs used to come out as one segment.
NO_RULES_OF_THEIR_OWN = {
    "tr": (
        "Toplantı salı günü yapıldı. Bütçe kabul edildi. Kütüphaneler uzun süre açık kalacak.",
        3,
    ),
    "az": (
        "Şura çərşənbə axşamı toplandı. Büdcə qəbul edildi. Kitabxanalar daha çox açıq olacaq.",
        3,
    ),
    "kk": ("Кеңес сейсенбі күні жиналды. Бюджет қабылданды! Кітапханалар ұзақ ашық болады ма?", 3),
    "fi": ("Kokous pidettiin tiistaina. Budjetti hyväksyttiin. Kirjastot ovat auki pidempään.", 3),
    "cs": ("Rada se sešla v úterý. Rozpočet byl schválen. Knihovny budou otevřené déle.", 3),
    "az-Latn-AZ": ("Şura toplandı. Büdcə qəbul edildi.", 2),
}


@pytest.mark.parametrize("lang", sorted(NO_RULES_OF_THEIR_OWN))
def test_languages_without_rules_of_their_own_are_split(lang):
    text, count = NO_RULES_OF_THEIR_OWN[lang]
    got = segment_text(text, lang)
    assert len(got) == count, got
    assert " ".join(got) == text


def test_the_fallback_leaves_languages_with_their_own_rules_alone():
    from align.text.segment import load_rules

    rules = load_rules()
    for lang in ("en", "de", "ru", "uk", "fr", "zh", "en-GB"):
        names = [r.name for r in rules.get_language_rule_list(f"{lang}_one")]
        assert "Generic" not in names, lang
    assert "Generic" in [r.name for r in rules.get_language_rule_list("az_one")]


@pytest.mark.parametrize("lang", ["tr", "az"])
def test_turkic_titles_do_not_end_a_sentence(lang):
    text = "Dr. Ehud Ur konuştu. Prof. Dr. Ayşe Kaya da katıldı."
    assert segment_text(text, lang) == ["Dr. Ehud Ur konuştu.", "Prof. Dr. Ayşe Kaya da katıldı."]
