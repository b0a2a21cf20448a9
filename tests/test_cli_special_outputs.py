"""Outputs that are not files in a folder: FIFOs, sockets, /dev/stdout, translate -o /dev/null."""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_helpers import cli, work_folder
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401

from align.errors import OutputError
from align.fsutil import write_text_atomic
from align.paths import check_output_file, check_outputs

PAGE = "<html><body><h1>Baku</h1><p>The port of Baku is open. The ship left.</p></body></html>\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    return work_folder(tmp_path, monkeypatch, {"page.html": PAGE})


def test_a_fifo_output_is_written_in_place(work):
    os.mkfifo("pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(Path("pipe").read_bytes()), daemon=True)
    reader.start()
    res = cli("segment", "page.html", "-s", "en", "-o", "pipe")
    reader.join(1)
    if reader.is_alive():  # nothing opened the FIFO: release the reader
        # ENXIO: the reader has closed its end since (it read everything and is returning)
        with contextlib.suppress(OSError):
            os.close(os.open("pipe", os.O_WRONLY | os.O_NONBLOCK))
    reader.join(10)
    assert res.exit_code == 0, res.stderr
    expected = cli("segment", "page.html", "-s", "en").stdout
    assert got == [expected.encode()]
    assert stat.S_ISFIFO(os.stat("pipe").st_mode)


def test_a_socket_output_is_refused_naming_it(work):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("sock")
        res = cli("segment", "page.html", "-s", "en", "-o", "sock")
    assert res.exit_code == 2
    assert res.stderr == "align: error: sock: is not a regular file (it is a socket); give a file\n"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_a_link_to_an_open_descriptor_is_written_through_not_replaced(tmp_path):
    """-o /dev/stdout with stdout redirected to a file: the file gets the output, and the
    link stays (a rename would have replaced /dev/stdout itself, as root)."""
    target = tmp_path / "redirected.txt"
    link = tmp_path / "stdout"
    with open(target, "w", encoding="utf-8") as fh:
        link.symlink_to(f"/proc/self/fd/{fh.fileno()}")
        write_text_atomic(link, "hello\n")
        assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "hello\n"


@pytest.mark.parametrize("fmt", ["txt", "tmx", "xliff"])
def test_translate_to_dev_null_translates_and_keeps_nothing(mt_env, monkeypatch, fmt):  # noqa: F811
    monkeypatch.chdir(mt_env)
    Path("docs").mkdir()
    Path("docs/a.txt").write_text("Peace talks began.\nThe port is open.\n", encoding="utf-8")
    Path("docs/b.txt").write_text("Baku is a city.\n", encoding="utf-8")
    before = sorted(p.name for p in Path("docs").iterdir())
    res = cli("translate", "docs", "-s", "en", "-t", "ru", "--allow-fixture", "-f", fmt,
              "-o", os.devnull)  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert "translated 2 file(s), 3 segments" in res.stderr and f"-> {os.devnull}" in res.stderr
    assert sorted(p.name for p in Path("docs").iterdir()) == before
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_translate_output_folder_that_is_a_fifo_is_refused(work):
    os.mkfifo("pipe")
    res = cli("translate", "page.html", "-s", "en", "-t", "ru", "-o", "pipe")
    assert res.exit_code == 2
    assert res.stderr == "align: error: pipe: is a pipe (FIFO); the output must be a folder\n"


ROOT = Path(__file__).resolve().parents[1]
SEGMENTED = "Baku\nThe port of Baku is open.\nThe ship left.\n"


def _shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """``script`` under /bin/sh with ``$ALIGN`` the CLI of this checkout."""
    align = f"{shlex.quote(sys.executable)} -m align"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALIGN": align}
    return subprocess.run(["/bin/sh", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_dev_stdout_appended_to_keeps_what_the_file_held(work, name):
    """``-o /dev/stdout >> log`` adds to log: the descriptor is written, never reopened."""
    Path("log.txt").write_text("old\n", encoding="utf-8")
    res = _shell(f"$ALIGN segment page.html -s en -o {name} >> log.txt", work)
    assert res.returncode == 0, res.stderr
    assert Path("log.txt").read_text(encoding="utf-8") == "old\n" + SEGMENTED


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_dev_stdout_in_a_subshell_keeps_the_header_written_before(work):
    script = (
        "( echo header; $ALIGN segment page.html -s en -o /dev/stdout; echo footer ) > log2.txt"
    )
    res = _shell(script, work)
    assert res.returncode == 0, res.stderr
    assert Path("log2.txt").read_text(encoding="utf-8") == "header\n" + SEGMENTED + "footer\n"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_an_open_descriptor_is_duplicated_not_reopened(tmp_path):
    """Written at the descriptor's offset, after what it had written; the file is not cut."""
    target = tmp_path / "out.txt"
    target.write_text("0123456789\n", encoding="utf-8")
    fd = os.open(target, os.O_WRONLY | os.O_APPEND)
    try:
        write_text_atomic(f"/dev/fd/{fd}", "new\n")
        write_text_atomic(f"/proc/self/fd/{fd}", "newer\n")
        os.fstat(fd)  # still open: the duplicate was closed, not the descriptor
    finally:
        os.close(fd)
    assert target.read_text(encoding="utf-8") == "0123456789\nnew\nnewer\n"


def test_a_closed_descriptor_is_one_line_error(tmp_path):
    fd = os.open(tmp_path / "x", os.O_WRONLY | os.O_CREAT)
    os.close(fd)
    if os.path.exists(f"/dev/fd/{fd}"):
        pytest.skip("descriptor number reused")
    with pytest.raises(OutputError) as err:
        write_text_atomic(f"/dev/fd/{fd}", "x\n")
    assert str(err.value).startswith(f"/dev/fd/{fd}: ")


def test_the_null_device_is_opened_not_duplicated():
    write_text_atomic(os.devnull, "nothing\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_only_the_null_device_takes_two_outputs(tmp_path):
    check_outputs([], [os.devnull, os.devnull])  # no error
    leader, follower = os.openpty()
    try:
        tty = os.ttyname(follower)
        with pytest.raises(OutputError) as err:
            check_outputs([], [tty, tty])
    finally:
        os.close(leader)
        os.close(follower)
    assert str(err.value) == f"{tty}: is given twice as an output"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_glossary_fix_two_outputs_to_a_piped_stdout_refused_as_on_a_terminal(work):
    Path("en.txt").write_text("Stepanakert is a city.\n", encoding="utf-8")
    Path("ru.txt").write_text("Степанакерт — город.\n", encoding="utf-8")
    gloss = ROOT / "glossaries" / "interview.tsv"
    fix = f"$ALIGN glossary fix en.txt ru.txt -g {shlex.quote(str(gloss))} -s en -t ru"
    piped = _shell(f"{fix} -o /dev/stdout --changes /dev/stdout | cat", work)
    assert piped.stdout == ""
    assert piped.stderr == ("align: error: /dev/stdout: is given twice as an output\n")
    null = _shell(f"{fix} -o /dev/null --changes /dev/null", work)
    assert null.returncode == 0, null.stderr


def test_translate_to_a_terminal_is_not_taken_for_dev_null(tmp_path):
    """Only the null device discards translate's outputs; a terminal is not a folder."""
    leader, follower = os.openpty()
    try:
        tty = os.ttyname(follower)
        res = cli("translate", str(ROOT / "README.md"), "-s", "en", "-t", "ru", "-o", tty)
    finally:
        os.close(leader)
        os.close(follower)
    assert res.exit_code == 2
    assert res.stderr == f"align: error: {tty}: is a device; the output must be a folder\n"


def test_one_refusal_for_an_output_that_is_not_a_file(tmp_path):
    """The early check and the writer refuse a socket with the same line."""
    sock_path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OutputError) as early:
            check_output_file(sock_path)
        with pytest.raises(OutputError) as late:
            write_text_atomic(sock_path, "x")
    line = f"{sock_path}: is not a regular file (it is a socket); give a file"
    assert str(early.value) == str(late.value) == line


@pytest.mark.parametrize("no_cache", [False, True], ids=["cache", "no-cache"])
def test_translate_to_dev_null_still_writes_the_cache(mt_env, monkeypatch, no_cache):  # noqa: F811
    """-o /dev/null writes no output files; the segment cache is kept (--no-cache: not)."""
    monkeypatch.chdir(mt_env)
    Path("a.txt").write_text("Peace talks began.\n", encoding="utf-8")
    args = ["translate", "a.txt", "-s", "en", "-t", "ru", "--allow-fixture", "-o", os.devnull,
            "--cache-dir", "cache"]  # fmt: skip
    res = cli(*args, *(["--no-cache"] if no_cache else []))
    assert res.exit_code == 0, res.stderr
    cached = sorted(p.name for p in Path("cache").rglob("*") if p.is_file())
    assert (cached == []) is no_cache


def test_translate_help_says_dev_null_keeps_the_cache():
    from align.cli.translate import translate

    (out,) = [p for p in translate.params if p.name == "out_dir"]
    assert out.help == (
        "Output folder; sub-folders of input folders are kept. /dev/null writes no output "
        "files (to time a run or check the inputs); the segment cache is still written unless "
        "--no-cache."
    )


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_a_descriptor_open_for_reading_is_one_line_and_left_as_it_was(tmp_path):
    target = tmp_path / "in.txt"
    target.write_text("keep\n", encoding="utf-8")
    fd = os.open(target, os.O_RDONLY)
    try:
        with pytest.raises(OutputError) as err:
            write_text_atomic(f"/dev/fd/{fd}", "x\n")
    finally:
        os.close(fd)
    assert str(err.value) == (
        f"/dev/fd/{fd}: is open for reading only (standard input?), not for writing"
    )
    assert target.read_text(encoding="utf-8") == "keep\n"
