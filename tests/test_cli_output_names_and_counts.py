"""Small CLI faults: unknown output extensions, SRC = TGT, "1 files", TMX named .xlf.

``align align -o out.weird.xml`` wrote vecalign text silently; SRC and TGT
naming one file was aligned against itself; ``tmx merge`` of one file said
"from 1 files"; ``tmx export -o x.xlf`` wrote a TMX under an XLIFF name,
silently.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.cli.options import counted

UNKNOWN_EXT = (
    "align: error: {name}: align does not know the extension {suffix}: name the output "
    ".tmx, .tmx.gz, .tsv, .jsonl, .align, .xlf, .xliff (or .txt/no extension for vecalign), "
    "or give -f FORMAT\n"
)
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu tuid="1"><tuv xml:lang="en"><seg>Baku is a city.</seg></tuv><tuv xml:lang="ru"><seg>Баку - город.</seg></tuv></tu>
</body></tmx>
"""  # fmt: skip


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def pair(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    Path("a.en").write_text("The port is open.\nThe ship left.\n", "utf-8")
    Path("a.ru").write_text("Порт открыт.\nКорабль ушёл.\n", "utf-8")
    return tmp_path


# --- 1. an output name whose extension align does not know ---------------------------------


@pytest.mark.parametrize(("name", "suffix"), [("out.weird.xml", ".xml"), ("out.DOCX", ".docx")])
def test_align_refuses_an_unknown_output_extension(pair, name, suffix):
    res = run("align", "a.en", "a.ru", "-s", "en", "-t", "ru", "-o", name)
    assert res.exit_code == 2
    assert res.stderr == UNKNOWN_EXT.format(name=name, suffix=suffix)
    assert not (pair / name).exists() and not (pair / "cache").exists()


def test_align_unknown_extension_with_format_given_is_written():
    from align.cli.aligncmd import _format_for

    assert _format_for("tsv", "out.weird.xml") == "tsv"
    assert _format_for(None, "out") == "vecalign"  # no extension: the default, as before
    assert _format_for(None, "-") == "vecalign"


def test_align_batch_refuses_an_unknown_output_extension_before_any_work(pair):
    Path("pairs.tsv").write_text("a.en\ta.ru\tone.tmx\na.en\ta.ru\ttwo.weird\n", "utf-8")
    res = run("align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert res.stderr == UNKNOWN_EXT.format(name="two.weird", suffix=".weird")
    assert not (pair / "one.tmx").exists() and not (pair / "cache").exists()


# --- 2. SRC and TGT are one file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tgt", "problem"),
    [
        ("a.en", "SRC and TGT are the same file"),
        ("./sub/../a.en", "SRC and TGT are the same file (a.en)"),
        ("link.en", "SRC and TGT are the same file (a.en)"),
    ],
)
def test_align_refuses_src_and_tgt_as_one_file(pair, tgt, problem):
    Path("sub").mkdir()
    os.symlink("a.en", "link.en")
    res = run("align", "a.en", tgt, "-s", "en", "-t", "en")
    assert res.exit_code == 2
    assert res.stderr == f"align: error: {tgt}: {problem}\n"
    assert not (pair / "cache").exists()


def test_align_batch_refuses_a_line_whose_src_and_tgt_are_one_file(pair):
    Path("pairs.tsv").write_text("a.en\ta.ru\tone.tmx\n# note\na.en\ta.en\ttwo.tmx\n", "utf-8")
    res = run("align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert res.stderr == ("align: error: pairs.tsv line 3: a.en: SRC and TGT are the same file\n")
    assert not (pair / "one.tmx").exists()


# --- 3. counts say "1 file", not "1 files" -----------------------------------------------------


def test_counted():
    assert [counted(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


def test_tmx_merge_of_one_file_says_one_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.tmx").write_text(TMX, "utf-8")
    res = run("tmx", "merge", "a.tmx", "-o", "m.tmx")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == (
        "read 1 unit from 1 file; dropped 0 duplicates; resolved 0 conflicts "
        "(higher standing, then newest kept); wrote 1 to m.tmx\n"
    )


def test_tmx_to_tsv_of_one_pair_says_one_pair(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.tmx").write_text(TMX, "utf-8")
    res = run("tmx", "to-tsv", "a.tmx", "-o", "a.tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == "wrote 1 pair (en -> ru) to a.tsv\n"


# --- 4. tmx export to an XLIFF name ------------------------------------------------------------


@pytest.mark.parametrize("name", ["x.xlf", "x.sdlxliff"])
def test_tmx_export_warns_when_the_output_is_named_xliff(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    bead = {"src": [0], "tgt": [0], "src_text": "Baku is a city.", "tgt_text": "Баку - город.",
            "prob": 0.9, "review": False, "type": "1-1"}  # fmt: skip
    Path("in.jsonl").write_text(json.dumps(bead, ensure_ascii=False) + "\n", "utf-8")
    res = run("tmx", "export", "in.jsonl", "-s", "en", "-t", "ru", "-o", name)
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [
        f"align: warning: {name}: writing TMX, although the name says XLIFF "
        "(tmx export always writes TMX)",
        f"wrote 1 unit to {name}",
    ]
    assert Path(name).read_text("utf-8").find("<tmx") > 0
