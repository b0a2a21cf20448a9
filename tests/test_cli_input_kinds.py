"""What ``align align``/``translate`` refuse to read, the TSV's review flag, and ``/dev/null``.

The trial: a TMX given to ``align align`` was aligned as markup (exit 0), an
HTML page without --segment paired its ``<!DOCTYPE html>`` lines; the TSV had
no review flag; ``align run -o /dev/null`` and ``align review --export
/dev/null`` were refused where ``translate -o /dev/null`` works.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import cli
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401
from review_helpers import small_tmx

from align.model import Bead

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="uk"><seg>Привіт.</seg></tuv></tu>
</body></tmx>
"""
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="en" target-language="uk" datatype="plaintext"><body>
<trans-unit id="1"><source>Hello.</source></trans-unit></body></file></xliff>
"""
HTML = "<!DOCTYPE html>\n<html><body>\n<p>Hello there.</p>\n<p>How are you?</p>\n</body></html>\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    Path("pe12.tmx").write_text(TMX, "utf-8")
    Path("memory.txt").write_text(TMX, "utf-8")  # a TMX under another name
    Path("job.xlf").write_text(XLIFF, "utf-8")
    Path("digest.en.html").write_text(HTML, "utf-8")
    Path("s.uk.txt").write_text("Привіт.\nЯк справи?\n", "utf-8")
    Path("s.en.txt").write_text("Hello.\nHow are you?\n", "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("src", "problem"),
    [
        ("pe12.tmx", "pe12.tmx: is a TMX file: its pairs are aligned already; `align tmx to-tsv "
         "pe12.tmx` lists them, `align review pe12.tmx` checks them"),
        ("memory.txt", "memory.txt: is a TMX file: its pairs are aligned already; `align tmx "
         "to-tsv memory.txt` lists them"),
        ("job.xlf", "job.xlf: is an XLIFF file: its units are paired already; `align tmx export "
         "job.xlf -o FILE.tmx` makes a TMX of its translated units"),
        ("digest.en.html", "digest.en.html: is an HTML page: read one segment per line, its "
         "markup would be aligned too; add --segment to read it as a document (its text, split "
         "into sentences)"),
    ],
    ids=["tmx", "tmx-named-txt", "xliff", "html"],
)  # fmt: skip
def test_align_refuses_what_is_no_line_file(files, src, problem):
    res = cli("align", src, "s.uk.txt", "-s", "en", "-t", "uk", "-o", "out.jsonl")
    assert res.exit_code == 2
    assert res.stderr == f"align: error: {problem}\n"
    assert not Path("out.jsonl").exists()


def test_a_tmx_is_refused_with_segment_too_and_html_is_read_with_it(files):
    res = cli("align", "s.en.txt", "pe12.tmx", "-s", "en", "-t", "uk", "--segment")
    assert res.exit_code == 2 and "pe12.tmx: is a TMX file" in res.stderr
    Path("digest.uk.html").write_text(HTML.replace("Hello there.", "Привіт.").replace(
        "How are you?", "Як справи?"), "utf-8")  # fmt: skip
    res = cli("align", "digest.en.html", "digest.uk.html", "-s", "en", "-t", "uk", "--segment",
              "-f", "jsonl")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    texts = [json.loads(line)["src_text"] for line in res.stdout.splitlines()]
    assert texts == ["Hello there.", "How are you?"]


def test_other_xml_read_by_line_gets_a_warning(files):
    Path("notes.en").write_text('<?xml version="1.0"?>\n<notes>Hello.</notes>\n', "utf-8")
    res = cli("align", "notes.en", "s.uk.txt", "-s", "en", "-t", "uk")
    assert res.exit_code == 0
    assert res.stderr.startswith(
        "align: warning: notes.en: looks like XML; it is read one segment per line, markup and all\n"
    )


def test_translate_refuses_a_tmx_and_html_by_line(files, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    res = cli("translate", "pe12.tmx", "digest.en.html", "s.en.txt", "--from", "en", "--to",
              "ru", "-o", "out", "--allow-fixture")  # fmt: skip
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    assert (
        "align: error: pe12.tmx: is a TMX file: a translation memory, not a text to translate; "
        "`align tmx to-tsv pe12.tmx` lists its pairs" in lines
    )
    assert (
        "align: error: digest.en.html: is an HTML page: read one segment per line, its markup "
        "would be translated too; add --segment to read it as a document (its text, split into "
        "sentences)" in lines
    )
    assert sorted(os.listdir("out")) == ["s.ru.fixture.txt"]  # the text file is translated


# --- the TSV's review flag (item 5) ----------------------------------------------------------


def test_the_tsv_carries_the_review_flag():
    from align.aligner.formats import render

    beads = [Bead((0,), (0,), 0.9999, False), Bead((1,), (), 0.41, True)]
    assert render("tsv", beads, ["Hi.", "Go\there."], ["Привіт."]) == (
        "Hi.\tПривіт.\t0.9999\tno\nGo here.\t\t0.4100\tyes\n"
    )
    assert render("vecalign", beads, ["Hi.", "Go."], ["Привіт."]) == (
        "[0]:[0]:0.999900\n[1]:[]:0.410000\n"
    )


def test_align_help_names_the_tsv_columns():
    text = " ".join(cli("align", "--help").output.split())
    assert "tsv source, target, confidence, review flag (yes/no)" in text


# --- /dev/null (item 6) -----------------------------------------------------------------------


def test_review_export_to_dev_null_checks_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_tmx(tmp_path / "small.tmx")
    res = cli("review", "small.tmx", "--export", os.devnull)
    assert res.exit_code == 0, res.output
    assert res.output == f"wrote {os.devnull}: 4 of 4 beads (0 rejected, 0 unmatched left out)\n"
    assert sorted(os.listdir(tmp_path)) == ["small.tmx"]
    help_text = " ".join(cli("review", "--help").output.split())
    assert "/dev/null writes nothing (to check that the journal applies and exports)" in help_text


def test_run_to_dev_null_runs_and_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR is read again
    Path("a.en.txt").write_text("The museum opens at ten.\nTickets cost 15 euros.\n", "utf-8")
    Path("a.ru.txt").write_text("Музей открывается в десять.\nБилеты стоят 15 евро.\n", "utf-8")
    res = cli("run", "a.en.txt", "a.ru.txt", "-s", "en", "-t", "ru", "-o", os.devnull,
              "--packages-dir", "none")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == (
        f"wrote:      nothing (outputs {os.devnull}: 7 files made, then removed)"
    )
    assert "beads:      2 (1-1: 2); 0 flagged for review" in res.output
    assert os.listdir(tmp_path / "tmp") == []  # the scratch folder is gone
    made = set(os.listdir(tmp_path)) - {"cache"}  # the embedding cache, if not warm already
    assert made == {"a.en.txt", "a.ru.txt", "tmp"}
    help_text = " ".join(cli("run", "--help").output.split())
    assert "/dev/null writes no files (to time a run or check the inputs)" in help_text
