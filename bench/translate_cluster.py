"""Throughput of translation on a Dask cluster vs one process, in one run.

The random-weight Argos base-size package of bench/translate_throughput.py
(6+6 layers, d_model 512, int8; built once and reused) translates the same
segments four ways, cache disabled, decoding capped at 40 tokens (random
weights never stop early, so every segment costs the same):

  (1) one process:  align.mt.engine.Translator, 2 CTranslate2 threads
  (0) the same with 1 thread (so local:1's overhead is also seen at equal threads)
  (2) local:1       LocalCluster, 1 worker process x 1 thread, via ClusterRunner
  (3) local:2       LocalCluster, 2 worker processes x 1 thread each

Cluster start-up and the first model load on each worker are timed apart
(warm-up chunks); the rates cover translation only. Outputs of (1), (2) and (3)
are compared with (0) segment by segment (same chunks, hence same batches,
everywhere). On a 2-core machine (3) cannot beat (1); the targets are
(2)/(1) >= 0.9 (the cluster's overhead) and (3)/(1) >= 0.9.

Usage: python bench/translate_cluster.py [--segments 2000] [--beam 1] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CAP = 40


def single(pkg: Path, segs: list[str], beam: int, threads: int) -> tuple[float, list[str]]:
    from align.mt.engine import DecodeOptions, Translator
    from align.mt.packages import read_package

    options = DecodeOptions(beam_size=beam, max_decoding_length=CAP)
    with Translator([read_package(pkg)], options=options, threads=threads, cache=None) as tr:
        tr.translate_segments(segs[:16])  # warm-up, not timed
        t = time.perf_counter()
        out = tr.translate_segments(segs)
        return time.perf_counter() - t, [r.text for r in out]


def on_cluster(
    pkg: Path, segs: list[str], beam: int, workers: int
) -> tuple[float, float, list[str]]:
    from distributed import Client

    from align.mt.cluster import ClusterRunner, local_cluster, translate_chunk
    from align.mt.engine import DecodeOptions, Translator
    from align.mt.packages import read_package

    t0 = time.perf_counter()
    with (
        local_cluster(workers, env={"PYTHONPATH": str(ROOT)}) as cluster,  # what --cluster uses
        Client(cluster) as client,
    ):
        options = DecodeOptions(beam_size=beam, max_decoding_length=CAP)
        runner = ClusterRunner(client, threads=1)
        with Translator([read_package(pkg)], options=options, cache=None, cluster=runner) as tr:
            # warm-up: every worker loads the model once (client.run runs on each worker)
            info = tr.route[0]
            args = (str(info.path.resolve()), info.name, info.package_version, tr.keys[0])
            client.run(translate_chunk, *args, options, 1, segs[:4])
            startup = time.perf_counter() - t0
            t = time.perf_counter()
            out = tr.translate_segments(segs)
            return time.perf_counter() - t, startup, [r.text for r in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench-mt"))
    args = ap.parse_args()
    import translate_throughput as tt

    packages = Path(args.workdir) / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    pkg = tt.build_package(packages)
    segs = tt.make_segments(pkg, args.segments)
    print(
        f"package {pkg.name}: base size, int8; {len(segs)} segments, beam {args.beam}, "
        f"decoding cap {CAP}; cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    t1, ref = single(pkg, segs, args.beam, 2)
    print(f"(1) one process, 2 threads: {len(segs) / t1:.1f} seg/s", flush=True)
    t0, ref1 = single(pkg, segs, args.beam, 1)
    print(f"(0) one process, 1 thread: {len(segs) / t0:.1f} seg/s", flush=True)
    t2, s2, out2 = on_cluster(pkg, segs, args.beam, 1)
    print(f"(2) local:1: {len(segs) / t2:.1f} seg/s (start-up {s2:.1f} s)", flush=True)
    t3, s3, out3 = on_cluster(pkg, segs, args.beam, 2)
    print(f"(3) local:2: {len(segs) / t3:.1f} seg/s (start-up {s3:.1f} s)", flush=True)
    same = [sum(a == b for a, b in zip(ref1, o, strict=True)) for o in (ref, out2, out3)]
    r0, r1, r2, r3 = (len(segs) / t for t in (t0, t1, t2, t3))
    print()
    print(f"{'run':<28}{'seg/s':>8}{'ratio':>8}")
    print(f"{'(1) one process, 2 threads':<28}{r1:>8.1f}{1.0:>8.2f}")
    print(f"{'(2) local:1, 1 thread':<28}{r2:>8.1f}{r2 / r1:>8.2f}")
    print(f"{'(3) local:2, 1 thread each':<28}{r3:>8.1f}{r3 / r1:>8.2f}")
    print(
        f"\ncluster overhead at equal threads: (2) local:1 / (0) one process with 1 thread = "
        f"{r2 / r0:.2f}; (1) 2 threads / (0) 1 thread = {r1 / r0:.2f}"
    )
    print(
        f"\nsegments identical to (0): (1) {same[0]}, (2) {same[1]}, (3) {same[2]} of {len(segs)}"
    )
    print(
        f"per-core rate (3)/2: {r3 / 2:.1f} seg/s. "
        f"Targets: ratios (2) and (3) >= 0.9. Load average at the end: "
        f"{os.getloadavg()[0]:.1f} (the machine is shared)."
    )


if __name__ == "__main__":
    main()
