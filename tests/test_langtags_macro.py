"""FLORES-200 individual languages take their macrolanguage's usual tag (azj_Latn -> az-Latn).

One mapping (``align.langtags.preferred_tag``) serves -s/-t, run configs, the TMX and
XLIFF written and the aligner's per-language choices (coverage, respelling).
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from lxml import etree

from align.aligner import languages, respell
from align.cli import main
from align.cli.options import check_lang
from align.langtags import MACROLANGUAGE, is_valid_tag, preferred_tag, user_tag

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EN = "The weather will be cold and rainy tomorrow.\nThe museum is closed on Mondays.\n"
AZ = "Sabah hava soyuq və yağışlı olacaq.\nMuzey bazar ertəsi günləri bağlıdır.\n"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    ("code", "preferred"),
    [("azj_Latn", "az-Latn"), ("aze_Latn", "az-Latn"), ("azj", "az"), ("pes_Arab", "fa"),
     ("zsm_Latn", "ms"), ("arb_Arab", "ar"), ("cmn_Hans", "zh-Hans"), ("swh_Latn", "sw"),
     ("npi_Deva", "ne"), ("ory_Orya", "or"), ("gaz_Latn", "om"), ("als_Latn", "sq"),
     ("lvs_Latn", "lv"), ("ekk", "et"), ("plt_Latn", "mg"), ("uzn_Latn", "uz-Latn"),
     ("khk_Cyrl", "mn-Cyrl"), ("quy_Latn", "qu"), ("ydd_Hebr", "yi"), ("pbt_Arab", "ps"),
     ("azj-Latn-AZ", "az-Latn-AZ"), ("pes-IR", "fa-IR")],
)  # fmt: skip
def test_individual_languages_take_the_macrolanguage(code, preferred):
    assert user_tag(code) == preferred == preferred_tag(preferred)


@pytest.mark.parametrize(
    ("code", "kept"),
    [("yue_Hant", "yue-Hant"), ("arz_Arab", "arz-Arab"), ("ary_Arab", "ary-Arab"),
     ("acm_Arab", "acm-Arab"), ("apc_Arab", "apc-Arab"), ("azb_Arab", "azb-Arab"),
     ("min_Latn", "min-Latn"), ("bjn_Latn", "bjn-Latn"), ("ckb_Arab", "ckb-Arab"),
     ("ltg_Latn", "ltg-Latn"), ("twi_Latn", "tw-Latn"), ("aka_Latn", "ak-Latn"),
     ("fuv_Latn", "fuv-Latn"), ("prs_Arab", "fa-AF"), ("eng_Latn", "en"), ("zho_Hant", "zh-Hant"),
     ("en-GB", "en-GB"), ("nob_Latn", "nb")],
)  # fmt: skip
def test_distinct_languages_stay_distinct(code, kept):
    assert user_tag(code) == kept


def test_table_is_registered_codes_only():
    assert all(is_valid_tag(a) and is_valid_tag(b) for a, b in MACROLANGUAGE.items())
    assert "yue" not in MACROLANGUAGE and not set(MACROLANGUAGE) & set(MACROLANGUAGE.values())


def test_check_lang_option_maps_flores_codes():
    ctx, param = click.Context(click.Command("x")), click.Option(["-t"])
    assert check_lang(ctx, param, "azj_Latn") == "az-Latn"
    assert check_lang(ctx, param, "pes_Arab") == "fa"


@pytest.mark.parametrize("lang", ["az", "az-Latn", "azj_Latn", "aze_Latn", "AZ_latn_az"])
def test_azerbaijani_in_any_spelling_is_respelt_as_turkish(lang):
    assert not languages.covered(lang)
    assert respell.respelling(lang).relative == "tr"


@pytest.mark.parametrize("lang", ["zh-Hans", "zho_Hans", "cmn_Hans", "zh-Hant-TW", "arb_Arab"])
def test_covered_languages_in_any_spelling(lang):
    assert languages.covered(lang) and respell.respelling(lang) is None


def test_cantonese_is_not_covered_chinese():
    assert not languages.covered("yue_Hant")


def test_align_with_a_flores_code_is_respelt_and_tagged_az(tmp_path, monkeypatch):
    monkeypatch.setattr(languages, "_warned", set())
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "en.txt").write_text(EN, "utf-8")
    (tmp_path / "az.txt").write_text(AZ, "utf-8")
    out = tmp_path / "o.xlf"
    res = run("align", tmp_path / "en.txt", tmp_path / "az.txt", "-s", "eng_Latn",
              "-t", "azj_Latn", "-o", out)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "not trained on 'az-Latn' (read respelt as 'tr'" in res.stderr
    assert "azj" not in res.stderr
    file = etree.parse(str(out)).find("{*}file")
    assert (file.get("source-language"), file.get("target-language")) == ("en", "az-Latn")


def tuv_langs(path: Path) -> list[list[str]]:
    return [[t.get(XML_LANG) for t in tu.iter("tuv")] for tu in etree.parse(str(path)).iter("tu")]


@pytest.mark.parametrize(
    ("src", "tgt", "expect"),
    [("eng_Latn", "azj_Latn", ["en", "az-Latn"]), ("pes_Arab", "zsm_Latn", ["fa", "ms"])],
)
def test_tmx_export_writes_the_macrolanguage(tmp_path, src, tgt, expect):
    (tmp_path / "a.txt").write_text("The port is open.\n", "utf-8")
    (tmp_path / "b.txt").write_text("Liman açıqdır.\n", "utf-8")
    out = tmp_path / "o.tmx"
    res = run("tmx", "export", "--src", tmp_path / "a.txt", "--tgt", tmp_path / "b.txt",
              "-s", src, "-t", tgt, "-o", out)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert tuv_langs(out) == [expect]
    assert etree.parse(str(out)).find("header").get("srclang") == expect[0]


def test_run_config_languages_are_mapped_too(tmp_path):
    cfg = tmp_path / "run.toml"
    cfg.write_text('src_lang = "zsm_Latn"\ntgt_lang = "azj_Latn"\n', "utf-8")
    res = run("run", "--config", cfg, "--print-config")
    assert res.exit_code == 0, res.output
    assert 'src_lang = "ms"' in res.stdout and 'tgt_lang = "az-Latn"' in res.stdout
