"""Strict/lax precision, recall and F1 of a predicted alignment against gold beads.

The definitions follow vecalign's ``score.py`` (after Sennrich & Volk 2011) so our
figures are comparable with published ones:

* precision counts every non-empty predicted bead (nulls included): a strict hit
  is an exact gold bead, a lax hit shares at least one source *and* one target
  line with a gold bead;
* recall is the same count with the roles swapped and **null beads dropped on
  both sides**, so 1-0/0-1 beads never affect recall; ``type_recall`` reports
  them separately (exact-match recall per gold bead type).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from align.model import Bead

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def _pairs(beads: Iterable[Bead | Pair]) -> set[Pair]:
    out: set[Pair] = set()
    for b in beads:
        src, tgt = (b.src, b.tgt) if isinstance(b, Bead) else b
        if src or tgt:
            out.add((tuple(src), tuple(tgt)))
    return out


def _hits(reference: set[Pair], candidate: set[Pair]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``candidate`` beads."""
    tgt_of_src: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for i in src:
            tgt_of_src[i].update(tgt)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for src, tgt in candidate:
        if (src, tgt) in reference:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        linked = set().union(*(tgt_of_src[i] for i in src)) if src else set()
        if linked.intersection(tgt):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_many(docs: Sequence[tuple[Sequence[Bead | Pair], Sequence[Bead | Pair]]]) -> dict:
    """Score several (gold, pred) documents, pooling counts as vecalign does."""
    pc = [0, 0, 0, 0]
    rc = [0, 0, 0, 0]
    type_total: Counter[str] = Counter()
    type_found: Counter[str] = Counter()
    for gold_beads, pred_beads in docs:
        gold, pred = _pairs(gold_beads), _pairs(pred_beads)
        pc = [a + b for a, b in zip(pc, _hits(gold, pred), strict=True)]
        gold_nn = {p for p in gold if p[0] and p[1]}
        pred_nn = {p for p in pred if p[0] and p[1]}
        rc = [a + b for a, b in zip(rc, _hits(pred_nn, gold_nn), strict=True)]
        for p in gold:
            kind = f"{len(p[0])}-{len(p[1])}"
            type_total[kind] += 1
            type_found[kind] += p in pred
    p_strict, p_lax = _ratio(pc[0], pc[0] + pc[1]), _ratio(pc[2], pc[2] + pc[3])
    r_strict, r_lax = _ratio(rc[0], rc[0] + rc[1]), _ratio(rc[2], rc[2] + rc[3])
    nulls = type_total["1-0"] + type_total["0-1"]
    return {
        "precision_strict": p_strict,
        "recall_strict": r_strict,
        "f1_strict": _f1(p_strict, r_strict),
        "precision_lax": p_lax,
        "recall_lax": r_lax,
        "f1_lax": _f1(p_lax, r_lax),
        "type_recall": {k: type_found[k] / type_total[k] for k in sorted(type_total)},
        "type_count": dict(sorted(type_total.items())),
        "null_recall": _ratio(type_found["1-0"] + type_found["0-1"], nulls) if nulls else None,
    }


def score_alignment(gold: Sequence[Bead | Pair], pred: Sequence[Bead | Pair]) -> dict:
    """Score one predicted alignment against gold (vecalign's ``score.py`` definitions).

    ``gold`` and ``pred`` are beads (or ``(src, tgt)`` tuples of 0-based line indices)
    over the same two documents. A strict hit is an exact gold bead; a lax hit shares
    at least one source and one target line with a gold bead (see the module notes on
    null beads). Never raises on mismatched documents: check them first
    (``align.scoring.alignment.check_compatible``).

    Returns a dict with float keys ``precision_strict``, ``recall_strict``,
    ``f1_strict``, ``precision_lax``, ``recall_lax``, ``f1_lax`` (0..1; 0.0 when
    undefined), ``type_recall`` (``{"1-1": 0.98, "2-1": 1.0, "1-0": ...}``: share
    of gold beads of that type found exactly), ``type_count`` (gold beads per
    type) and ``null_recall`` (exact recall of gold 1-0/0-1 beads, ``None`` when
    the gold has none).
    """
    return score_many([(gold, pred)])
