"""Strict/lax precision and recall as vecalign's score.py defines them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.aligner.evaluate import score_alignment, score_many
from align.model import Bead


def B(src, tgt):
    return Bead(tuple(src), tuple(tgt))


GOLD = [B([0], [0]), B([1, 2], [1]), B([3], []), B([4], [2]), B([], [3])]


def test_perfect_alignment():
    res = score_alignment(GOLD, GOLD)
    for key in ("precision_strict", "recall_strict", "f1_strict", "f1_lax"):
        assert res[key] == 1.0
    assert res["type_recall"] == {"0-1": 1.0, "1-0": 1.0, "1-1": 1.0, "2-1": 1.0}
    assert res["null_recall"] == 1.0


def test_hand_counted_example():
    # merge split into 1-1 + 1-0; the real 1-0 absorbed into a 2-1; 0-1 correct
    pred = [B([0], [0]), B([1], [1]), B([2], []), B([3, 4], [2]), B([], [3])]
    res = score_alignment(GOLD, pred)
    # precision: 5 predicted beads, exact: [0]-[0], [ ]-[3] -> 2/5 strict;
    # lax: [1]-[1] overlaps gold [1,2]-[1]; [3,4]-[2] overlaps [4]-[2]; [2]-[] has no target -> 4/5
    assert res["precision_strict"] == pytest.approx(2 / 5)
    assert res["precision_lax"] == pytest.approx(4 / 5)
    # recall ignores nulls: gold non-null beads [0]-[0], [1,2]-[1], [4]-[2]; only the first is exact
    assert res["recall_strict"] == pytest.approx(1 / 3)
    assert res["recall_lax"] == pytest.approx(1.0)
    assert res["f1_strict"] == pytest.approx(2 * (2 / 5) * (1 / 3) / (2 / 5 + 1 / 3))
    assert res["type_recall"]["2-1"] == 0.0 and res["type_recall"]["1-0"] == 0.0
    assert res["null_recall"] == pytest.approx(0.5)


def test_recall_ignores_nulls_but_precision_counts_them():
    gold = [B([0], [0])]
    pred = [B([0], []), B([], [0])]
    res = score_alignment(gold, pred)
    assert res["precision_strict"] == 0.0 and res["recall_strict"] == 0.0
    assert res["null_recall"] is None


def test_pooled_counts_over_documents():
    one = score_many([(GOLD, GOLD), ([B([0], [0])], [B([0], []), B([], [0])])])
    assert one["precision_strict"] == pytest.approx(5 / 7)
    assert one["recall_strict"] == pytest.approx(3 / 4)


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2)).filter(lambda t: t != (0, 0)), max_size=30
    )
)
def test_any_alignment_scores_perfectly_against_itself(shape):
    beads, i, j = [], 0, 0
    for a, b in shape:
        beads.append(B(range(i, i + a), range(j, j + b)))
        i, j = i + a, j + b
    res = score_alignment(beads, beads)
    assert res["precision_strict"] == (1.0 if beads else 0.0)
    assert all(v == 1.0 for v in res["type_recall"].values())
