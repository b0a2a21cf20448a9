"""How `align translate` ends when it does not finish: SIGTERM exits 143 ("terminated"),
Ctrl-C 130 ("interrupted"), and the message never promises a resume --no-cache cannot
give; a run that fails before writing anything prints no success line and leaves no
output folder behind (a folder that already existed stays)."""

from __future__ import annotations

import errno
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import Terminated, main

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["Baku", "Moscow", "capital", "talks", "and", "the", "of", "number", "city", "river"]


def write_lines(path: Path, n: int) -> None:
    rng = random.Random(3)
    path.write_text("".join(" ".join(rng.choices(WORDS, k=9)) + f" {i}.\n" for i in range(n)))


@pytest.fixture
def env(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return packages_dir


def translate(packages: Path, *args: str) -> Result:
    base = ["translate", "-s", "en", "-t", "ru", "--allow-fixture", "--packages-dir", str(packages)]
    return CliRunner().invoke(main, [*base, *args])


def no_traceback(res: Result) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output


# --- stopping: the exit code and the message follow the signal and --no-cache


@pytest.mark.parametrize(
    ("stop", "code", "word"),
    [(KeyboardInterrupt, 130, "interrupted"), (Terminated, 143, "terminated")],
)
@pytest.mark.parametrize("cache", [True, False])
def test_stop_mid_run_exit_code_and_message(env, monkeypatch, stop, code, word, cache):
    from align.mt import engine

    real, calls = engine.PackageEngine.translate_batch, {"n": 0}

    def flaky(self, pieces, options):
        calls["n"] += 1
        if calls["n"] == 3:
            raise stop()
        return real(self, pieces, options)

    monkeypatch.setattr(engine.PackageEngine, "translate_batch", flaky)
    write_lines(Path("a.en.txt"), 12)
    res = translate(
        env, "a.en.txt", "-o", "out", "--batch-size", "2", *([] if cache else ["--no-cache"])
    )
    no_traceback(res)
    assert res.exit_code == code, res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith(f"align: {word}: 0 file(s) written, 4 newly translated"), last
    if cache:
        assert "kept in" in last and "rerun to resume" in last
    else:
        assert "not kept (--no-cache); a rerun starts over" in last
        assert "skips finished segments" not in last and "resume" not in last
    assert not Path("out").exists()  # made by this run, nothing written into it


def _default_sigint() -> None:
    # A process started in the background by a non-interactive shell inherits SIGINT
    # ignored, and Python then installs no KeyboardInterrupt handler: reset it, as a
    # terminal's foreground process has it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cached_rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as con:
            return con.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_real_signal_mid_translation(tmp_path, packages_dir, sig, code, word):  # noqa: F811
    write_lines(tmp_path / "big.en.txt", 10000)  # outlasts the wait below at beam 8
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from align.cli import main; main()", "translate", "big.en.txt",
         "-s", "en", "-t", "ru", "-o", "out", "--allow-fixture", "--packages-dir",
         str(packages_dir), "--beam", "8"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), "ALIGN_CACHE_DIR": str(cache)},
        stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while _cached_rows(cache / "mt.sqlite3") == 0 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before the signal; make the input longer"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert f"align: {word}: 0 file(s) written" in err and "rerun to resume" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


# --- a run that fails before writing anything: no folder left, no success line


def _missing(tmp: Path) -> list[str]:
    return ["missing.txt"]


def _empty(tmp: Path) -> list[str]:
    Path("empty.txt").write_text("")
    return ["empty.txt"]


def _bad_cluster(tmp: Path) -> list[str]:
    Path("a.txt").write_text("Hello world.\n")
    return ["a.txt", "--cluster", "bogus"]


def _dead_scheduler(tmp: Path) -> list[str]:
    pytest.importorskip("distributed")
    Path("a.txt").write_text("Hello world.\n")
    return ["a.txt", "--cluster", "tcp://127.0.0.1:1"]


def _no_model(tmp: Path) -> list[str]:
    Path("a.txt").write_text("Hello world.\n")
    return ["a.txt", "-t", "az"]  # the last -t wins: no en→az package is installed


CASES = {
    "missing input": (_missing, "missing.txt: no such file or folder"),
    "empty input": (_empty, "empty.txt: is empty"),
    "bad cluster spec": (_bad_cluster, "--cluster bogus: expected local"),
    "dead scheduler": (_dead_scheduler, "cannot reach the dask scheduler"),
    "no model": (_no_model, "no package translates en→az"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("out", ["out", "out/deeper/still"])
def test_failed_run_leaves_no_folder_and_no_summary(env, monkeypatch, case, out):
    monkeypatch.setattr("align.mt.cluster.CONNECT_TIMEOUT", 1.0)
    make, expected = CASES[case]
    res = translate(env, *make(Path.cwd()), "-o", out)
    no_traceback(res)
    assert res.exit_code == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), res.stderr
    assert expected in lines[0]
    assert "translated " not in res.stderr and "TEST FIXTURE output" not in res.stderr
    assert not Path("out").exists()


def test_failed_run_keeps_a_folder_that_existed(env):
    Path("out").mkdir()
    res = translate(env, "missing.txt", "-o", "out")
    assert res.exit_code == 2 and "translated " not in res.stderr
    assert Path("out").is_dir() and not any(Path("out").iterdir())


def test_every_write_failing_leaves_no_folder_and_no_summary(env, monkeypatch):
    from align.cli import translate as tmod

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tmod, "write_output", full_disk)
    Path("in/sub").mkdir(parents=True)
    Path("in/a.txt").write_text("Hello world.\n")
    Path("in/sub/b.txt").write_text("Peace talks began.\n")
    res = translate(env, "in", "-o", "out")
    no_traceback(res)
    assert res.exit_code == 2, res.stderr
    assert res.stderr.count("No space left on device") == 2
    assert res.stderr.strip().splitlines()[-1] == "align: 2 input(s) failed"
    assert "translated " not in res.stderr
    assert not Path("out").exists()  # out/sub made for b's output went with it


def test_partial_failure_still_summarises_what_was_written(env):
    Path("a.txt").write_text("Hello world.\n")
    res = translate(env, "a.txt", "missing.txt", "-o", "out")
    assert res.exit_code == 2
    assert "translated 1 file(s)" in res.stderr and "align: 1 input(s) failed" in res.stderr
    assert Path("out/a.ru.fixture.txt").exists()
