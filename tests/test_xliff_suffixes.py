"""Every command that takes XLIFF by its name knows the same suffixes as the XLIFF reader."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from align.cli import main
from align.tmx import read_tmx
from align.xliff import XLIFF_SUFFIXES, is_xliff, xliff_suffix_names

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="en" target-language="ru" datatype="plaintext"><body>
<trans-unit id="1"><source>The port is open.</source><target state="translated">Порт открыт.</target></trans-unit>
</body></file></xliff>
"""  # fmt: skip


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_suffixes_include_the_cat_tool_variants():
    assert {".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".xlf2"} <= set(XLIFF_SUFFIXES)
    assert all(is_xliff(f"doc{s.upper()}") for s in XLIFF_SUFFIXES)
    assert not is_xliff("doc.tmx") and not is_xliff("xliff.jsonl")


@pytest.mark.parametrize("suffix", XLIFF_SUFFIXES)
def test_tmx_export_reads_every_xliff_suffix(tmp_path, suffix):
    src = tmp_path / f"doc{suffix}"
    src.write_text(XLIFF, "utf-8")
    out = tmp_path / "doc.tmx"
    res = run("tmx", "export", src, "-o", out)
    assert res.exit_code == 0, res.output
    assert [(u.source, u.target) for u in read_tmx(out, "en", "ru")] == [
        ("The port is open.", "Порт открыт.")
    ]


@pytest.mark.parametrize("suffix", XLIFF_SUFFIXES)
def test_glossary_check_reads_every_xliff_suffix(tmp_path, suffix):
    src = tmp_path / f"doc{suffix}"
    src.write_text(XLIFF, "utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("id\ten\tru\nport\tport\tпорт\n", "utf-8")
    res = run("glossary", "check", src, "-g", glossary, "-s", "en", "-t", "ru")
    assert res.exit_code == 0, res.output
    assert "1 term occurrences: 1 ok" in res.output


def test_xliff_under_another_name_is_told_the_names_export_reads(tmp_path):
    src = tmp_path / "doc.jsonl"
    src.write_text(XLIFF, "utf-8")
    res = run("tmx", "export", src, "-o", tmp_path / "doc.tmx")
    assert res.exit_code == 2
    assert f"is XLIFF but not named {xliff_suffix_names()};" in res.stderr
    assert all(s in res.stderr for s in XLIFF_SUFFIXES)
