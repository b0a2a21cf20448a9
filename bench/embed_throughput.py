"""USE-m3 embedding throughput: one worker against parallel workers, in one run.

Embedding dominates a cold alignment, so ``UseEmbedder`` splits each call
across ``workers`` threads. This embeds the FLORES-200 devtest English and
Russian lines (2,024 strings) in the chunks ``CachedEmbedder`` sends (128
strings), once with ``workers=1`` (the baseline) and once per worker count
asked for, alternating rounds so that machine noise hits both alike; prints
sentences per second (best round), the ratio to the baseline, and the largest
difference between the two sets of vectors (the split must not change them).

Usage: python bench/embed_throughput.py [--workers 2,4] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.aligner.embed import EMBED_CHUNK, UseEmbedder  # noqa: E402

DATA = ROOT.parent / "shared/data/flores200_devtest"


def rate(embedder: UseEmbedder, lines: list[str]) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = [embedder.encode(lines[k : k + EMBED_CHUNK]) for k in range(0, len(lines), EMBED_CHUNK)]
    return len(lines) / (time.perf_counter() - t0), np.concatenate(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--workers", default="2", help="comma-separated worker counts to compare")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default=str(DATA))
    args = ap.parse_args()
    lines = []
    for name in ("eng_Latn.devtest", "rus_Cyrl.devtest"):
        lines += Path(args.data, name).read_text(encoding="utf-8").splitlines()
    base = UseEmbedder(workers=1)
    base.encode(["warm-up"])
    others = {int(w): UseEmbedder(workers=int(w)) for w in args.workers.split(",")}
    for e in others.values():
        e._model = base._load()  # one copy of the weights; only the split differs
    best = {1: 0.0, **dict.fromkeys(others, 0.0)}
    vecs = {}
    for _ in range(args.rounds):
        for w, e in [(1, base), *others.items()]:
            r, vecs[w] = rate(e, lines)
            best[w] = max(best[w], r)
    print(f"{len(lines)} FLORES lines in chunks of {EMBED_CHUNK}, best of {args.rounds} rounds")
    print(f"  workers 1 (baseline): {best[1]:.0f} sentences/s")
    for w in others:
        diff = float(np.abs(vecs[w] - vecs[1]).max())
        print(
            f"  workers {w}: {best[w]:.0f} sentences/s = {best[w] / best[1]:.2f}× the baseline; "
            f"largest vector difference {diff:.1e}"
        )


if __name__ == "__main__":
    main()
