"""Why a bead is flagged: each reason of align.aligner.flags with the value it must give."""

from __future__ import annotations

import pytest
from review_helpers import GLOSSARY

from align.aligner.flags import Flagger, ScriptCheck, line_spans, unsupported_note, usual_ratio
from align.glossary import load_glossary


def codes(reasons):
    return [r.code for r in reasons]


def test_null_and_low_confidence():
    f = Flagger("en", "ru", review_below=0.5)
    assert codes(f.reasons("Photo: TASS", "", None)) == ["null"]
    assert "no target" in f.reasons("Photo: TASS", "", None)[0].text
    assert "no source" in f.reasons("", "Фото: ТАСС", None)[0].text
    low = f.reasons("It rained all day.", "Шёл дождь весь день.", 0.38)
    assert codes(low) == ["low"]
    assert low[0].text == "low confidence: probability 0.3800 of being right (review below 0.5000)"
    assert f.reasons("It rained all day.", "Шёл дождь весь день.", 0.5) == []
    assert f.reasons("It rained all day.", "Шёл дождь весь день.", None) == []  # regrouped
    near = Flagger("en", "ru", review_below=0.9986).reasons("It rained.", "Шёл дождь.", 0.9985)
    assert near[0].text.endswith("probability 0.9985 of being right (review below 0.9986)"), (
        "a score just under the threshold must not read as equal to it"
    )


def test_default_threshold_is_the_aligners_calibrated_one():
    from align.aligner.calibration import load

    cal = load()
    assert Flagger("en", "ru").review_below == cal.threshold(False)
    assert Flagger("en", "az").review_below == cal.threshold(True)


def test_length_against_the_documents_usual_ratio():
    pairs = [("a" * 40, "б" * 50)] * 9
    ratio = usual_ratio(pairs)
    assert ratio == pytest.approx(1.25)
    f = Flagger("en", "ru", ratio, review_below=0.5)
    src = "The talks continue today in the capital."
    assert f.reasons(src, "Переговоры продолжаются сегодня в столице.", 0.9) == []
    long = f.reasons(src, "Переговоры продолжаются. " * 6, 0.9)
    assert codes(long) == ["length"] and "the target is" in long[0].text
    short = f.reasons(src * 4, "Да.", 0.9)
    assert codes(short) == ["length"] and "the source is" in short[0].text
    assert f.reasons("Yes.", "Да, конечно.", 0.9) == []  # too short to tell


def test_language_script_mismatch():
    f = Flagger("en", "ru", review_below=0.5)
    r = f.reasons("The talks continue.", "The talks continue in the capital today.", 0.9)
    assert codes(r) == ["language"] and "target is mostly not in Cyrillic" in r[0].text
    assert f.reasons("The talks continue.", "Переговоры с NATO и OSCE продолжаются.", 0.9) == []
    assert not ScriptCheck("en").mismatch("Türkiye and Azərbaycan agreed on it.")
    assert ScriptCheck("en").mismatch("Переговоры продолжаются в столице.")
    assert not ScriptCheck("ja").mismatch("anything")  # no script table: never flagged


def test_unsupported_language():
    assert unsupported_note("en", "ru") is None
    assert "hy" in unsupported_note("en", "hy")
    f = Flagger("en", "hy", review_below=0.5)
    r = f.reasons("The talks continue.", "Բանակցությունները շարունակվում են։", 0.7)
    assert codes(r) == ["unsupported"] and "not trained on hy" in r[0].text
    assert f.reasons("The talks continue.", "Բանակցությունները շարունակվում են։", 0.9) == []
    assert (
        codes(Flagger("en-US", "ru-RU", review_below=0.5).reasons("The talks.", "Переговоры.", 0.7))
        == []
    )


def test_glossary_problems_target_only():
    f = Flagger("en", "ru", glossary=load_glossary(GLOSSARY), review_below=0.5)
    marks = f.glossary("The summit took place in Khankendi.", "Саммит прошёл в Степанакерте.")
    assert marks.fixable
    assert [s[2] for s in marks.tgt] == ["forbidden"] and len(marks.src) == 1
    r = f.reasons(
        "The summit took place in Khankendi.", "Саммит прошёл в Степанакерте.", 0.9, marks
    )
    assert codes(r) == ["glossary"]
    assert (
        r[0].text
        == "glossary: “Степанакерте” is a forbidden rendering of Khankendi; use “Ханкенди”"
    )
    ok = f.glossary("The summit took place in Khankendi.", "Саммит прошёл в Ханкенди.")
    assert not ok.problems and not ok.fixable and [s[2] for s in ok.tgt] == ["ok"]


def test_line_spans_split_at_line_boundaries():
    texts = ["Саммит прошёл.", "В Ханкенди."]
    joined = " ".join(texts)
    start = joined.index("Ханкенди")
    assert line_spans(texts, [(start, start + 8, "ok")]) == [[1, 2, 10, "ok"]]
    assert line_spans(texts, [(10, 17)]) == [[0, 10, 14], [1, 0, 2]]
