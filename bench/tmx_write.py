"""TMX writing at scale: our streaming writer vs translate-toolkit, same units, one run.

Each contender runs in its own subprocess so peak memory (max RSS) is its own.
A "generate only" run measures the cost of producing the synthetic units, the
baseline both writers sit on. Flat memory shows as ours staying near that
baseline at any size; translate-toolkit builds the whole tree first.

    .venv/bin/python bench/tmx_write.py              # 1,000,000 units
    .venv/bin/python bench/tmx_write.py --units 100000 --read
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

WORDS = ["interview", "market", "river", "theory", "<tag>", "A&B", "café", "naïve", "well-known"]
RU = ["интервью", "рынок", "река", "теория", "<тег>", "А&Б", "кафе", "наивный", "известный"]


def pairs(n: int) -> Iterator[tuple[str, str]]:
    for i in range(n):
        w = WORDS[i % len(WORDS)]
        r = RU[i % len(RU)]
        yield (
            f'Sentence {i} talks about the {w}  and its "quoted" {WORDS[(i * 7) % 9]}.',
            f"Предложение {i} говорит о {r}  и его «цитате» {RU[(i * 7) % 9]}.",
        )


def child(mode: str, n: int, path: str) -> None:
    """Run one contender in this process and print its figures as JSON."""
    start = time.perf_counter()
    if mode == "generate":
        count = sum(1 for _ in pairs(n))
    elif mode == "ours":
        from align.model import TranslationUnit
        from align.tmx import write_tmx

        units = (
            TranslationUnit(s, t, "en", "ru", props={"origin": "human", "score": "0.900"})
            for s, t in pairs(n)
        )
        count = write_tmx(path, units, src_lang="en", tgt_lang="ru").written
    elif mode == "ours-cli":
        from click.testing import CliRunner

        from align.cli import main

        jsonl = Path(path).with_suffix(".jsonl")
        args = ["tmx", "export", str(jsonl), "-o", path, "--src-lang", "en", "--tgt-lang", "ru"]
        start = time.perf_counter()  # the jsonl was written by the parent
        result = CliRunner().invoke(main, args)
        if result.exit_code:
            raise SystemExit(result.output)
        count = n
    elif mode == "translate-toolkit":
        from translate.storage import tmx

        store = tmx.tmxfile(sourcelanguage="en", targetlanguage="ru")
        for s, t in pairs(n):
            store.addtranslation(s, "en", t, "ru")
        with open(path, "wb") as fh:
            store.serialize(fh)
        count = len(store.units)
    elif mode == "read-ours":
        from align.tmx import read_tmx

        count = sum(1 for _ in read_tmx(path, "en", "ru"))
    elif mode == "read-translate-toolkit":
        from translate.storage import tmx

        with open(path, "rb") as fh:
            count = len(tmx.tmxfile(fh).units)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mode": mode, "units": count, "seconds": seconds, "peak_mb": peak_kb / 1024}))


def measure(mode: str, n: int, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--units", str(n), "--path", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["file_mb"] = path.stat().st_size / 2**20 if path.exists() and mode != "generate" else 0.0
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--units", type=int, default=1_000_000, help="synthetic units (default 1,000,000)"
    )
    ap.add_argument("--read", action="store_true", help="also time reading the file back")
    ap.add_argument("--cli", action="store_true", help="also time `align tmx export` on a jsonl")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.units, args.path)
        return

    n = args.units
    with tempfile.TemporaryDirectory(prefix="tmxbench-") as tmp:
        ours, tt = Path(tmp) / "ours.tmx", Path(tmp) / "tt.tmx"
        rows = [
            measure("generate", n, Path(tmp) / "none"),
            measure("ours", n, ours),
            measure("ours", max(n // 10, 1), Path(tmp) / "ours-small.tmx"),
        ]
        rows[-1]["mode"] = "ours (1/10 units)"
        if args.cli:
            cli_out = Path(tmp) / "cli.tmx"
            with cli_out.with_suffix(".jsonl").open("w", encoding="utf-8") as fh:
                for i, (s, t) in enumerate(pairs(n)):
                    rec = {"src": [i], "tgt": [i], "src_text": s, "tgt_text": t, "score": 0.9}
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            rows.append(measure("ours-cli", n, cli_out))
        rows.append(measure("translate-toolkit", n, tt))
        if args.read:
            rows.append(measure("read-ours", n, ours))
            rows.append(measure("read-translate-toolkit", n, ours))
            rows[-1]["file_mb"] = rows[-2]["file_mb"]

    print(f"TMX write benchmark: {n:,} units, Python {sys.version.split()[0]}")
    print(
        f"{'contender':28} {'units':>10} {'seconds':>9} {'units/s':>10} {'peak MB':>9} {'file MB':>8}"
    )
    for r in rows:
        rate = r["units"] / r["seconds"] if r["seconds"] else 0
        print(
            f"{r['mode']:28} {r['units']:>10,} {r['seconds']:>9.2f} {rate:>10,.0f} "
            f"{r['peak_mb']:>9.1f} {r['file_mb']:>8.1f}"
        )
    by = {r["mode"]: r for r in rows}
    o, t, g = by["ours"], by["translate-toolkit"], by["generate"]
    print(f"time ratio translate-toolkit / ours:  {t['seconds'] / o['seconds']:.2f}x")
    print(f"peak memory ratio translate-toolkit / ours: {t['peak_mb'] / o['peak_mb']:.2f}x")
    print(
        f"ours above the generate-only baseline: {o['peak_mb'] - g['peak_mb']:.1f} MB at {n:,} units, "
        f"{by['ours (1/10 units)']['peak_mb'] - g['peak_mb']:.1f} MB at {max(n // 10, 1):,}"
    )


if __name__ == "__main__":
    main()
