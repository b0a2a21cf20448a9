"""Alignment scoring from files: validation here, the metric in ``align.aligner.evaluate``.

The metric has one implementation (the aligner's, vecalign's definitions); this
module only makes sure the two files can be compared at all. A gold file made
from a different segmentation would otherwise score as a poor alignment instead
of being reported as the wrong file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from align.aligner.beadio import read_vecalign
from align.errors import InputError
from align.model import Bead


def _extent(beads: list[Bead], path: str | Path) -> tuple[int, int]:
    """(source lines, target lines) the beads cover; rejects a line used twice."""
    seen: tuple[set[int], set[int]] = (set(), set())
    for bead in beads:
        for side, name, idx in ((0, "source", bead.src), (1, "target", bead.tgt)):
            for i in idx:
                if i in seen[side]:
                    raise InputError(path, f"{name} line {i} appears in more than one bead")
                seen[side].add(i)
    return (max(seen[0], default=-1) + 1, max(seen[1], default=-1) + 1)


def check_compatible(
    gold: list[Bead], pred: list[Bead], gold_path: str | Path, pred_path: str | Path
) -> None:
    """Both alignments must describe the same pair of segmented documents."""
    if not gold:
        raise InputError(gold_path, "has no beads")
    if not pred:
        raise InputError(pred_path, "has no beads")
    g, p = _extent(gold, gold_path), _extent(pred, pred_path)
    if g != p:
        raise InputError(
            pred_path,
            f"covers {p[0]} source and {p[1]} target lines but the gold {gold_path} covers "
            f"{g[0]} and {g[1]}; they were made from different segmentations",
        )


def score_alignment_beads(
    gold: list[Bead],
    pred: list[Bead],
    gold_path: str | Path = "gold",
    pred_path: str | Path = "pred",
) -> dict[str, Any]:
    """vecalign's strict/lax P/R/F1 and recall per bead type, plus bead counts."""
    from align.aligner.evaluate import score_alignment

    check_compatible(gold, pred, gold_path, pred_path)
    result = dict(score_alignment(gold, pred))
    result["n_gold"] = len(gold)
    result["n_pred"] = len(pred)
    return result


def score_alignment_files(gold_path: str | Path, pred_path: str | Path) -> dict[str, Any]:
    return score_alignment_beads(
        read_vecalign(gold_path), read_vecalign(pred_path), gold_path, pred_path
    )
