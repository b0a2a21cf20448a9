"""``align align``: formats, batch mode, cache, bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from align.aligner import calibration
from align.aligner.beadio import parse_vecalign
from align.cli import main

EN = "The museum opens at 10 a.m.\nShare this page\nTickets cost 15 euros. Children enter for free.\nThank you!\n"
RU = "Музей открывается в 10 утра.\nБилеты стоят 15 евро.\nДети проходят бесплатно.\nСпасибо!\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.en").write_text(EN, encoding="utf-8")
    (tmp_path / "a.ru").write_text(RU, encoding="utf-8")
    return tmp_path


def run(*args):
    result = CliRunner().invoke(main, ["align", *map(str, args)])
    return result


EXPECTED = [((0,), (0,)), ((1,), ()), ((2,), (1, 2)), ((3,), (3,))]


def test_vecalign_to_stdout(files):
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru")
    assert res.exit_code == 0, res.output
    beads = parse_vecalign(res.stdout)
    assert [(b.src, b.tgt) for b in beads] == EXPECTED


def test_jsonl_and_tsv(files):
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-o", files / "out.jsonl")
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in (files / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs] == [(list(s), list(t)) for s, t in EXPECTED]
    assert recs[2]["tgt_text"] == "Билеты стоят 15 евро. Дети проходят бесплатно."
    assert recs[2]["kind"] == "1-2" and recs[1]["kind"] == "1-0" and recs[1]["tgt_text"] == ""
    threshold = calibration.load().review_below  # covered languages
    for r in recs:  # the flag is the calibrated rule (scores are written to 4 decimals)
        assert isinstance(r["review"], bool)
        if abs(r["score"] - threshold) > 1e-4:
            assert r["review"] == (r["score"] < threshold), r
    assert set(recs[0]) == {"src", "tgt", "src_text", "tgt_text", "score", "review", "kind"}
    res = run(
        files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-f", "tsv", "-o", files / "o.txt"
    )
    rows = [r.split("\t") for r in (files / "o.txt").read_text(encoding="utf-8").splitlines()]
    assert rows[1][:2] == ["Share this page", ""] and len(rows) == 4
    assert 0.0 <= float(rows[0][2]) <= 1.0


def test_tmx(files):
    pytest.importorskip("align.tmx")
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-o", files / "out.tmx")
    assert res.exit_code == 0, res.output
    from align.tmx import read_tmx

    text = (files / "out.tmx").read_text(encoding="utf-8")
    assert "Share this page" not in text  # null beads are not translation units
    assert "1 unmatched left out of the TMX" in res.stderr, "and the summary says so"
    assert 'type="x-bead">1-2<' in text
    assert read_tmx is not None
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-f", "tmx")
    assert res.exit_code == 2 and "needs an output file" in res.output


def test_batch_one_process_many_pairs(files):
    (files / "b.en").write_text("Good morning.\nSee you tomorrow.\n", encoding="utf-8")
    (files / "b.ru").write_text("Доброе утро.\nДо завтра.\n", encoding="utf-8")
    (files / "pairs.tsv").write_text(
        "a.en\ta.ru\tout/a.align\n# comment\nb.en\tb.ru\tout/b.jsonl\n", encoding="utf-8"
    )
    res = run("--batch", files / "pairs.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 0, res.output
    a = parse_vecalign((files / "out/a.align").read_text(encoding="utf-8"))
    assert [(x.src, x.tgt) for x in a] == EXPECTED
    b = [json.loads(x) for x in (files / "out/b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in b] == [([0], [0]), ([1], [1])]
    # each pair's beads and flags, then the batch's totals (they agree with the outputs)
    flagged_b = sum(r["review"] for r in b)
    lines = res.stderr.splitlines()
    (line_b,) = [x for x in lines if x.startswith(f"{files / 'out/b.jsonl'}: ")]
    assert line_b.endswith(f"2 beads (1-1: 2); {flagged_b} flagged for review")
    (line_a,) = [x for x in lines if x.startswith(f"{files / 'out/a.align'}: ")]
    flagged_a = int(line_a.split("; ")[1].split()[0])
    assert lines[-1] == (
        f"aligned 2 of 2 pairs; {flagged_a + flagged_b} of 6 beads flagged for review"
    )


def test_batch_keeps_going_after_a_bad_pair(files):
    (files / "pairs.tsv").write_text(
        "missing.en\ta.ru\tx.align\na.en\ta.ru\ty.align\n", encoding="utf-8"
    )
    res = run("--batch", files / "pairs.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert "missing.en: no such file" in res.output
    assert f"align: error: {files / 'pairs.tsv'} line 1: " in res.output, "where in the batch"
    assert (files / "y.align").exists() and not (files / "x.align").exists()


def test_second_run_uses_the_cache(files):
    run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru")
    db = files / "cache" / "embeddings.sqlite"
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM emb").fetchone()[0]
    assert rows >= 8
    (files / "a.en").write_text(EN + "One more line.\n", encoding="utf-8")
    run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru")
    after = sqlite3.connect(db).execute("SELECT COUNT(*) FROM emb").fetchone()[0]
    # the new line and the few spans joining it to its neighbours, never the document again
    assert rows < after <= rows + 4 < 2 * rows


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        (b"ok line\nbad \x00 byte\n", "looks like binary data, not text (line 2 has a NUL byte)"),
        (
            b"\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12",
            "looks like binary",
        ),
    ],
)
def test_bad_input_is_one_clear_error(files, content, message):
    (files / "bad.txt").write_bytes(content)
    res = run(files / "bad.txt", files / "a.ru", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert f"bad.txt: {message}" in res.output
    assert "Traceback" not in res.output


def test_bad_language_code_and_usage(files):
    res = run(files / "a.en", files / "a.ru", "-s", "english!", "-t", "ru")
    assert res.exit_code == 2 and "not a BCP 47 language tag" in res.output
    res = run(files / "a.en", "-s", "en", "-t", "ru")
    assert res.exit_code == 2 and "SRC and TGT" in res.output


def test_glossary_option(files):
    pytest.importorskip("align.glossary")
    (files / "terms.tsv").write_text("en\tru\nticket\tбилет\nmuseum\tмузей\n", encoding="utf-8")
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-g", files / "terms.tsv")
    assert res.exit_code == 0, res.output
    assert [(b.src, b.tgt) for b in parse_vecalign(res.stdout)] == EXPECTED


def test_segment_raw_documents(files):
    pytest.importorskip("align.text.segment")
    (files / "doc.en").write_text(
        "Museum guide\n\nThe museum opens at 10 a.m. Tickets cost 15 euros.\n\n"
        "Children enter for free. Thank you for visiting!\n",
        encoding="utf-8",
    )
    (files / "doc.ru").write_text(
        "Путеводитель по музею\n\nМузей открывается в 10 утра. Билеты стоят 15 евро.\n\n"
        "Дети проходят бесплатно. Спасибо за визит!\n",
        encoding="utf-8",
    )
    res = run(
        files / "doc.en", files / "doc.ru", "-s", "en", "-t", "ru", "--segment", "-f", "jsonl"
    )
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in res.stdout.splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs] == [([k], [k]) for k in range(5)]
    assert recs[1]["src_text"] == "The museum opens at 10 a.m."


def test_swapped_languages_warn_but_still_align(files):
    res = run(files / "a.ru", files / "a.en", "-s", "en", "-t", "ru")
    assert res.exit_code == 0
    assert "a.ru: --src-lang en but the text is mostly Cyrillic script" in res.stderr
    beads = parse_vecalign(res.stdout)
    assert [(b.tgt, b.src) for b in beads] == EXPECTED


def test_uncovered_language_warns_once_per_run(files, monkeypatch):
    from align.aligner import languages

    monkeypatch.setattr(languages, "_warned", set())
    (files / "a.az").write_text(
        "Muzey səhər saat 10-da açılır.\nBiletlər 15 avroya başa gəlir.\n", encoding="utf-8"
    )
    (files / "b.en").write_text("The museum opens at 10 a.m.\nTickets cost 15 euros.\n")
    (files / "pairs.tsv").write_text("b.en\ta.az\tx.jsonl\nb.en\ta.az\ty.jsonl\n", encoding="utf-8")
    res = run("--batch", files / "pairs.tsv", "-s", "en", "-t", "az")
    assert res.exit_code == 0, res.output
    assert res.stderr.count("was not trained on 'az'") == 1
    recs = [json.loads(x) for x in (files / "x.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs] == [([0], [0]), ([1], [1])]
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru")
    assert "not trained" not in res.stderr


def test_both_sides_from_standard_input_is_refused(files):
    res = CliRunner().invoke(main, ["align", "-", "-", "-s", "en", "-t", "ru"], input=EN)
    assert res.exit_code == 2 and "cannot both be standard input" in res.output


def test_output_option_with_batch_is_refused_not_ignored(files):
    (files / "pairs.tsv").write_text("a.en\ta.ru\tout.tsv\n", encoding="utf-8")
    res = run("--batch", files / "pairs.tsv", "-s", "en", "-t", "ru", "-o", files / "x.tmx")
    assert res.exit_code == 2 and "batch file names each output" in res.output
    assert not (files / "x.tmx").exists() and not (files / "out.tsv").exists()


def test_a_format_that_contradicts_the_extension_is_written_with_a_warning(files):
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-f", "tsv",
              "-o", files / "o.tmx")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "o.tmx: writing tsv, although the extension says tmx" in res.stderr
    assert (files / "o.tmx").read_text(encoding="utf-8").count("\t") == 12  # 4 columns
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", "ru", "-o", files / "o2.tmx")
    assert "although" not in res.stderr, "no warning when the format comes from the extension"


def test_a_batch_output_whose_extension_contradicts_the_format_is_warned_with_its_line(files):
    (files / "pairs.tsv").write_text("a.en\ta.ru\tout.jsonl\na.en\ta.ru\tout.tsv\n")
    res = run("--batch", files / "pairs.tsv", "-s", "en", "-t", "ru", "-f", "tsv")
    assert res.exit_code == 0, res.output
    warned = [ln for ln in res.stderr.splitlines() if "although" in ln]
    assert warned == [
        f"align: warning: {files / 'pairs.tsv'} line 1: {files / 'out.jsonl'}: writing tsv, "
        "although the extension says jsonl"
    ]
    assert (files / "out.jsonl").read_text(encoding="utf-8").count("\t") == 12  # tsv inside


@pytest.mark.parametrize("tgt_lang", ["zho_Hans", "zh-Hans", "sr-Latn", "az-Latn"])
def test_script_warning_for_every_spelling_and_script_subtag(files, tgt_lang):
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", tgt_lang)
    assert res.exit_code == 0, res.output
    assert "a.ru: --tgt-lang" in res.stderr and "mostly Cyrillic script" in res.stderr


@pytest.mark.parametrize("tgt_lang", ["ru-RU", "rus_Cyrl", "sr-Cyrl", "az-Cyrl"])
def test_no_script_warning_when_the_script_fits(files, tgt_lang):
    res = run(files / "a.en", files / "a.ru", "-s", "en", "-t", tgt_lang)
    assert res.exit_code == 0, res.output
    assert "mostly" not in res.stderr  # the script warning's words (the path says "script")


# Our own sentences (not from a corpus), four lines per language.
_TEXTS = {
    "en": [
        "The new bridge over the river opened to traffic on Monday morning.",
        "City officials said the work had taken almost three years.",
        "Local shops expect more customers now that the road is shorter.",
        "A small ceremony was held for the workers and their families.",
    ],
    "az": [
        "Çayın üzərindəki yeni körpü bazar ertəsi səhər nəqliyyatın hərəkətinə açıldı.",
        "Şəhər rəsmiləri bildiriblər ki, işlər təxminən üç il çəkib.",
        "Yerli mağazalar yol qısaldığı üçün daha çox müştəri gözləyirlər.",
        "İşçilər və onların ailələri üçün kiçik mərasim keçirildi.",
    ],
    "uk": [
        "Новий міст через річку відкрили для руху в понеділок вранці.",
        "Міські посадовці повідомили, що роботи тривали майже три роки.",
        "Місцеві крамниці чекають більше покупців, бо дорога стала коротшою.",
        "Для робітників та їхніх родин влаштували невелику урочистість.",
    ],
    "tr": [
        "Nehir üzerindeki yeni köprü pazartesi sabahı trafiğe açıldı.",
        "Şehir yetkilileri çalışmaların yaklaşık üç yıl sürdüğünü söyledi.",
        "Yerel dükkânlar yol kısaldığı için daha fazla müşteri bekliyor.",
        "İşçiler ve aileleri için küçük bir tören düzenlendi.",
    ],
}


@pytest.mark.parametrize(
    ("text", "given", "warned"),
    [
        ("az", "tr", "reads as az"),  # Azerbaijani given as Turkish
        ("uk", "ru", "reads as uk"),  # Ukrainian given as Russian
        ("tr", "tr", None),
        ("az", "az", None),
        ("en", "en-GB", None),  # a variant of the same language
    ],
)
def test_a_language_code_the_text_contradicts_is_warned_once(tmp_path, monkeypatch, text, given,
                                                               warned):  # fmt: skip
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "s.en").write_text("\n".join(_TEXTS["en"]) + "\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("\n".join(_TEXTS[text]) + "\n", encoding="utf-8")
    res = run(tmp_path / "s.en", tmp_path / "t.txt", "-s", "en", "-t", given)
    assert res.exit_code == 0, res.output
    hits = [line for line in res.stderr.splitlines() if "but the text reads as" in line]
    if warned is None:
        assert not hits, res.stderr
    else:
        assert len(hits) == 1 and warned in hits[0] and f"--tgt-lang {given} " in hits[0]
        # the language the encoder lacks is named, with the option that makes align adapt
        assert f"not trained on {text}" in hits[0] and f"(--tgt-lang {text})" in hits[0]


def test_languages_the_identifier_confuses_never_contradict_each_other():
    from align.text.langid import LanguageGuess, contradicts

    def sure(tag):
        return LanguageGuess(tag, 0.99, True, "99% likely")

    assert contradicts("tr", sure("az")) and contradicts("ru", sure("uk"))
    assert not contradicts("hr", sure("bs")) and not contradicts("id", sure("ms"))
    assert not contradicts("nb", sure("da")) and not contradicts("zh-Hant", sure("zh"))
    assert not contradicts("tr", LanguageGuess("az", 0.6, False, "only 60% likely"))


@pytest.mark.parametrize(
    ("rows", "want"),
    [
        (
            "a.txt\tb.txt\tok.tsv\na.txt\tb.txt\tb.txt\n",
            "align: error: pairs.tsv line 2: b.txt: is the input; the output would overwrite "
            "the input, choose another",
        ),
        (
            "a.txt\tb.txt\tsame.tsv\n# a comment\na.txt\tb.txt\tsame.tsv\n",
            "align: error: pairs.tsv line 3: same.tsv: is given twice as an output",
        ),
        (
            "a.txt\tb.txt\tsame.tsv\na.txt\tb.txt\t./sub/../same.tsv\n",
            "align: error: pairs.tsv line 2: sub/../same.tsv: is given twice as an output "
            "(also as same.tsv)",
        ),
    ],
)
def test_a_batch_output_refused_before_work_names_its_line(tmp_path, monkeypatch, rows, want):
    """Outputs are checked before any pair runs; the error says which line of PAIRS.tsv."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("One line.\nTwo lines.\n")
    (tmp_path / "pairs.tsv").write_text(rows)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = CliRunner().invoke(main, ["align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru"])
    assert res.exit_code == 2, res.output
    assert res.stderr == want + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing ran
