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


@pytest.fixture
def pair(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.en").write_text("The port is open.\nThe ship left.\n", "utf-8")
    (tmp_path / "a.ru").write_text("Порт открыт.\nКорабль ушёл.\n", "utf-8")
    return tmp_path


@pytest.mark.parametrize("suffix", [".sdlxliff", ".mqxliff", ".xlf2", ".SDLXLIFF"])
def test_align_refuses_a_cat_tool_xliff_name_before_any_work(pair, suffix):
    """It used to write vecalign text under the CAT tool's name, silently."""
    res = run("align", "a.en", "a.ru", "-s", "en", "-t", "ru", "-o", f"out{suffix}")
    assert res.exit_code == 2
    assert res.stderr == (
        f"align: error: out{suffix}: align writes plain XLIFF 1.2, not the {suffix.lower()} "
        "format: name the output .xlf or .xliff (-f xliff writes plain XLIFF under any name)\n"
    )
    assert not (pair / f"out{suffix}").exists() and not (pair / "cache").exists()


def test_align_batch_refuses_a_cat_tool_name_on_any_line(pair):
    (pair / "pairs.tsv").write_text("a.en\ta.ru\tone.tmx\na.en\ta.ru\ttwo.sdlxliff\n", "utf-8")
    res = run("align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert res.stderr.startswith("align: error: two.sdlxliff: align writes plain XLIFF 1.2, not ")
    assert not (pair / "one.tmx").exists()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("out.xlf", "xliff"), ("OUT.XLIFF", "xliff"), ("out.tmx.gz", "tmx"), ("out.tmx", "tmx"),
     ("out.tsv", "tsv"), ("out.align", "vecalign"), ("out.txt", "vecalign"), (None, "vecalign")],
)  # fmt: skip
def test_align_format_implied_by_the_output_name(name, fmt):
    from align.cli.aligncmd import _format_for

    assert _format_for(None, name) == fmt


@pytest.mark.parametrize("suffix", [".sdlxliff", ".mqxliff", ".xlf2"])
def test_align_format_given_writes_plain_xliff_under_a_cat_name(suffix):
    from align.cli.aligncmd import _format_for, _implied_format

    assert _format_for("xliff", f"out{suffix}") == "xliff"
    assert _implied_format(f"out{suffix}") == "xliff"  # -f tsv there: "the extension says xliff"


def test_align_to_a_tmx_gz_writes_a_compressed_tmx(pair):
    """It used to write vecalign text into out.tmx.gz (".gz" named no format)."""
    res = run("align", "a.en", "a.ru", "-s", "en", "-t", "ru", "-o", "out.tmx.gz")
    assert res.exit_code == 0, res.stderr
    assert (pair / "out.tmx.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert [(u.source, u.target) for u in read_tmx(pair / "out.tmx.gz", "en", "ru")] == [
        ("The port is open.", "Порт открыт."),
        ("The ship left.", "Корабль ушёл."),
    ]
