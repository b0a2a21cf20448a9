"""SIGTERM is handled like Ctrl-C (exit 143, no temp file left); stale temp files of
align's own naming are removed by the next run in that folder, live ones never."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from align import fsutil

ROOT = Path(__file__).resolve().parents[1]


def align_proc(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", "from align.cli import main; main()", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if fsutil.TEMP_MARK in p.name]


def test_sigterm_during_a_write_removes_the_temp_file(tmp_path):
    lines = "".join(f"Sentence number {i} is here.\n" for i in range(400_000))
    (tmp_path / "en.txt").write_text(lines)
    (tmp_path / "ru.txt").write_text(lines)
    proc = align_proc("tmx", "export", "--src", "en.txt", "--tgt", "ru.txt", "-o", "out.tmx",
                      "--src-lang", "en", "--tgt-lang", "ru", cwd=tmp_path)  # fmt: skip
    deadline = time.monotonic() + 60
    while not temps(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert temps(tmp_path), "the export finished before a temp file was seen"
    time.sleep(0.2)  # well inside the write
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "align: terminated; finished outputs are kept" in err
    assert "Traceback" not in err
    assert not temps(tmp_path)
    assert not (tmp_path / "out.tmx").exists()


def _temp(folder: Path, pid: int, age: float, tag: str = "abcd1234") -> Path:
    p = folder / f".out.txt{fsutil.TEMP_MARK}{pid}-{tag}"
    p.write_text("partial")
    t = time.time() - age
    os.utime(p, (t, t))
    return p


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temps_are_cleaned_and_live_ones_kept(tmp_path):
    dead = _dead_pid()
    stale = _temp(tmp_path, dead, age=3600)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = _temp(tmp_path, sleeper.pid, age=3600)  # its writer is still running
        fresh = _temp(
            tmp_path, dead, age=-60, tag="ef567890"
        )  # newer than this process: not ours to judge
        other = tmp_path / ".notes.txt.part"  # not align's naming
        other.write_text("x")
        removed = fsutil.clean_stale_temps(tmp_path)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert removed == [stale]
    assert live.exists() and fresh.exists() and other.exists()


def test_next_run_in_the_folder_cleans_up(tmp_path):
    stale = _temp(tmp_path, _dead_pid(), age=3600)
    (tmp_path / "page.txt").write_text("The port is open. The ship left.\n")
    proc = align_proc("segment", "page.txt", "-o", "out.txt", cwd=tmp_path)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert not stale.exists()
    assert (tmp_path / "out.txt").read_text() == "The port is open.\nThe ship left.\n"
    assert not temps(tmp_path)


def test_a_killed_install_leaves_nothing_the_next_install_keeps(tmp_path):
    from align.mt.fixture import build_fixture_package
    from align.mt.packages import install_package, scan_packages

    root = tmp_path / "pk"
    root.mkdir()
    half = root / f".install{fsutil.TEMP_MARK}{_dead_pid()}-x1"
    (half / "pkg" / "model").mkdir(parents=True)
    (half / "pkg" / "model" / "model.bin").write_bytes(b"\0" * 1000)
    t = time.time() - 3600
    os.utime(half, (t, t))
    archive = build_fixture_package(tmp_path / "arch", "en", "ru")
    install_package(archive, root)
    assert not half.exists()
    good, broken = scan_packages(root)
    assert [p.name for p in good] == ["translate-en_ru-fixture"] and not broken
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ru-fixture"]
