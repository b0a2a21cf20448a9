"""Steering a long `align translate` as a person at a terminal does: watch, Ctrl-C, rerun.

The CLI runs in a real process with its stderr on a pseudo-terminal (so tqdm
draws its bar as it would for a user); SIGINT is sent the way Ctrl-C sends it.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import pty
import random
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import Terminated

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["Baku", "Moscow", "capital", "talks", "and", "the", "of", "number", "city", "river"]


def make_input(path: Path, n: int) -> list[str]:
    rng = random.Random(7)
    lines = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + f" {i}." for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    return lines


class Terminal:
    """Runs the CLI with stderr on a pty and records (time, text) of everything it draws."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # 100 columns
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from align.cli import main; main()", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        self.master = master
        self.chunks: list[tuple[float, str]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.chunks.append((time.monotonic(), data.decode("utf-8", "replace")))

    def counts(self) -> list[tuple[float, int]]:
        """(time, segments done) each time the bar showed a new count."""
        seen: list[tuple[float, int]] = []
        for t, text in self.chunks:
            for m in re.finditer(r"(\d+)/(\d+) \[", text):
                n = int(m.group(1))
                if not seen or n != seen[-1][1]:
                    seen.append((t, n))
        return seen

    def text(self) -> str:
        return "".join(c for _, c in self.chunks)

    def wait(self, timeout: float) -> int:
        rc = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=5)
        os.close(self.master)
        return rc


def cached_rows(cache: Path) -> int:
    db = cache / "mt.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as con:
        return con.execute("SELECT COUNT(*) FROM mt").fetchone()[0]


def test_progress_ctrl_c_and_resume(tmp_path, packages_dir):  # noqa: F811
    src = tmp_path / "big.en.txt"
    lines = make_input(src, 10000)  # outlasts the 5 s watched at beam 8
    cache, out = tmp_path / "cache", tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALIGN_CACHE_DIR=str(cache))
    args = ["translate", str(src), "-s", "en", "-t", "ru", "-o", str(out), "--allow-fixture",
            "--packages-dir", str(packages_dir), "--beam", "8"]  # fmt: skip
    term = Terminal(args, env)
    deadline = time.monotonic() + 120
    # Watch the bar for 5 s after it first moves.
    while time.monotonic() < deadline:
        seen = [s for s in term.counts() if s[1] > 0]
        if seen and time.monotonic() - seen[0][0] >= 5:
            break
        assert term.proc.poll() is None, term.text()
        time.sleep(0.1)
    seen = [s for s in term.counts() if s[1] > 0]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(seen)]
    assert len(seen) >= 5, term.text()
    assert max(gaps) <= 1.0, (gaps, term.text()[-500:])
    assert re.search(r"seg/s", term.text())  # rate shown
    assert seen[-1][1] < len(lines), "run ended before Ctrl-C; make the input longer"

    t0 = time.monotonic()
    term.proc.send_signal(signal.SIGINT)
    rc = term.wait(timeout=30)
    took = time.monotonic() - t0
    stderr = term.text()
    assert rc == 130, stderr
    assert took <= 2.0, f"Ctrl-C took {took:.1f} s"
    assert "rerun to resume" in stderr
    kept = int(re.search(r"(\d+) newly translated segment\(s\) kept", stderr).group(1))
    assert kept >= seen[-1][1] - 1  # everything the bar showed as done is in the cache
    assert cached_rows(cache) == kept
    assert not out.exists() or not any(out.rglob("*"))  # no partial output, no temp file

    # Rerun on the segments the interrupted run finished plus 20 it never reached (all
    # 10,000 at beam 8 would take minutes): exactly the finished ones come from the cache.
    with sqlite3.connect(cache / "mt.sqlite3", timeout=30) as con:
        done = {row[0] for row in con.execute("SELECT source FROM mt")}
    lines = [ln for ln in lines if ln in done] + [ln for ln in lines if ln not in done][:20]
    (tmp_path / "big.en.txt").write_text("\n".join(lines) + "\n")
    rerun = subprocess.run(
        [sys.executable, "-c", "from align.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    m = re.search(r"\((\d+) by the model, (\d+) from cache\)", rerun.stderr)
    assert (int(m.group(1)), int(m.group(2))) == (20, kept)
    got = (out / "big.ru.fixture.txt").read_text().splitlines()
    assert len(got) == len(lines)
    from align.mt.engine import Translator

    sample = list(range(0, len(lines), 7))
    with Translator.load(
        "en", "ru", packages_dir, allow_fixture=True, beam_size=8, cache=False
    ) as tr:
        fresh = tr.translate_segments([lines[k] for k in sample])
    assert [got[k] for k in sample] == [r.text for r in fresh]  # cached = recomputed


@pytest.mark.parametrize(
    ("stop", "code", "word"),
    [(KeyboardInterrupt, 130, "interrupted"), (Terminated, 143, "terminated")],
)
def test_align_batch_stop_keeps_finished_pairs(tmp_path, monkeypatch, stop, code, word):
    """Ctrl-C (130) or SIGTERM (143) during `align align --batch`: finished pairs whole, others absent."""
    from click.testing import CliRunner

    from align.aligner import align
    from align.aligner.embed import HashEmbedder
    from align.cli import aligncmd, main

    calls = {"n": 0}

    def compute(self, src, tgt):
        calls["n"] += 1
        if calls["n"] == 2:
            raise stop
        return align(src, tgt, "en", "en", embedder=HashEmbedder())

    monkeypatch.setattr(aligncmd._Job, "compute", compute)
    rows = []
    for k in range(3):
        (tmp_path / f"{k}.a.txt").write_text(f"One line {k}.\nTwo lines {k}.\n")
        (tmp_path / f"{k}.b.txt").write_text(f"One line {k}.\nTwo lines {k}.\n")
        rows.append(f"{k}.a.txt\t{k}.b.txt\tout/{k}.tsv")
    (tmp_path / "pairs.tsv").write_text("\n".join(rows) + "\n")
    res = CliRunner().invoke(
        main, ["align", "--batch", str(tmp_path / "pairs.tsv"), "-s", "en", "-t", "ru"]
    )
    assert res.exit_code == code, res.output
    assert f"align: {word}: 1 of 3 pairs done" in res.stderr
    assert (tmp_path / "out" / "0.tsv").read_text().count("\n") == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.tsv"]  # no partial file
