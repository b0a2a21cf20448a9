"""User SRX rules (``--srx FILE.srx``) in every command that splits documents into sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli, work_folder
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401

# Breaks only after "; ": sentence ends stay inside a paragraph's one segment.
SEMICOLON_SRX = """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="no"/>
<body><languagerules><languagerule languagerulename="Semicolons">
<rule break="yes"><beforebreak>;\\s</beforebreak><afterbreak></afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="Semicolons"/></maprules>
</body></srx>
"""
EN = "Museum guide\n\nThe museum opens at 10 a.m. Tickets cost 15 euros.\n\nThank you!\n"
RU = "Путеводитель по музею\n\nМузей открывается в 10 утра. Билеты стоят 15 евро.\n\nСпасибо!\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    files = {"doc.en": EN, "doc.ru": RU, "semi.srx": SEMICOLON_SRX, "bad.srx": "<notsrx/>\n"}
    return work_folder(tmp_path, monkeypatch, files)


def test_align_segment_uses_the_users_srx(work):
    res = cli("align", "doc.en", "doc.ru", "-s", "en", "-t", "ru", "--segment",
              "--srx", "semi.srx", "-f", "jsonl")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["src_text"] for r in recs] == [
        "Museum guide",
        "The museum opens at 10 a.m. Tickets cost 15 euros.",  # the built-in rules split it
        "Thank you!",
    ]


def test_segment_and_align_agree_on_the_users_srx(work):
    res = cli("segment", "doc.en", "-s", "en", "--srx", "semi.srx")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[1] == "The museum opens at 10 a.m. Tickets cost 15 euros."


@pytest.mark.parametrize(
    "args",
    [
        ["align", "doc.en", "doc.ru", "-s", "en", "-t", "ru", "--segment", "-o", "out.tsv"],
        ["segment", "doc.en", "-s", "en", "-o", "out.tsv"],
        ["translate", "doc.en", "-s", "en", "-t", "ru", "--segment", "-o", "out.tsv"],
    ],
    ids=["align", "segment", "translate"],
)
def test_a_bad_srx_is_one_line_before_any_work(work, args):
    res = cli(*args, "--srx", "bad.srx")
    assert res.exit_code == 2
    assert res.stderr == "align: error: bad.srx: is not an SRX file (root element <notsrx>)\n"
    assert not Path("out.tsv").exists()


@pytest.mark.parametrize("command", [["align"], ["segment"], ["translate"]])
def test_srx_help_names_a_file(command):
    res = cli(*command, "--help")
    assert "--srx FILE.srx" in res.stdout


# --- --srx where no document is split: refused; where only some are: one note --------------

SRX_UNUSED = (
    "align: error: --srx semi.srx: SRX rules split documents into sentences, but without "
    "--segment every input here is read one segment per line; add --segment, or leave --srx out\n"
)


@pytest.fixture
def lines(work):
    Path("a.en.txt").write_text("The museum opens at 10 a.m. Tickets cost 15 euros.\n", "utf-8")
    Path("a.ru.txt").write_text("Музей открывается в 10 утра. Билеты стоят 15 евро.\n", "utf-8")
    Path("pairs.tsv").write_text("a.en.txt\ta.ru.txt\tout.tsv\n", "utf-8")
    return work


@pytest.mark.parametrize(
    "args",
    [
        ["translate", "a.en.txt", "-s", "en", "-t", "ru", "-o", "out"],
        ["translate", ".", "-s", "en", "-t", "ru", "-o", "out"],
        ["align", "a.en.txt", "a.ru.txt", "-s", "en", "-t", "ru", "-o", "out.tsv"],
        ["align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru"],
    ],
    ids=["translate", "translate-folder", "align", "align-batch"],
)
def test_srx_for_line_files_only_is_refused_before_any_work(lines, args):
    before = sorted(p.name for p in lines.iterdir())
    res = cli(*args, "--srx", "semi.srx")
    assert res.exit_code == 2
    assert res.stderr == SRX_UNUSED
    assert sorted(p.name for p in lines.iterdir()) == before


def test_srx_with_segment_is_used_as_before(lines):
    res = cli("align", "a.en.txt", "a.ru.txt", "-s", "en", "-t", "ru", "--segment",
              "--srx", "semi.srx", "-f", "jsonl")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert "--srx" not in res.stderr
    assert len(res.stdout.splitlines()) == 1  # one segment a side: no break after "a.m. "


def test_srx_for_some_office_inputs_is_one_note(work, mt_env):  # noqa: F811
    from test_office import make_docx

    Path("in").mkdir()
    make_docx(Path("in/report.docx"))
    Path("in/a.txt").write_text("The museum opens at 10 a.m. Tickets cost 15 euros.\n", "utf-8")
    res = cli("translate", "in", "-s", "en", "-t", "ru", "-o", "out", "--allow-fixture",
              "--srx", "semi.srx")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    notes = [line for line in res.stderr.splitlines() if "--srx" in line]
    assert notes == [
        "align: note: --srx semi.srx: used for the .docx/.odt/.pdf inputs only; in/a.txt read "
        "one segment per line (add --segment to split them too)"
    ]
    assert Path("out/a.ru.fixture.txt").read_text("utf-8").count("\n") == 1  # by line


def test_srx_note_names_the_line_files(lines, monkeypatch, capsys):
    from align.cli.options import check_srx_use

    check_srx_use("semi.srx", [Path("report.docx"), Path("a.txt"), Path("b.txt")], False)
    assert capsys.readouterr().err == (
        "align: note: --srx semi.srx: used for the .docx/.odt/.pdf inputs only; a.txt and 1 "
        "more read one segment per line (add --segment to split them too)\n"
    )
    check_srx_use("semi.srx", [Path("report.docx"), Path("a.odt")], False)
    check_srx_use("semi.srx", [Path("a.txt")], True)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["align", "translate"])
def test_srx_help_names_every_document_split_pdf_too(command):
    res = cli(command, "--help")
    assert "for --segment and .docx/.odt/.pdf inputs." in " ".join(res.stdout.split())


def test_srx_for_a_pdf_is_used_not_refused(lines, capsys):
    from align.cli.options import check_srx_use

    check_srx_use("semi.srx", [Path("a.pdf"), Path("b.PDF")], False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("name", "segment", "split"),
    [("a.docx", False, True), ("a.ODT", False, True), ("a.pdf", False, True),
     ("a.txt", False, False), ("a.html", False, False), ("a.txt", True, True),
     ("-", False, False), ("-", True, True)],
)  # fmt: skip
def test_one_rule_for_what_is_split_into_sentences(name, segment, split):
    from align.text.office import OFFICE_NAMES, splits_into_sentences

    assert splits_into_sentences(name, segment) is split
    assert OFFICE_NAMES == ".docx/.odt/.pdf"
