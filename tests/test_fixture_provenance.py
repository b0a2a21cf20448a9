"""Fixture output stays labelled when it passes through another command (XLIFF → TMX, score, merge)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401
from xliff_checks import NS12

from align.cli import main
from align.model import TranslationUnit
from align.tmx import read_tmx
from align.xliff import read_xliff, write_xliff

EN = "The president met people in Baku today.\nPeace talks began in Moscow.\n"
ORIGIN = "mt:translate-en_ru-fixture"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def env(mt_env):  # noqa: F811
    tmp_path = mt_env
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.en.txt").write_text(EN, "utf-8")
    return tmp_path


def _translate(env, fmt: str, *extra: str):
    res = run("translate", env / "in", "-s", "en", "-t", "ru", "-o", env / fmt, "-f", fmt,
              "--allow-fixture", *extra)  # fmt: skip
    assert res.exit_code == 0, res.output
    return env / fmt / f"a.ru.fixture.{'xlf' if fmt == 'xliff' else fmt}"


def _export(src, out):
    res = run("tmx", "export", src, "-o", out, "--src-lang", "en", "--tgt-lang", "ru")
    assert res.exit_code == 0, res.output
    return list(read_tmx(out, "en", "ru"))


def _origins(tmx) -> dict[str, int]:
    res = run("tmx", "stats", tmx, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["origins"]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_xliff_to_tmx_keeps_the_fixture_label_of_the_jsonl_route(env, version):
    via_jsonl = _export(_translate(env, "jsonl"), env / "jsonl.tmx")
    xliff = _translate(env, "xliff", "--xliff-version", version)
    units = _export(xliff, env / "xliff.tmx")
    assert [u.target for u in units] == [u.target for u in via_jsonl]
    for u, ref in zip(units, via_jsonl, strict=True):
        assert u.props["origin"] == ref.props["origin"] == ORIGIN
        assert u.props["fixture"] == ref.props["fixture"] == "true"
        assert u.note == ref.note and "fixture" in u.note
    assert _origins(env / "xliff.tmx") == _origins(env / "jsonl.tmx") == {ORIGIN: 2}


def test_fixture_drafts_are_told_by_their_notes_when_the_header_is_gone(env):
    """A CAT tool may rewrite the <header> (tools, file notes); each draft's note still says so."""
    xliff = _translate(env, "xliff")
    tree = etree.parse(str(xliff))
    for header in tree.getroot().iter(f"{{{NS12}}}header"):
        header.getparent().remove(header)
    tree.write(str(env / "bare.xlf"), xml_declaration=True, encoding="UTF-8")
    units = _export(env / "bare.xlf", env / "bare.tmx")
    assert all(u.props["fixture"] == "true" and "fixture" in u.note for u in units)
    assert all(u.props["origin"].startswith("mt:") for u in units)


def test_a_post_edited_fixture_draft_keeps_its_label_and_state(env):
    xliff = _translate(env, "xliff")
    tree = etree.parse(str(xliff))
    target = tree.getroot().find(f".//{{{NS12}}}target")
    target.text, target.attrib["state"] = "Президент встретился с людьми.", "final"
    tree.write(str(env / "pe.xlf"), xml_declaration=True, encoding="UTF-8")
    units = _export(env / "pe.xlf", env / "pe.tmx")
    assert units[0].props["state"] == "final" and units[0].props["fixture"] == "true"


def test_xliff_without_fixture_is_not_labelled(tmp_path):
    unit = TranslationUnit("Hello.", "Привет.", "en", "ru", tuid="1", state="translated",
                           note="MT draft by translate-en_ru, model score -0.1000")  # fmt: skip
    from align.xliff import XliffFile

    write_xliff(tmp_path / "h.xlf", [XliffFile("h.txt", "en", "ru", [unit])])
    assert read_xliff(tmp_path / "h.xlf").units[0].props == {}
    units = _export(tmp_path / "h.xlf", tmp_path / "h.tmx")
    assert units[0].props["origin"] == "xliff" and "fixture" not in units[0].props
    assert units[0].note is None


def test_score_says_the_hypothesis_is_fixture_output(env):
    xliff = _translate(env, "xliff")
    res = run("score", "--hyp", xliff, "--ref", xliff, "--tgt-lang", "ru")
    assert res.exit_code == 0, res.output
    assert "TEST FIXTURE" in res.stdout.splitlines()[0]
    res = run("score", "--hyp", xliff, "--ref", xliff, "--tgt-lang", "ru", "--format", "json")
    assert json.loads(res.stdout)["fixture"] is True


def test_score_of_a_real_xliff_is_not_labelled(tmp_path):
    from align.xliff import XliffFile

    unit = TranslationUnit("Hello.", "Привет.", "en", "ru", tuid="1", state="translated")
    write_xliff(tmp_path / "h.xlf", [XliffFile("h.txt", "en", "ru", [unit])])
    res = run("score", "--hyp", tmp_path / "h.xlf", "--ref", tmp_path / "h.xlf", "-f", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["fixture"] is False
    res = run("score", "--hyp", tmp_path / "h.xlf", "--ref", tmp_path / "h.xlf")
    assert "FIXTURE" not in res.stdout


def test_merge_keeps_fixture_props_per_unit(env):
    fixture_tmx = _translate(env, "tmx")
    (env / "h.en").write_text("Good morning.\nA new line.\n", "utf-8")
    (env / "h.ru").write_text("Доброе утро.\nНовая строка.\n", "utf-8")
    res = run("tmx", "export", "--src", env / "h.en", "--tgt", env / "h.ru", "-s", "en",
              "-t", "ru", "-o", env / "human.tmx")  # fmt: skip
    assert res.exit_code == 0, res.output
    res = run("tmx", "merge", env / "human.tmx", fixture_tmx, "-o", env / "all.tmx")
    assert res.exit_code == 0, res.output
    units = {u.source: u for u in read_tmx(env / "all.tmx", "en", "ru")}
    first = units["The president met people in Baku today."]
    assert first.props["fixture"] == "true" and "TEST FIXTURE" in first.note
    assert "fixture" not in units["A new line."].props
    assert _origins(env / "all.tmx") == {"human": 2, ORIGIN: 2}
