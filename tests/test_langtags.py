"""Language codes are BCP 47 tags everywhere (issue #11.5, #12.9)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import main
from align.cli.options import check_lang
from align.cli.translate import output_path
from align.errors import AlignError, InputError
from align.langtags import is_valid_tag, is_well_formed, normalize_tag, parse_tag, tags_match
from align.mt import packages as pk
from align.tmx import merge_tmx, read_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    ("code", "normal"),
    [("en", "en"), ("EN", "en"), ("en_GB", "en-GB"), ("en-gb", "en-GB"), ("pt_br", "pt-BR"),
     ("zh_hant_tw", "zh-Hant-TW"), ("sr-latn", "sr-Latn"), ("es-419", "es-419"),
     ("de-CH-1996", "de-CH-1996"), ("ru", "ru"), ("az-Latn-AZ", "az-Latn-AZ")],
)  # fmt: skip
def test_valid_tags_normalise_case_and_separator_only(code, normal):
    assert is_valid_tag(code) and parse_tag(code) == normal
    assert normalize_tag(normal) == normal  # stable


@pytest.mark.parametrize(
    "code",
    ["xx", "english!", "../../x", "en/../ru", "", " en", "und", "x-foo", "e", "en-", "qq-ZZ"],
)
def test_not_languages_are_refused(code):
    assert not is_valid_tag(code)
    with pytest.raises(ValueError, match="is not a BCP 47 language tag"):
        parse_tag(code)


@pytest.mark.parametrize(
    ("wanted", "actual", "match"),
    [
        ("en", "en-US", True), ("en", "EN_gb", True), ("en-US", "EN", True),
        ("en-GB", "en-US", False), ("en", "eng", False), ("en", "de", False),
        ("zh", "zh-Hant", True), ("zh-TW", "zh-Hans", False), ("zh-Hant", "zh-TW", True),
        ("sr", "sr-Latn-RS", True), ("sr-Cyrl", "sr-Latn", False), ("ru-RU", "ru", True),
    ],
)  # fmt: skip
def test_matching(wanted, actual, match):
    assert tags_match(wanted, actual) is match
    assert tags_match(actual, wanted) is match  # symmetric


@given(st.sampled_from(["en", "en-GB", "EN_us", "zh-Hant-TW", "ru", "pt_BR", "sr-Latn"]))
def test_a_tag_matches_its_own_spellings(code):
    normal = normalize_tag(code)
    for spelling in (code, normal, normal.upper(), normal.lower().replace("-", "_")):
        assert tags_match(spelling, normal)
        assert tags_match(normal.split("-")[0], spelling)  # region-less request: any region


def test_well_formed_is_syntax_only():
    """Argos's own codes (zt, pb) are safe in file names though not registered languages."""
    assert is_well_formed("zt") and not is_valid_tag("zt")
    assert not is_well_formed("../x") and not is_well_formed("en ru") and not is_well_formed("")


def test_check_lang_option():
    ctx, param = click.Context(click.Command("x")), click.Option(["-s"])
    assert check_lang(ctx, param, "en_gb") == "en-GB"
    assert check_lang(ctx, param, "auto") == "auto"
    with pytest.raises(click.BadParameter, match="'xx' is not a BCP 47 language tag"):
        check_lang(ctx, param, "xx")


@pytest.mark.parametrize("args", [("align", "a.txt", "b.txt", "-s", "xx", "-t", "ru"),
                                  ("tmx", "export", "--src", "a.txt", "--tgt", "b.txt", "-s", "xx",
                                   "-t", "ru", "-o", "o.tmx")])  # fmt: skip
def test_cli_refuses_a_non_language_in_one_line(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("A.\n", "utf-8")
    (tmp_path / "b.txt").write_text("Б.\n", "utf-8")
    res = run(*args)
    assert res.exit_code == 2 and "'xx' is not a BCP 47 language tag" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "o.tmx").exists()


# --- TMX: matching, no invented regions, detection -------------------------------------------

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
          'creationtoolversion="1" datatype="plaintext" segtype="sentence" o-tmf="x" '
          'adminlang="en" srclang="{s}"/><body>{body}</body></tmx>')  # fmt: skip
TU = '<tu><tuv xml:lang="{s}"><seg>{a}</seg></tuv><tuv xml:lang="{t}"><seg>{b}</seg></tuv></tu>'


def tmx(path: Path, s: str, t: str, a: str, b: str) -> Path:
    path.write_text(HEADER.format(s=s, body=TU.format(s=s, t=t, a=a, b=b)), "utf-8")
    return path


def tuv_langs(path: Path) -> list[list[str]]:
    return [
        [tuv.get(XML_LANG) for tuv in tu.iter("tuv")] for tu in etree.parse(str(path)).iter("tu")
    ]


def test_merge_files_coded_differently(tmp_path):
    a = tmx(tmp_path / "a.tmx", "en-US", "ru-RU", "The port is open.", "Порт открыт.")
    b = tmx(tmp_path / "b.tmx", "EN", "ru", "The ship left.", "Корабль ушёл.")
    c = tmx(tmp_path / "c.tmx", "en_GB", "ru", "The colour is red.", "Цвет красный.")
    # the case: en-US/ru-RU merged with EN/ru, languages from the first file
    assert merge_tmx([a, b], tmp_path / "ab.tmx").written == 2
    assert tuv_langs(tmp_path / "ab.tmx") == [["en-US", "ru-RU"], ["en", "ru"]]
    # an en-GB file does not match en-US: ask for "en" to take every region
    with pytest.raises(InputError, match=r"c.tmx: has no text in en-US \(languages: en_GB, ru\)"):
        merge_tmx([a, b, c], tmp_path / "x.tmx")
    stats = merge_tmx([a, b, c], tmp_path / "o.tmx", src_lang="en", tgt_lang="ru")
    assert stats.written == 3
    # every unit keeps its own tag (normalised); none is relabelled en-US
    assert tuv_langs(tmp_path / "o.tmx") == [["en-US", "ru-RU"], ["en", "ru"], ["en-GB", "ru"]]
    res = run("tmx", "validate", tmp_path / "o.tmx")
    assert res.exit_code == 0, res.output
    # the other order: the en_GB file first, an EN unit is not made en-GB
    merge_tmx([c, b], tmp_path / "o2.tmx")
    assert tuv_langs(tmp_path / "o2.tmx") == [["en-GB", "ru"], ["en", "ru"]]
    assert [u.source for u in read_tmx(tmp_path / "o.tmx", "EN", "RU")] == [
        "The port is open.", "The ship left.", "The colour is red."
    ]  # fmt: skip
    assert [u.source for u in read_tmx(tmp_path / "o.tmx", "en-GB", "ru")] == [
        "The ship left.", "The colour is red."
    ]  # fmt: skip


def test_export_keeps_the_region_given_and_invents_none(tmp_path):
    (tmp_path / "en.txt").write_text("The colour is red.\n", "utf-8")
    (tmp_path / "ru.txt").write_text("Цвет красный.\n", "utf-8")
    for s, t, expect in (("en_GB", "ru", ["en-GB", "ru"]), ("en", "ru", ["en", "ru"])):
        out = tmp_path / f"{s}.tmx"
        res = run("tmx", "export", "--src", tmp_path / "en.txt", "--tgt", tmp_path / "ru.txt",
                  "--src-lang", s, "--tgt-lang", t, "-o", out)  # fmt: skip
        assert res.exit_code == 0, res.output
        assert tuv_langs(out) == [expect]
        assert etree.parse(str(out)).find("header").get("srclang") == expect[0]


DE = ["Der Hafen von Baku ist heute für alle Schiffe geöffnet.",
      "Der Kapitan sagte, dass das Wetter gut sei und die Fahrt bald beginne.",
      "Niemand antwortete auf seine Frage nach der Abfahrtszeit."]  # fmt: skip
FR = ["Le port de Bakou est ouvert aujourd'hui à tous les navires.",
      "Le capitaine a dit que le temps était beau et que le voyage commencerait bientôt.",
      "Personne n'a répondu à sa question sur l'heure du départ."]  # fmt: skip


def test_export_without_languages_detects_them(tmp_path):
    (tmp_path / "de.txt").write_text("\n".join(DE) + "\n", "utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(FR) + "\n", "utf-8")
    out = tmp_path / "o.tmx"
    res = run(
        "tmx", "export", "--src", tmp_path / "de.txt", "--tgt", tmp_path / "fr.txt", "-o", out
    )
    assert res.exit_code == 0, res.output
    assert "languages de -> fr" in res.stderr
    assert tuv_langs(out) == [["de", "fr"]] * 3
    assert "en-US" not in out.read_text("utf-8") and "ru-RU" not in out.read_text("utf-8")


def test_export_refuses_what_it_cannot_tell(tmp_path):
    (tmp_path / "a.txt").write_text("OK\n", "utf-8")
    (tmp_path / "b.txt").write_text("Ja\n", "utf-8")
    out = tmp_path / "o.tmx"
    res = run("tmx", "export", "--src", tmp_path / "a.txt", "--tgt", tmp_path / "b.txt", "-o", out)
    assert res.exit_code == 2 and "cannot tell its language" in res.stderr
    assert "give -s/--src-lang" in res.stderr and res.stderr.count("\n") == 1
    assert not out.exists()


def test_export_jsonl_uses_the_records_languages(tmp_path):
    rows = [{"source": "Guten Tag.", "target": "Bonjour.", "src_lang": "de", "tgt_lang": "fr_CA"}]
    (tmp_path / "mt.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    out = tmp_path / "o.tmx"
    res = run("tmx", "export", tmp_path / "mt.jsonl", "-o", out)
    assert res.exit_code == 0, res.output
    assert tuv_langs(out) == [["de", "fr-CA"]]


# --- packages and output names (issue #12.9) ---------------------------------------------------


def _archive_with(path: Path, source: Path, **meta_changes) -> Path:
    with zipfile.ZipFile(source) as zin:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if item.filename.endswith("/metadata.json"):
                    data = json.dumps({**json.loads(data), **meta_changes}).encode()
                zout.writestr(item, data)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize(
    ("key", "code"),
    [("from_code", "../../x"), ("to_code", "../../../escaped"), ("to_code", "ru/../../x"),
     ("from_code", "en ru"), ("to_code", "")],
)  # fmt: skip
def test_package_with_a_path_for_a_code_is_refused(tmp_path, fixture_archives, key, code):  # noqa: F811
    bad = _archive_with(tmp_path / "bad.argosmodel", fixture_archives[("en", "ru")], **{key: code})
    root = tmp_path / "pk"
    with pytest.raises(InputError, match=key):
        pk.install_package(bad, root)
    assert not root.exists() or not [p for p in root.iterdir() if not p.name.startswith(".")]
    res = run("models", "--packages-dir", root, "install", bad)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_installed_folder_with_a_path_code_is_listed_as_broken(packages_dir):  # noqa: F811
    meta = packages_dir / "translate-en_ru-fixture" / "metadata.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "to_code": "../../x"}))
    good, broken = pk.scan_packages(packages_dir)
    assert [p.name for p in good] == ["translate-ru_en-fixture"]
    assert "to_code '../../x' is not a BCP 47 language tag" in broken[0].problem


def test_output_names_only_from_valid_codes(tmp_path):
    assert (
        output_path(tmp_path, Path("a.en.txt"), "en", "ru", "txt", False) == tmp_path / "a.ru.txt"
    )
    for src, tgt in (("en", "../../../escaped"), ("../../x", "ru"), ("en", "ru/x")):
        with pytest.raises(AlignError, match="not a BCP 47 language tag"):
            output_path(tmp_path, Path("a.txt"), src, tgt, "txt", False)


def test_translate_cli_refuses_path_codes_and_writes_nothing(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "in.txt").write_text("Baku.\n", "utf-8")
    out = tmp_path / "deep1" / "deep2"
    res = run("translate", tmp_path / "in.txt", "--from", "../../x", "--to", "../../../escaped",
              "-o", out, "--allow-fixture")  # fmt: skip
    assert res.exit_code == 2
    assert not list(tmp_path.rglob("*escaped*")) and not list(tmp_path.parent.glob("*escaped*"))


@pytest.mark.parametrize("code", ["EN", "en_GB", "en-GB"])
def test_regional_request_finds_a_regionless_package(packages_dir, code):  # noqa: F811
    [route] = pk.find_route(code, "ru", packages_dir, allow_fixture=True)
    assert route.pair == "en→ru"
    with pytest.raises(pk.UnknownPairError):
        pk.find_route("de", "ru", packages_dir, allow_fixture=True)


def test_glossary_columns_match_as_tags(tmp_path):
    from align.glossary import load_glossary

    path = tmp_path / "g.tsv"
    path.write_text("en-US\tru-RU\nport\tпорт\n", "utf-8")
    g = load_glossary(path)
    assert (
        g.resolve("en") == "en-US" and g.resolve("EN_us") == "en-US" and g.resolve("RU") == "ru-RU"
    )
    with pytest.raises(InputError, match="has no 'en-GB' column"):
        g.resolve("en-GB")  # a British request never takes the American column


@pytest.mark.parametrize(
    ("code", "script"),
    [("ru", "Cyrillic"), ("ru-RU", "Cyrillic"), ("rus_Cyrl", "Cyrillic"), ("RU_ru", "Cyrillic"),
     ("sr", "Cyrillic"), ("sr-Latn", "Latin"), ("sr_Cyrl", "Cyrillic"), ("az", "Latin"),
     ("azj_Latn", "Latin"), ("az-Cyrl", "Cyrillic"), ("zho_Hans", "Cjk"), ("zh-Hant", "Cjk"),
     ("zh", "Cjk"), ("pt-BR", "Latin"), ("ja", None), ("../x", None)],
)  # fmt: skip
def test_expected_script_reads_every_spelling_and_the_script_subtag(code, script):
    from align.text.script import expected_script

    assert expected_script(code) == script


@pytest.mark.parametrize("code", ["ru", "RU", "ru-RU", "ru_ru", "rus", "rus_Cyrl"])
def test_russian_morphology_for_every_spelling(code):
    from align.glossary.morph import RussianMorphology, get_morphology
    from align.langtags import primary_language

    assert primary_language(code) == "ru"
    assert isinstance(get_morphology(code), RussianMorphology)
