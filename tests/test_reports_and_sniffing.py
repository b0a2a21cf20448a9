"""Reports on stdout, parser noise kept out, documents on stdin refused, pivot counts once."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives  # noqa: F401
from test_office import PDF_LINES, make_pdf

from align.cli import main
from align.mt.packages import install_package
from align.tmx import write_tmx

HUGE = "a" * (11 * 1024 * 1024)  # one text node over libxml2's 10,000,000-byte limit


def run(*args: object, input: bytes | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.strip()]


# --- 1. a report is the command's output: stdout ------------------------------------------


def _tmx(path: Path, source: str = "A.", target: str = "А.") -> Path:
    from align.model import TranslationUnit

    write_tmx(path, [TranslationUnit(source, target, "en", "ru")], src_lang="en", tgt_lang="ru")
    return path


def test_validate_report_and_summary_on_stdout(tmp_path):
    ok = _tmx(tmp_path / "ok.tmx")
    res = run("tmx", "validate", ok)
    assert res.exit_code == 0
    assert res.stdout == f"{ok}: valid TMX 1.4b\n" and res.stderr == ""
    broken = tmp_path / "broken.tmx"
    broken.write_text(ok.read_text("utf-8").replace(' srclang="en"', ""), "utf-8")
    res = run("tmx", "validate", broken)
    assert res.exit_code == 1 and res.stderr == ""
    lines = res.stdout.splitlines()
    assert "no srclang attribute" in lines[0]
    assert lines[-1] == f"{broken}: 1 error, 0 warnings"


def test_validate_json_is_the_whole_output(tmp_path):
    ok = _tmx(tmp_path / "ok.tmx")
    res = run("tmx", "validate", ok, "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == [] and res.stderr == ""


def test_sibling_reports_write_stdout_only(tmp_path):
    tmx = _tmx(tmp_path / "a.tmx")
    (tmp_path / "g.tsv").write_text("en\tru\nLondon\tЛондон\n", "utf-8")
    (tmp_path / "s.txt").write_text("London is big.\n", "utf-8")
    (tmp_path / "t.txt").write_text("Лондон большой.\n", "utf-8")
    (tmp_path / "gold").write_text("[0]:[0]\n", "utf-8")
    commands = [
        ("tmx", "stats", tmx),
        ("glossary", "check", tmp_path / "s.txt", tmp_path / "t.txt", "-g", tmp_path / "g.tsv",
         "-s", "en", "-t", "ru"),
        ("score", "--hyp", tmp_path / "t.txt", "--ref", tmp_path / "t.txt"),
        ("score-alignment", "--gold", tmp_path / "gold", "--pred", tmp_path / "gold"),
    ]  # fmt: skip
    for args in commands:
        for fmt in ("txt", "json"):
            res = run(*args, "-f", fmt)
            assert res.exit_code == 0, (args, res.output)
            assert res.stdout.strip() and res.stderr == "", (args, fmt, res.stderr)


# --- 2. parser messages: no leaks, no artifacts, a size limit named as such ----------------


def test_truncated_pdf_prints_only_aligns_error(tmp_path):
    data = make_pdf(PDF_LINES)
    path = tmp_path / "trunc.pdf"
    path.write_bytes(data[: len(data) // 2])
    # A real process: pypdf logs through Python's last-resort handler, which pytest replaces.
    res = subprocess.run(
        [sys.executable, "-m", "align", "segment", str(path), "-s", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2 and res.stdout == ""
    assert errors(res.stderr) == [
        f"align: error: {path}: is not a readable PDF (Stream has ended unexpectedly)"
    ], res.stderr


def test_truncated_tbx_error_has_no_lxml_artifacts(tmp_path):
    path = tmp_path / "trunc.tbx"
    path.write_text('<martif type="TBX-Basic"><text>', "utf-8")
    res = run("glossary", "convert", path, "-o", tmp_path / "g.tsv")
    assert res.exit_code == 2
    assert errors(res.stderr) == [
        f"align: error: {path}: is not well-formed XML "
        "(line 1: Premature end of data in tag text line 1)"
    ]


TMX_HEAD = (
    '<?xml version="1.0"?>\n<tmx version="1.4">\n<header creationtool="t" creationtoolversion="1" '
    'segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n'
)
# file -> its text, the command reading it (FILE goes first), the line of the huge node
HUGE_FILES = {
    "huge.tmx": (TMX_HEAD + '<tu><tuv xml:lang="en"><seg>' + HUGE + "</seg></tuv>"
                 '<tuv xml:lang="ru"><seg>b</seg></tuv></tu>\n</body>\n</tmx>\n',
                 ("tmx", "stats", "{}"), 5),
    "huge.tbx": ('<martif type="TBX-Basic"><text><body><termEntry id="a"><langSet xml:lang="en">'
                 "<tig><term>" + HUGE + "</term></tig></langSet></termEntry></body></text></martif>",
                 ("glossary", "convert", "{}", "-o", "out.tsv"), 1),
    "huge.xlf": ('<xliff version="1.2"><file source-language="en" target-language="ru" '
                 'datatype="plaintext" original="x"><body><trans-unit id="1"><source>' + HUGE
                 + "</source><target>b</target></trans-unit></body></file></xliff>",
                 ("tmx", "export", "{}", "-o", "out.tmx", "-s", "en", "-t", "ru"), 1),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HUGE_FILES))
def test_huge_text_node_is_named_as_a_size_limit(tmp_path, monkeypatch, name):
    text, command, line = HUGE_FILES[name]
    path = tmp_path / name
    path.write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    res = run(*(name if arg == "{}" else arg for arg in command))
    assert res.exit_code == 2
    (err,) = errors(res.stderr)
    assert err == (
        f"align: error: {name}: has a text node over 10,000,000 bytes (line {line}), "
        "more than align reads safely from one XML element (segments are limited to "
        "100,000 characters)"
    ), err


# --- 3. a PDF or an office file on standard input --------------------------------------------


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("command", ["segment", "ingest"])
@pytest.mark.parametrize(
    ("data", "kind"),
    [(make_pdf(PDF_LINES), "a PDF document"), (_docx_bytes(), "a ZIP archive")],
)
def test_document_on_stdin_is_refused_with_one_line(command, data, kind):
    res = run(command, "-", "-s", "en", input=data)
    assert res.exit_code == 2 and res.stdout == ""
    (err,) = errors(res.stderr)
    assert err.startswith(f"align: error: -: standard input is {kind}")
    assert "give the file by name" in err


def test_pdf_without_its_suffix_is_not_read_as_text(tmp_path):
    path = tmp_path / "report"
    path.write_bytes(make_pdf(PDF_LINES))
    res = run("segment", path, "-s", "en")
    assert res.exit_code == 2 and res.stdout == ""
    assert errors(res.stderr) == [
        f"align: error: {path}: is a PDF document, not text "
        "(documents are read by their .pdf, .docx or .odt suffix)"
    ]


def test_text_on_stdin_still_reads(tmp_path):
    res = run("segment", "-", "-s", "en", input=b"%PDF is a format. Zip it.\n")
    assert res.exit_code == 0 and res.stdout == "%PDF is a format.\nZip it.\n"


# --- 4. a pivot counts each segment once ---------------------------------------------------


def _counts(stderr: str) -> tuple[int, int, int, int]:
    m = re.search(
        r"(\d+) segments \((\d+) by the model, (\d+) from cache(?:, (\d+) blank)?\)", stderr
    )
    assert m, stderr
    return tuple(int(g or 0) for g in m.groups())  # type: ignore[return-value]


def test_pivot_summary_counts_segments_not_legs(tmp_path, monkeypatch, fixture_archives):  # noqa: F811
    root = tmp_path / "packages"
    for pair in (("ru", "en"), ("en", "az")):
        install_package(fixture_archives[pair], root)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "ru.txt"
    src.write_text("Москва и Баку.\nПереговоры начались.\n\nМосква.\n", "utf-8")
    args = ("translate", src, "-s", "ru", "-t", "az", "-o", tmp_path / "out", "--allow-fixture")
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert _counts(res.stderr) == (4, 3, 0, 1)
    src.write_text("Москва и Баку.\nПереговоры начались.\n\nМосква.\nНовый текст.\n", "utf-8")
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert _counts(res.stderr) == (5, 1, 3, 1)  # the new line needed the model on both legs
