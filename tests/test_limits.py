"""Size limits: non-regular files refused up front, giant lines and files refused with one
line naming the limit, in bounded memory (checked under RLIMIT_AS), and no TMX written
that align cannot read back."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import cli

from align.errors import OutputError
from align.model import TranslationUnit
from align.tmx.reader import read_tmx
from align.tmx.writer import write_tmx

ROOT = Path(__file__).resolve().parents[1]


def one_error(res) -> str:
    assert res.exit_code == 2, (res.stdout, res.stderr)
    line = res.stderr.strip().splitlines()[-1]
    assert line.startswith("align: error: ") and "Traceback" not in res.stderr
    return line


READERS = {
    "ingest": ["ingest", "IN"],
    "segment": ["segment", "IN"],
    "tmx export": ["tmx", "export", "--src", "IN", "--tgt", "IN", "-o", "x.tmx"],
    "tmx to-tsv": ["tmx", "to-tsv", "IN", "-o", "x.tsv"],
    "glossary check": ["glossary", "check", "IN", "IN", "-g", "g.tsv", "--src-lang", "en",
                       "--tgt-lang", "ru"],
    "score": ["score", "--hyp", "IN", "--ref", "IN"],
    "align": ["align", "IN", "IN", "-s", "en", "-t", "ru"],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(READERS))
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_non_regular_inputs_are_refused(tmp_path, monkeypatch, name, special):
    monkeypatch.chdir(tmp_path)
    if special == "fifo":
        os.mkfifo("fifo")  # opening it for reading would block forever
    Path("g.tsv").write_text("id\ten\tru\nbaku\tBaku\tБаку\n")
    res = cli(*[special if a == "IN" else a for a in READERS[name]])
    err = one_error(res)
    assert f"{special}: is not a regular file" in err


def test_over_the_input_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_MAX_INPUT_BYTES", "10000")
    Path("big.txt").write_text("A short line.\n" * 1000)
    err = one_error(cli("segment", "big.txt"))
    assert err == ("align: error: big.txt: is 13.7 KiB, over the 9.8 KiB input limit "
                   "(split it, or raise ALIGN_MAX_INPUT_BYTES)")  # fmt: skip
    # Standard input is read only up to the limit, never whole.
    err = one_error(cli("segment", "-", input="A short line.\n" * 1000))
    assert "align: error: -: is 9.8 KiB" in err or "over the 9.8 KiB input limit" in err


@pytest.mark.parametrize("name", ["ingest", "segment", "tmx export", "glossary check", "score"])
def test_a_line_over_the_segment_limit_is_named(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_MAX_SEGMENT_CHARS", "1000")
    Path("g.tsv").write_text("id\ten\tru\nbaku\tBaku\tБаку\n")
    Path("long.txt").write_text("Fine.\n" + "word " * 400 + "\nFine.\n")
    args = ["long.txt" if a == "IN" else a for a in READERS[name]]
    err = one_error(cli(*args))
    assert "long.txt: line 2 has 2,000 characters, over the 1,000-character segment limit" in err


def test_align_refuses_too_many_lines_before_embedding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_MAX_LINES", "100")
    Path("many.txt").write_text("x\n" * 1000)
    Path("few.txt").write_text("y\n" * 10)
    err = one_error(cli("align", "many.txt", "few.txt", "-s", "en", "-t", "ru"))
    assert "many.txt: has 1,000 segments, over the 100 limit for one alignment" in err


def test_writer_refuses_what_readers_cannot_read(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_MAX_SEGMENT_CHARS", "5000")
    ok = TranslationUnit(source="a" * 5000, target="б" * 5000, src_lang="en", tgt_lang="ru")
    write_tmx(tmp_path / "ok.tmx", [ok], src_lang="en", tgt_lang="ru")
    [back] = read_tmx(tmp_path / "ok.tmx", "en", "ru")
    assert back.source == ok.source and back.target == ok.target
    bad = TranslationUnit(source="a", target="б" * 5001, src_lang="en", tgt_lang="ru")
    with pytest.raises(OutputError, match=r"unit 2 has a segment of 5,001 characters"):
        write_tmx(tmp_path / "bad.tmx", [ok, bad], src_lang="en", tgt_lang="ru")
    assert not (tmp_path / "bad.tmx").exists()


def test_xml_cap_holds_whatever_the_setting(monkeypatch):
    from align import limits

    monkeypatch.setenv("ALIGN_MAX_SEGMENT_CHARS", str(50_000_000))
    assert limits.max_xml_text_chars() == limits.XML_TEXT_CAP
    # libxml2's text-node limit is 10,000,000 bytes; 4 UTF-8 bytes per character at most.
    assert limits.XML_TEXT_CAP * 4 < 10_000_000


def _limited(args: list[str], cwd: Path, gib: float) -> subprocess.CompletedProcess:
    """Run the CLI with its address space capped at ``gib`` GiB (RLIMIT_AS)."""
    cap = int(gib * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    code = "from align.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["tmx", "export", "--src", "one.txt", "--tgt", "one.txt", "-o", "x.tmx"],
        ["segment", "one.txt", "-o", "x.txt"],
        ["ingest", "one.txt", "-o", "x.txt"],
        ["score", "--hyp", "one.txt", "--ref", "one.txt"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_20_mb_single_line_fails_fast_in_bounded_memory(tmp_path, args):
    """The issue's 50 MB single line, at 20 MB to keep the suite fast: one line, < 1 GiB."""
    (tmp_path / "one.txt").write_text("word " * 4_000_000 + "\n")
    res = _limited(args, tmp_path, gib=1.0)
    assert res.returncode == 2, res.stderr[-2000:]
    assert "one.txt: line 1 has 20,000,000 characters" in res.stderr
    assert "MemoryError" not in res.stderr and "Traceback" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt"]
