"""Everyday inputs (issue #11): line breaks, blank lines, encodings, language tags,
console encoding and file permissions, through every command that reads them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import main
from align.errors import InputError
from align.text.textio import decode, read_lines, split_lines

ROOT = Path(__file__).resolve().parent.parent

EN = ["The port is open.", "The ship\x0bleft at nine.", "Nobody\u2028answered\x0cat all."]
RU = ["Порт открыт.", "Корабль\x0cушёл в девять.", "Никто\u2029не ответил\x0bвообще."]
ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# --- one reader of line files -------------------------------------------------------------


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_lines_end_only_at_lf_crlf_cr(tmp_path, ending, capsys):
    path = tmp_path / "en.txt"
    path.write_bytes(ending.join(EN).encode() + ending.encode())
    assert read_lines(path) == EN
    err = capsys.readouterr().err
    assert "lines 2, 3" in err and "U+000B" in err and "U+2028" in err


_LINE = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)))


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=8), st.sampled_from(list(ENDINGS.values())))
def test_split_lines_inverts_joining(lines, ending):
    """Whatever the line content (VT, FF, NEL, U+2028 ...), lines come back as written."""
    text = "".join(line + ending for line in lines)
    assert split_lines(text) == lines
    assert len(split_lines(text)) <= len(text.splitlines())  # str.splitlines breaks at more


def test_blank_lines_keep_their_place_and_text_is_trimmed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("  One.\u00a0\n\n\tTwo. \n", "utf-8")
    assert read_lines(path) == ["One.", "", "Two."]


@pytest.fixture
def env(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_every_command_sees_the_same_lines(env):
    """segment, align, tmx export, translate, glossary check and score: 3 lines each.

    English ends its lines with CR only (old Mac exports), Russian mixes CRLF, LF and
    CR; both carry VT, FF and U+2028/2029 inside lines.
    """
    en, ru = env / "en.txt", env / "ru.txt"
    en.write_bytes(("\r".join(EN) + "\r").encode())
    ru.write_bytes(f"{RU[0]}\r\n{RU[1]}\n{RU[2]}\r".encode())
    (env / "g.tsv").write_text("en\tru\nNobody\tНикто\n", "utf-8")

    res = run("segment", en, "--lang", "en")
    assert res.exit_code == 0, res.output
    assert len(split_lines(res.stdout)) == 3

    res = run("align", en, ru, "--src-lang", "en", "--tgt-lang", "ru", "-o", env / "a.jsonl")
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in (env / "a.jsonl").read_text("utf-8").split("\n") if x]
    assert [(r["src"], r["tgt"]) for r in recs] == [([0], [0]), ([1], [1]), ([2], [2])]

    res = run("tmx", "export", "--src", en, "--tgt", ru, "--src-lang", "en", "--tgt-lang", "ru",
              "-o", env / "a.tmx", "--replace-invalid-chars")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "wrote 3 units" in res.stderr

    res = run("translate", en, "--from", "en", "--to", "ru", "-o", env / "out", "--allow-fixture")
    assert res.exit_code == 0, res.output
    (out,) = (env / "out").rglob("*.txt")
    assert len(split_lines(out.read_text("utf-8"))) == 3

    res = run("glossary", "check", en, ru, "-g", env / "g.tsv", "--src-lang", "en",
              "--tgt-lang", "ru", "--all")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "line 3: ok" in res.stdout

    res = run("score", "--hyp", ru, "--ref", ru, "--tgt-lang", "ru", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["scores"]["n_segments"] == 3


def test_cr_only_file_is_not_one_line_to_the_aligner(env):
    """Old Mac exports: three English lines against three Russian ones, not a 3-1 bead."""
    (env / "en.txt").write_bytes(b"The port is open.\rThe ship left.\rNobody answered.\r")
    (env / "ru.txt").write_text("Порт открыт.\nКорабль ушёл.\nНикто не ответил.\n", "utf-8")
    res = run("align", env / "en.txt", env / "ru.txt", "--src-lang", "en", "--tgt-lang", "ru")
    assert res.exit_code == 0, res.output
    assert [ln.split(":")[:2] for ln in res.stdout.splitlines()] == [
        ["[0]", "[0]"], ["[1]", "[1]"], ["[2]", "[2]"]
    ]  # fmt: skip


def test_blank_lines_are_never_aligned_to_text(env):
    """Blank lines: no stray spaces in segments, own output validates --strict, line numbers kept."""
    (env / "en.txt").write_text(
        "The museum opens at nine.\n\nTickets cost ten euros.\n\n\nThank you!\n", "utf-8"
    )
    (env / "ru.txt").write_text(
        "Музей открывается в девять.\nБилеты стоят десять евро.\n\nСпасибо!\n", "utf-8"
    )
    args = (env / "en.txt", env / "ru.txt", "--src-lang", "en", "--tgt-lang", "ru")
    res = run("align", *args, "-o", env / "a.jsonl")
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in (env / "a.jsonl").read_text("utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs] == [([0], [0]), ([2], [1]), ([5], [3])]
    assert recs[0]["src_text"] == "The museum opens at nine."
    assert all(r["src_text"] == r["src_text"].strip() for r in recs)
    res = run("align", *args)
    assert [ln.rsplit(":", 1)[0] for ln in res.stdout.splitlines()] == [
        "[0]:[0]", "[2]:[1]", "[5]:[3]"
    ]  # fmt: skip
    assert run("align", *args, "-o", env / "a.tmx").exit_code == 0
    res = run("tmx", "validate", env / "a.tmx", "--strict")
    assert res.exit_code == 0, res.output


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text", "where"),
    [
        # a truncated em dash (e2 80 94 lost its last byte): cp932 would read 窶
        (b"Moscow \xe2\x80 yesterday.\nIt rained.\n", "Moscow \ufffd yesterday.", "line 1, byte 7"),
        (b"One.\nTwo.\nMoscow \xe2\x80\n", "Moscow \ufffd", "line 3, byte 17"),
        # a stray byte in a file with plenty of real UTF-8
        ("Порт открыт сегодня утром.\n".encode() * 3 + b"\xff\n", "Порт открыт сегодня утром.", "line 4"),
        (b"A.\rB \xf0\x9f\x98 c.\r", "A.", "line 2, byte 5"),
    ],
)  # fmt: skip
def test_mostly_utf8_is_read_as_utf8_with_a_warning(data, text, where, capsys):
    decoded = decode(data, "x.txt")
    assert decoded.encoding == "utf-8"
    assert text in decoded.text
    assert "窶" not in decoded.text
    err = capsys.readouterr().err
    assert (
        err.startswith("align: warning: x.txt: invalid UTF-8 replaced by U+FFFD") and where in err
    )


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        # a stray byte that is no cp1252 text: broken UTF-8, never a random codepage
        (b"Moscow \xff yesterday. It rained all day.\n", "Moscow \ufffd yesterday.", "utf-8"),
        (b"Moscow \xe2 yesterday. It rained.\n", "Moscow \ufffd yesterday.", "utf-8"),
        # a few bytes that are cp1252 text stay cp1252 (dash, quotes, letters in words)
        (b"Moscow \x96 yesterday. It rained.\n", "Moscow \u2013 yesterday.", "cp1252"),
        (b"He said \x93yes\x94.\n", "He said \u201cyes\u201d.", "cp1252"),
        (b"Caf\xe9 au lait, s'il vous pla\xeet.\n", "Café au lait, s'il vous plaît.", "cp1252"),
        # a short Cyrillic word is cp1251, not cp1006/cp1125 look-alikes
        ("Россия - Moscow\n".encode("cp1251"), "Россия - Moscow", "cp1251"),
    ],
)  # fmt: skip
def test_few_stray_bytes(data, text, encoding, capsys):
    decoded = decode(data, "x.txt")
    assert text in decoded.text and decoded.encoding == encoding
    assert ("invalid UTF-8 replaced" in capsys.readouterr().err) == (encoding == "utf-8")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_legacy_cyrillic_is_still_detected(encoding, capsys):
    text = "Порт открыт. Никто не ответил. Капитан ушёл на берег.\n"
    decoded = decode(text.encode(encoding))
    assert decoded.text == text and decoded.encoding != "utf-8"
    assert "warning" not in capsys.readouterr().err


def test_align_reads_what_the_other_commands_read(env):
    """align align no longer insists on UTF-8: a cp1251 file reads like it does in segment."""
    (env / "ru.txt").write_bytes("Порт открыт.\nКорабль ушёл.\n".encode("cp1251"))
    (env / "en.txt").write_text("The port is open.\nThe ship left.\n", "utf-8")
    res = run("align", env / "en.txt", env / "ru.txt", "--src-lang", "en", "--tgt-lang", "ru")
    assert res.exit_code == 0, res.output
    assert [ln.rsplit(":", 1)[0] for ln in res.stdout.splitlines()] == ["[0]:[0]", "[1]:[1]"]


def test_binary_is_still_refused(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"ok\nbad \x00 byte\n")
    with pytest.raises(InputError, match=r"binary data, not text \(line 2 has a NUL byte\)"):
        read_lines(tmp_path / "b.txt")


# --- console encoding -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_non_utf8_console_gets_utf8(tmp_path, encoding):
    src = tmp_path / "ru.txt"
    src.write_text("«Порт открыт?» — спросил капитан. Никто не ответил.\n", "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT), "LC_ALL": "C"}
    proc = subprocess.run(
        [sys.executable, "-c", "from align.cli import main; main()", "segment", str(src),
         "--lang", "ru"],
        capture_output=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode("utf-8").splitlines() == [
        "«Порт открыт?» — спросил капитан.",
        "Никто не ответил.",
    ]
    assert b"Traceback" not in proc.stderr


# --- permissions ----------------------------------------------------------------------------


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    yield set_mask
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_outputs_follow_the_umask(tmp_path, umask, mask, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    umask(mask)
    (tmp_path / "en.txt").write_text("The port is open.\n", "utf-8")
    (tmp_path / "ru.txt").write_text("Порт открыт.\n", "utf-8")
    outs = [tmp_path / "a.tmx", tmp_path / "s.txt", tmp_path / "a.tsv"]
    assert run("tmx", "export", "--src", tmp_path / "en.txt", "--tgt", tmp_path / "ru.txt",
               "--src-lang", "en", "--tgt-lang", "ru", "-o", outs[0]).exit_code == 0  # fmt: skip
    assert run("segment", tmp_path / "en.txt", "--lang", "en", "-o", outs[1]).exit_code == 0
    assert run("tmx", "to-tsv", outs[0], "-o", outs[2]).exit_code == 0
    for out in outs:
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask, out


def test_installed_models_follow_the_umask(tmp_path, umask, fixture_archives):  # noqa: F811
    from align.mt.fixture import build_fixture_package
    from align.mt.packages import install_package

    umask(0o022)
    built = build_fixture_package(tmp_path / "built", "en", "ru")
    assert stat.S_IMODE(built.stat().st_mode) == 0o644
    pkg = install_package(fixture_archives[("en", "ru")], tmp_path / "pk")
    modes = {stat.S_IMODE(p.stat().st_mode) for p in pkg.path.rglob("*") if p.is_file()}
    assert modes == {0o644}
    dirs = {stat.S_IMODE(p.stat().st_mode) for p in [pkg.path, *pkg.path.rglob("*")] if p.is_dir()}
    assert dirs == {0o755}


_RU_LINE = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД .,!?0123456789", min_size=12,
                   max_size=60)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.lists(_RU_LINE, min_size=2, max_size=8), st.data())
def test_one_broken_byte_never_changes_the_other_lines(lines, data):
    """UTF-8 with one damaged byte: every other line is read exactly as written."""
    raw = ("\n".join(lines) + "\n").encode()
    multibyte = [i for i, b in enumerate(raw) if b >= 0x80]
    if len(multibyte) < 20:
        return
    pos = data.draw(st.sampled_from(multibyte))
    broken = raw[:pos] + b"\xff" + raw[pos + 1 :]
    decoded = decode(broken, "x.txt")
    assert decoded.encoding == "utf-8"
    damaged = raw[:pos].count(b"\n")
    got = decoded.text.split("\n")
    for k, line in enumerate(lines):
        if k != damaged:
            assert got[k] == line
    assert "\ufffd" in got[damaged]


_RU_WORDS = ["порт", "открыт", "сегодня", "никто", "не", "ответил", "капитан", "корабль", "ушёл", "в", "море", "ночью", "ветер", "был", "сильный", "мы", "ждали", "утра", "город", "спал", "тихо", "и", "долго"]  # fmt: skip
_RU_SENTENCE = st.lists(st.sampled_from(_RU_WORDS), min_size=3, max_size=10).map(
    lambda ws: " ".join(ws).capitalize() + "."
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_RU_SENTENCE, min_size=1, max_size=6), st.sampled_from(["cp1251", "koi8-r"]))
def test_legacy_russian_is_never_taken_for_broken_utf8(lines, encoding):
    """Real Russian words in a legacy codepage decode exactly, never as damaged UTF-8."""
    text = "\n".join(lines) + "\n"
    decoded = decode(text.encode(encoding))
    assert decoded.encoding != "utf-8" and "\ufffd" not in decoded.text
    if sum(ch.isalpha() for ch in text) >= 15:  # a few letters can read either way
        assert decoded.text == text
