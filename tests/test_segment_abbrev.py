"""SRX data for abbreviations before numbers/lower case and for direct speech (issue #11.3-4)."""

from __future__ import annotations

import pytest

from align.text.segment import segment_text

KEEP_TOGETHER = [
    # Russian legal references and units: a digit or a lower-case word follows.
    ("ru", "Согласно ч. 2 ст. 5 договора, стороны несут ответственность."),
    ("ru", "Срок составляет 10 дн. с момента подписания."),
    ("ru", "См. п. 3 и пп. 4–5, гл. 2, разд. 4, с. 15, стр. 20, т. 3."),
    ("ru", "Цена 100 руб. 50 коп. за штуку."),
    ("ru", "Сумма 5 тыс. руб. в месяц и 2 млн. долларов в год."),
    ("ru", "В 1990-х гг. в стране, в XIX в. и в 2020 г. произошло многое."),
    ("ru", "Штраф по ст. 12.8 КоАП составляет 30 тыс. руб. за нарушение."),
    ("ru", "Вес 5 кг. и длина 3 км. указаны в прил. 2 к договору."),
    # English legal/bibliographic references.
    ("en", "Under Art. 12 of the agreement, the parties agree."),
    ("en", "See Sec. 4, No. 5, p. 10, pp. 11-12, vol. 3, ch. 7, para. 2 and fig. 1."),
    ("en", "We bought apples, pears, etc. and then left."),
    ("en", "The rule in s. 12 and ss. 14-16 applies from Jan. 5 onwards."),
    ("en", "The clause (cl. 4, Sch. 1, reg. 7) was amended."),
    # Direct speech: a dash and/or a lower-case word continue the sentence.
    ("ru", "«Порт открыт?» — спросил капитан."),
    ("ru", "«Порт открыт!» — крикнул капитан."),
    ("ru", "«Стоять…» — прошептал он."),
    ("ru", '"Порт открыт?" — спросил капитан.'),
    ("ru", "„Порт открыт?“ — спросил капитан."),
    ("en", '"Is it open?" asked the captain.'),
    ("en", "“Is it open?” asked the captain."),
    ("en", "“Stop!” — he shouted."),
    # siblings in other languages' quoting conventions
    ("fr", "« Le port est ouvert ? » demanda le capitaine."),
    ("fr", "«\u00a0Le port est ouvert\u00a0?\u00a0» demanda le capitaine."),
    ("de", "„Ist der Hafen offen?“ fragte der Kapitän."),
    ("es", "¿Está abierto el puerto? —preguntó el capitán."),
]


@pytest.mark.parametrize(("lang", "sentence"), KEEP_TOGETHER)
def test_no_break_inside(lang, sentence):
    follow = "Никто не ответил." if lang == "ru" else "Nobody answered."
    assert segment_text(f"{sentence} {follow}", lang) == [sentence, follow]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Before a capital, an abbreviation or a quote may still end a sentence.
        ("ru", "Он ушёл в 2020 г. Потом вернулся.", ["Он ушёл в 2020 г.", "Потом вернулся."]),
        ("ru", "Купили 5 кг. Потом ушли.", ["Купили 5 кг.", "Потом ушли."]),
        ("ru", "«Порт открыт?» Никто не ответил.", ["«Порт открыт?»", "Никто не ответил."]),
        ("en", "Read Art. 5. The parties agree.", ["Read Art. 5.", "The parties agree."]),
        ("en", "We sold apples, pears, etc. Then we left.", ["We sold apples, pears, etc.", "Then we left."]),
        ("en", '"Is it open?" Nobody answered.', ['"Is it open?"', "Nobody answered."]),
        ("en", "The port is open. The ship left.", ["The port is open.", "The ship left."]),
    ],
)  # fmt: skip
def test_still_breaks_before_a_capital(lang, text, expected):
    assert segment_text(text, lang) == expected


def test_rules_apply_to_regional_tags():
    text = "Согласно ч. 2 ст. 5 договора. Это важно."
    assert (
        segment_text(text, "ru-RU")
        == segment_text(text, "ru")
        == [
            "Согласно ч. 2 ст. 5 договора.",
            "Это важно.",
        ]
    )
