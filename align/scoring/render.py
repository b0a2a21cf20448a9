"""Plain-text summaries of scores for a terminal, short enough to read at a glance."""

from __future__ import annotations

from typing import Any

from align.scoring.mt import TER_NAME, BootstrapResult, MTScores

_LOWER_IS_BETTER = {TER_NAME}


def mt_text(scores: MTScores, label: str, worst: int = 5, all_segments: bool = False) -> str:
    refs = "reference" if scores.n_refs == 1 else "references"
    lines = [f"{label}: {scores.n_segments} segments, {scores.n_refs} {refs}"]
    for name, value in (("BLEU", scores.bleu), ("chrF2++", scores.chrf), ("TER", scores.ter)):
        note = "  (lower is better)" if name in _LOWER_IS_BETTER else ""
        lines.append(f"  {name:<8} {value:6.2f}  {scores.signatures[name]}{note}")
    if scores.term_accuracy is not None:
        t = scores.term_accuracy
        pct = f"{100 * t.correct / t.total:.1f}%" if t.total else "no glossary terms in the source"
        lines.append(f"  {'terms':<8} {t.correct}/{t.total} correct ({pct})")
    ranked = scores.lowest(worst)
    if scores.empty_ref_lines:
        shown = ", ".join(map(str, scores.empty_ref_lines[:10]))
        more = " ..." if len(scores.empty_ref_lines) > 10 else ""
        lines.append(f"  empty reference lines: {shown}{more}")
    if all_segments:
        lines.append("  segment chrF2++ (line: score):")
        lines += [f"    {i + 1}: {s:.2f}" for i, s in enumerate(scores.segment_chrf)]
    elif worst and ranked:
        shown = ", ".join(f"line {i + 1} ({scores.segment_chrf[i]:.1f})" for i in ranked[:worst])
        lines.append(f"  lowest segment chrF2++: {shown}")
    return "\n".join(lines) + "\n"


def bootstrap_text(result: BootstrapResult) -> str:
    seed = "unseeded" if result.seed is None else f"seed {result.seed}"
    lines = [
        f"paired bootstrap: {result.baseline_name} -> {result.system_name} "
        f"({result.n_samples} resamples, {seed}); score (mean ± 95% CI)",
    ]
    for name, comp in result.metrics.items():
        b, s = comp.baseline, comp.system
        verdict = "significant" if comp.significant else "not significant"
        lines.append(
            f"  {name:<8} {_estimate(b.score, b.mean, b.ci)}  ->  "
            f"{_estimate(s.score, s.mean, s.ci)}  p = {comp.p_value:.4f} ({verdict})"
        )
    lines.append("  p < 0.05: the difference is unlikely to be chance (not which one is better).")
    return "\n".join(lines) + "\n"


def _estimate(score: float, mean: float | None, ci: float | None) -> str:
    if mean is None or ci is None:
        return f"{score:6.2f}"
    return f"{score:6.2f} ({mean:6.2f} ± {ci:5.2f})"


def alignment_text(result: dict[str, Any], gold: str, pred: str) -> str:
    lines = [
        f"{pred} against gold {gold}: {result['n_pred']} predicted beads, {result['n_gold']} gold",
        f"  {'':<7} {'precision':>9} {'recall':>7} {'F1':>7}",
    ]
    for mode in ("strict", "lax"):
        p, r, f = (result[f"{k}_{mode}"] for k in ("precision", "recall", "f1"))
        lines.append(f"  {mode:<7} {p:9.4f} {r:7.4f} {f:7.4f}")
    lines.append("  recall per gold bead type (exact match):")
    for kind, rec in result["type_recall"].items():
        count = result["type_count"][kind]
        lines.append(f"    {kind:<5} {rec:.4f}  ({round(rec * count)}/{count})")
    return "\n".join(lines) + "\n"
