"""Outputs that are not files in a folder: FIFOs, sockets, /dev/stdout, translate -o /dev/null."""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401

from align.cli import main
from align.fsutil import write_text_atomic

PAGE = "<html><body><h1>Baku</h1><p>The port of Baku is open. The ship left.</p></body></html>\n"


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_a_fifo_output_is_written_in_place(work):
    os.mkfifo("pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(Path("pipe").read_bytes()), daemon=True)
    reader.start()
    res = cli("segment", "page.html", "-s", "en", "-o", "pipe")
    if reader.is_alive():  # nothing opened the FIFO: release the reader
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
