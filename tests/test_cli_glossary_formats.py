"""``glossary convert -f`` (a name that says no format: /dev/null) and what ``glossary check`` reads alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_helpers import cli, work_folder

from align.glossary import load_glossary

GLOSSARY = "id\ten\tru\nbaku\tBaku\tБаку\nport\tport|harbour\tпорт\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    return work_folder(tmp_path, monkeypatch, {"g.tsv": GLOSSARY, "en.txt": "Baku has a port.\n"})


@pytest.mark.parametrize("fmt", ["tsv", "csv", "tbx"])
def test_convert_to_dev_null_with_a_format_checks_the_glossary(work, fmt):
    res = cli("glossary", "convert", "g.tsv", "-o", os.devnull, "-f", fmt)
    assert res.exit_code == 0, res.stderr
    assert res.stderr == "/dev/null: 2 terms, languages en, ru\n"
    assert sorted(p.name for p in work.iterdir()) == ["en.txt", "g.tsv"]


def test_convert_without_a_format_or_an_extension_is_one_line(work):
    for out in (os.devnull, "terms.out"):
        res = cli("glossary", "convert", "g.tsv", "-o", out)
        assert res.exit_code == 2
        assert res.stderr == (
            f"align: error: {out}: unknown glossary format: name it .tsv, .csv or .tbx, "
            "or give -f tsv, csv or tbx\n"
        )
    assert not Path("terms.out").exists()


def test_the_format_option_decides_what_is_written(work):
    res = cli("glossary", "convert", "g.tsv", "-o", "terms.out", "-f", "csv")
    assert res.exit_code == 0, res.stderr
    assert Path("terms.out").read_text(encoding="utf-8") == (
        "id,en,ru\nbaku,Baku,Баку\nport,port|harbour,порт\n"
    )
    res = cli("glossary", "convert", "g.tsv", "-o", "terms.xml.out", "--format", "tbx")
    assert res.exit_code == 0, res.stderr
    assert Path("terms.xml.out").read_bytes().startswith(b"<?xml")
    Path("back.tbx").write_bytes(Path("terms.xml.out").read_bytes())
    assert load_glossary("back.tbx").terms == load_glossary("g.tsv").terms


def test_a_format_against_the_extension_is_written_with_a_warning(work):
    res = cli("glossary", "convert", "g.tsv", "-o", "g2.tsv", "-f", "csv")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [
        "align: warning: g2.tsv: writing csv, although the extension says tsv",
        "g2.tsv: 2 terms, languages en, ru",
    ]
    assert Path("g2.tsv").read_text(encoding="utf-8").startswith("id,en,ru\n")


def test_extension_still_decides_without_a_format(work):
    res = cli("glossary", "convert", "g.tsv", "-o", "g.csv")
    assert res.exit_code == 0, res.stderr
    assert Path("g.csv").read_text(encoding="utf-8").startswith("id,en,ru\n")


def test_convert_help_names_the_format_option():
    out = " ".join(cli("glossary", "convert", "--help").stdout.split())
    assert "-f, --format [tsv|csv|tbx] Output format (default: from the -o extension" in out


def test_check_with_one_plain_file_names_tmx_and_xliff(work):
    res = cli("glossary", "check", "en.txt", "-g", "g.tsv", "-s", "en", "-t", "ru")
    assert res.exit_code == 2
    assert res.stderr == (
        "align: error: en.txt: needs a target file (or give a TMX or XLIFF file alone: "
        ".tmx, .tmx.gz, .xlf, .xliff, .xlf2, .sdlxliff or .mqxliff)\n"
    )
