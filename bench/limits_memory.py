"""Benchmark: peak memory and time of the size cases of issue #12, each in its own process.

Each case runs the real CLI in a child process and reads the child's peak RSS
(``ru_maxrss``). The baseline is ``align --help`` measured in the same run (the
interpreter and click), so the ratio says how much a case adds on top. Cases:
a 50 MB file on one line (refused by the segment limit), /dev/zero (refused as a
non-regular file), a 1,000,000-line file for ``align align`` (refused by the
line limit), and files just inside the limits (a 100,000-character line through
``tmx export`` and ``segment``; N lines through ``align align``). Not a pass/fail test.

    .venv/bin/python bench/limits_memory.py            # 50 MB, 20,000 aligned lines
    .venv/bin/python bench/limits_memory.py --quick    # 10 MB, 2,000 aligned lines
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "the",
    "port",
    "of",
    "baku",
    "is",
    "open",
    "today",
    "and",
    "ships",
    "wait",
    "for",
    "the",
    "captain",
    "to",
    "arrive",
]


def peak(args: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak RSS in MiB, last stderr line) of one CLI run."""
    code = "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); r = resource.getrusage(resource.RUSAGE_CHILDREN); print(p.returncode, r.ru_maxrss); print((p.stderr.strip().splitlines() or [''])[-1])"
    cmd = [sys.executable, "-c", "from align.cli import main; main()", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALIGN_CACHE_DIR": str(cwd / "cache")}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, env=env,
                         capture_output=True, text=True).stdout.splitlines()  # fmt: skip
    secs = time.perf_counter() - t0
    rc, kib = out[0].split()
    return int(rc), secs, int(kib) / 1024, out[1] if len(out) > 1 else ""


def words(rnd: random.Random, n_chars: int) -> str:
    parts, size = [], 0
    while size < n_chars:
        w = rnd.choice(WORDS)
        parts.append(w)
        size += len(w) + 1
    return " ".join(parts)[:n_chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller files")
    a = ap.parse_args()
    big_mb = 10 if a.quick else 50
    n_align = 2_000 if a.quick else 20_000
    rnd = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "one.txt").write_text(words(rnd, big_mb * 1_000_000) + "\n")
        (d / "limit.txt").write_text(words(rnd, 100_000) + "\n")
        (d / "many.txt").write_text("x\n" * 1_000_000)
        sents = [words(rnd, rnd.randint(40, 160)).capitalize() + "." for _ in range(n_align)]
        (d / "en.txt").write_text("\n".join(sents) + "\n")
        (d / "ru.txt").write_text("\n".join(sents) + "\n")
        cases = {
            "baseline: align --help": ["--help"],
            f"{big_mb} MB one line: tmx export": ["tmx", "export", "--src", "one.txt", "--tgt",
                                                  "one.txt", "-o", "x.tmx", "--src-lang", "en",
                                                  "--tgt-lang", "ru"],
            f"{big_mb} MB one line: ingest": ["ingest", "one.txt", "-o", "x.txt"],
            f"{big_mb} MB one line: segment": ["segment", "one.txt", "-o", "x.txt"],
            f"{big_mb} MB one line: score": ["score", "--hyp", "one.txt", "--ref", "one.txt"],
            "/dev/zero: segment": ["segment", "/dev/zero"],
            "1,000,000 lines: align": ["align", "many.txt", "many.txt", "-s", "en", "-t", "ru"],
            "100,000-char line: tmx export": ["tmx", "export", "--src", "limit.txt", "--tgt",
                                              "limit.txt", "-o", "l.tmx", "--src-lang", "en",
                                              "--tgt-lang", "ru"],
            "100,000-char line: segment": ["segment", "limit.txt", "-o", "l.txt"],
            f"{n_align:,} lines: align": ["align", "en.txt", "ru.txt", "-s", "en", "-t", "ru",
                                          "-o", "a.tsv", "--no-cache"],
        }  # fmt: skip
        base = None
        print(f"{'case':36} {'rc':>3} {'time s':>8} {'peak MiB':>9} {'x base':>7}  message")
        for name, args in cases.items():
            rc, secs, mib, last = peak(args, d)
            base = base or mib
            print(f"{name:36} {rc:>3} {secs:8.1f} {mib:9.0f} {mib / base:7.1f}  {last[:90]}")
    print(f"(machine: {os.cpu_count()} cores; figures from ru_maxrss of each child process)")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
