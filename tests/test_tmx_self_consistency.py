"""align never writes a TMX its own validator rejects or its own reader cannot read back.

Same-language pairs are refused up front; region variants (en -> en-GB) round-trip;
XLIFF unit ids never become duplicate tuids; the writer's segtype agrees with the validator.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError, OutputError
from align.model import TranslationUnit
from align.tmx import read_tmx, write_tmx
from align.tmx.langs import same_language_problem
from align.tmx.merge import merge_tmx
from align.tmx.reader import guess_languages
from align.tmx.validate import validate_tmx
from align.xliff import read_xliff

EN = ["Hello world.", "This is a test.", "The colour is grey."]
GB = ["Hello world.", "This is a test, mate.", "The colour is grey."]


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def lines(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


def xliff12(path: Path, files: list[tuple[str, list[tuple[str, str, str]]]]) -> Path:
    body = "".join(
        f'<file original="{name}" source-language="en" target-language="ru" '
        'datatype="plaintext"><body>'
        + "".join(
            f'<trans-unit id="{i}"><source>{s}</source><target>{t}</target></trans-unit>'
            for i, s, t in units
        )
        + "</body></file>\n"
        for name, units in files
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n{body}</xliff>\n',
        "utf-8",
    )
    return path


def errors(path: Path) -> list[str]:
    return [str(p) for p in validate_tmx(path)]


# 1. source and target language -------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "tgt", "style"),
    [("en", "en", "region"), ("en", "EN", "region"), ("en-Latn", "en", "region"),
     ("en-US", "en-GB", "plain")],
)  # fmt: skip
def test_same_language_is_a_problem(src, tgt, style):
    problem = same_language_problem(src, tgt, style)
    assert problem and "both en" in problem


@pytest.mark.parametrize(("src", "tgt"), [("en", "en-GB"), ("en-US", "en-GB"), ("en", "ru")])
def test_region_variants_are_fine(src, tgt):
    assert same_language_problem(src, tgt) is None


@pytest.mark.parametrize(
    ("command", "out_name"),
    [
        (("align", "{src}", "{tgt}", "-o", "{out}"), "same.tmx"),
        (("translate", "{src}", "-f", "tmx", "-o", "{out}"), "out"),
        (("translate", "{src}", "-f", "xliff", "-o", "{out}"), "out"),
        (("run", "{src}", "{tgt}", "-o", "{out}"), "run"),
    ],
    ids=["align", "translate-tmx", "translate-xliff", "run"],
)
def test_same_language_is_refused_before_any_work(tmp_path, command, out_name):
    src, tgt = lines(tmp_path / "en.txt", EN), lines(tmp_path / "en2.txt", EN)
    out = tmp_path / out_name
    args = [a.format(src=src, tgt=tgt, out=out) for a in command]
    result = cli(*args, "-s", "en", "-t", "en")
    assert result.exit_code == 2
    assert "source and target language are both en" in result.output
    assert not out.exists()


def test_export_refuses_pair_that_plain_style_would_merge(tmp_path):
    src, tgt = lines(tmp_path / "us.txt", EN), lines(tmp_path / "gb.txt", GB)
    out = tmp_path / "x.tmx"
    result = cli("tmx", "export", "--src", src, "--tgt", tgt, "-s", "en-US", "-t", "en-GB",
                 "--lang-style", "plain", "-o", out)  # fmt: skip
    assert result.exit_code == 2 and "both en" in result.output
    assert not out.exists()


def test_export_refuses_same_language_read_from_an_xliff(tmp_path):
    xlf = tmp_path / "enen.xlf"
    xliff12(xlf, [("a.txt", [("1", "Hello.", "Hi.")])])
    xlf.write_text(xlf.read_text("utf-8").replace('target-language="ru"', 'target-language="en"'))
    result = cli("tmx", "export", xlf, "-o", tmp_path / "x.tmx")
    assert result.exit_code == 2
    assert f"{xlf}: source and target language are both en" in result.stderr
    assert not (tmp_path / "x.tmx").exists()


def test_writer_refuses_same_language(tmp_path):
    unit = TranslationUnit("Hello.", "Hello.", "en", "en")
    with pytest.raises(OutputError, match="both en"):
        write_tmx(tmp_path / "x.tmx", [unit], src_lang="en", tgt_lang="EN")
    assert not (tmp_path / "x.tmx").exists()


def test_merge_refuses_same_language(tmp_path):
    tmx = tmp_path / "a.tmx"
    write_tmx(tmx, [TranslationUnit("Hello.", "Hi.", "en", "en-GB")], src_lang="en",
              tgt_lang="en-GB")  # fmt: skip
    with pytest.raises(InputError, match="both en"):
        merge_tmx([tmx], tmp_path / "m.tmx", src_lang="en", tgt_lang="en")


@pytest.mark.parametrize(("src_lang", "tgt_lang"), [("en", "en-GB"), ("en-GB", "en"),
                                                    ("en-US", "en-GB")])  # fmt: skip
def test_region_variant_memory_round_trips(tmp_path, src_lang, tgt_lang):
    src, tgt = lines(tmp_path / "a.txt", EN), lines(tmp_path / "b.txt", GB)
    out = tmp_path / "v.tmx"
    result = cli("tmx", "export", "--src", src, "--tgt", tgt, "-s", src_lang, "-t", tgt_lang,
                 "-o", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert errors(out) == []
    assert guess_languages(out) == (src_lang, tgt_lang)
    units = list(read_tmx(out, src_lang, tgt_lang))
    assert [(u.source, u.target) for u in units] == list(zip(EN, GB, strict=True))
    assert {(u.src_lang, u.tgt_lang) for u in units} == {(src_lang, tgt_lang)}
    tsv = cli("tmx", "to-tsv", out)
    assert tsv.exit_code == 0, tsv.output
    assert tsv.stdout.splitlines() == [f"{a}\t{b}" for a, b in zip(EN, GB, strict=True)]


def test_region_variant_merge_validates_and_reads_back(tmp_path):
    first, merged = tmp_path / "a.tmx", tmp_path / "m.tmx"
    units = [TranslationUnit(e, g, "en", "en-GB") for e, g in zip(EN, GB, strict=True)]
    write_tmx(first, units, src_lang="en", tgt_lang="en-GB")
    merge_tmx([first], merged)
    assert errors(merged) == []
    assert [u.target for u in read_tmx(merged, "en", "en-GB")] == GB


def test_source_tuv_keeps_exact_srclang_even_from_a_regional_unit(tmp_path):
    """A unit read as en-US under -s en must not be written en-US beside en-GB (ambiguous)."""
    out = tmp_path / "x.tmx"
    write_tmx(out, [TranslationUnit("Color.", "Colour.", "en-US", "en-GB")], src_lang="en",
              tgt_lang="en-GB")  # fmt: skip
    assert errors(out) == []
    assert [(u.src_lang, u.tgt_lang) for u in read_tmx(out, "en", "en-GB")] == [("en", "en-GB")]


def test_reader_prefers_the_exact_tag_whatever_the_order(tmp_path):
    tmx = tmp_path / "r.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" datatype="plaintext" segtype="sentence" o-tmf="t" adminlang="en" '
        'srclang="en"/><body><tu tuid="1"><tuv xml:lang="en-GB"><seg>Colour.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Color.</seg></tuv></tu></body></tmx>\n',
        "utf-8",
    )
    assert errors(tmx) == []
    (unit,) = read_tmx(tmx, "en", "en-GB")
    assert (unit.source, unit.target) == ("Color.", "Colour.")


def test_several_source_variants_are_still_an_error(tmp_path):
    tmx = tmp_path / "r.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" datatype="plaintext" segtype="sentence" o-tmf="t" adminlang="en" '
        'srclang="en"/><body><tu tuid="1"><tuv xml:lang="en-US"><seg>Color.</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>Colour.</seg></tuv></tu></body></tmx>\n',
        "utf-8",
    )
    assert any("2 <tuv>s in the source language" in e for e in errors(tmx))


# 2. XLIFF unit ids and TMX tuids --------------------------------------------------------


def test_duplicate_xliff_id_in_one_file_is_refused(tmp_path):
    xlf = xliff12(tmp_path / "dupid.xlf", [("a.txt", [("1", "Hello.", "Привет."),
                                                      ("1", "Bye.", "Пока.")])])  # fmt: skip
    with pytest.raises(InputError, match="unit id '1' is used twice in one <file>"):
        read_xliff(xlf)
    out = tmp_path / "dup.tmx"
    result = cli("tmx", "export", xlf, "-o", out)
    assert result.exit_code == 2 and "unit id '1' is used twice" in result.stderr
    assert not out.exists()
    score = cli("score", "--hyp", xlf, "--ref", xlf)
    assert score.exit_code == 2 and "unit id '1' is used twice" in score.stderr


def test_duplicate_xliff2_id_is_refused(tmp_path):
    xlf = tmp_path / "dup2.xlf"
    unit = '<unit id="u1"><segment><source>{}</source><target>{}</target></segment></unit>'
    xlf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
        'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="ru">'
        f'<file id="f1">{unit.format("A.", "Б.")}{unit.format("C.", "Д.")}</file></xliff>\n',
        "utf-8",
    )
    with pytest.raises(InputError, match="unit id 'u1' is used twice"):
        read_xliff(xlf)


def test_ids_shared_by_two_files_give_unique_tuids_and_score_every_unit(tmp_path):
    xlf = xliff12(tmp_path / "multi.xlf", [("a.txt", [("1", "Hello.", "Привет.")]),
                                           ("b.txt", [("1", "Bye.", "Пока.")])])  # fmt: skip
    out = tmp_path / "multi.tmx"
    result = cli("tmx", "export", xlf, "-o", out)
    assert result.exit_code == 0, result.output
    assert errors(out) == []
    units = list(read_tmx(out, "en", "ru"))
    assert [(u.source, u.props["segment-id"], u.props["document"]) for u in units] == [
        ("Hello.", "1", "a.txt"),
        ("Bye.", "1", "b.txt"),
    ]
    score = cli("score", "--hyp", xlf, "--ref", xlf)
    assert score.exit_code == 0, score.output
    assert "2 segments" in score.output


def test_writer_refuses_duplicate_tuids(tmp_path):
    out = tmp_path / "d.tmx"
    units = [TranslationUnit("A.", "Б.", "en", "ru", tuid="1"),
             TranslationUnit("C.", "Д.", "en", "ru", tuid="1")]  # fmt: skip
    with pytest.raises(OutputError, match="same tuid"):
        write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert not out.exists()


def test_export_refuses_jsonl_records_sharing_an_id(tmp_path):
    rows = [{"id": 1, "src_text": "A.", "tgt_text": "Б."}, {"id": 1, "src_text": "C.",
                                                             "tgt_text": "Д."}]  # fmt: skip
    jl = tmp_path / "d.jsonl"
    jl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "d.tmx"
    result = cli("tmx", "export", jl, "-s", "en", "-t", "ru", "-o", out)
    assert result.exit_code == 2 and "same tuid" in result.stderr
    assert not out.exists()


def test_a_numbered_unit_colliding_with_a_given_tuid_is_refused(tmp_path):
    out = tmp_path / "n.tmx"
    units = [TranslationUnit("A.", "Б.", "en", "ru"),
             TranslationUnit("C.", "Д.", "en", "ru", tuid="1")]  # fmt: skip
    with pytest.raises(OutputError, match="same tuid"):
        write_tmx(out, units, src_lang="en", tgt_lang="ru")


# 3. segtype --------------------------------------------------------------------------


def test_multi_sentence_sentence_unit_is_written_as_paragraph(tmp_path):
    out = tmp_path / "s.tmx"
    units = [TranslationUnit("One here. Two there.", "Раз тут. Два там.", "en", "ru"),
             TranslationUnit("Single.", "Одно.", "en", "ru")]  # fmt: skip
    write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert validate_tmx(out) == []
    assert [u.segtype for u in read_tmx(out, "en", "ru")] == ["paragraph", "sentence"]


def test_mt_jsonl_claiming_sentence_exports_without_warnings(tmp_path):
    """What `align translate -f jsonl` records say; the TMX must still validate cleanly."""
    row = {"id": 1, "source": "One here. Two there.", "target": "Раз тут. Два там.",
           "segtype": "sentence", "origin": "mt:x"}  # fmt: skip
    jl = tmp_path / "mt.jsonl"
    jl.write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "mt.tmx"
    result = cli("tmx", "export", jl, "-s", "en", "-t", "ru", "-o", out)
    assert result.exit_code == 0, result.output
    assert validate_tmx(out) == []
