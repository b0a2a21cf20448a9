"""Competitive linking in the null cost, merge priors as dear as nulls, no bonus from edges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner import anchors as anc
from align.aligner.core import DocStats, Scorer, Weights, _set_hubness, _Side
from align.aligner.length import LengthModel


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _scorer(src: np.ndarray, tgt: np.ndarray, w: Weights, stats: DocStats | None = None) -> Scorer:
    s = _Side([f"s{k} " * 10 for k in range(len(src))], src, anc.extract([""] * len(src)), 3)
    t = _Side([f"t{k} " * 10 for k in range(len(tgt))], tgt, anc.extract([""] * len(tgt)), 3)
    n, m = len(src), len(tgt)
    cells = [(round(k * n / max(m, n)), round(k * m / max(m, n))) for k in range(max(m, n) + 1)]
    _set_hubness(s, t, cells, [c for c in cells[:-1]], w)
    return Scorer(s, t, LengthModel(), w, cells, stats)


def _document_with_a_related_deletion(seed: int, n: int = 30, at: int = 15):
    """``n`` pairs; source line ``at`` is an extra sentence on the topic of target ``at``."""
    rng = np.random.default_rng(seed)
    base = _unit(rng.normal(size=(n, 64)))
    tgt = _unit(base + 0.5 * rng.normal(size=(n, 64)) / 8)
    related = _unit(0.55 * base[at : at + 1] + _unit(rng.normal(size=(1, 64))))
    src = np.concatenate([base[:at], related, base[at:]])
    return src, tgt


def test_a_deleted_sentence_on_its_neighbours_topic_is_cheaper_to_leave_out():
    src, tgt = _document_with_a_related_deletion(0)
    stats = DocStats(0.3, 10.0, 0.8, 0.1)
    off = _scorer(src, tgt, Weights(compete=0.0), stats)
    on = _scorer(src, tgt, Weights(compete=1.0), stats)
    assert float(src[15] @ tgt[15]) > off.floor, "it does resemble its neighbour's translation"
    assert on.best_src[15] < off.best_src[15] - 0.1
    assert on.null_src[15] < off.null_src[15]
    # its neighbour (the line target 15 prefers) keeps its evidence
    assert on.best_src[16] == pytest.approx(off.best_src[16])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), at=st.integers(1, 28))
def test_competition_only_lowers_and_spares_mutual_best_matches(seed, at):
    src, tgt = _document_with_a_related_deletion(seed, at=at)
    off = _scorer(src, tgt, Weights(compete=0.0))
    on = _scorer(src, tgt, Weights(compete=1.0))
    for best_on, best_off in ((on.best_src, off.best_src), (on.best_tgt, off.best_tgt)):
        assert (best_on <= best_off + 1e-9).all()
    # a source line whose best target line has it as its own best: unchanged
    sims = src @ tgt.T
    for i in range(len(src)):
        j = int(sims[i].argmax())
        if int(sims[:, j].argmax()) == i and abs(i - j) <= 1:
            assert on.best_src[i] == pytest.approx(off.best_src[i], abs=1e-6)


def test_merge_prior_scales_with_the_null_cost():
    """Where pairs stand out little, nulls cost ``weak`` times more, and so does merging."""
    rng = np.random.default_rng(3)
    src = _unit(rng.normal(size=(12, 64)))
    tgt = _unit(src + rng.normal(size=(12, 64)) / 8)
    at = np.array([4])
    w = Weights()
    leads = {}
    for weak in (1.0, 3.0):
        sc = _scorer(src, tgt, w)
        sc._weak = weak
        for a, b in ((2, 1), (1, 3)):
            # the bead's score without its member term, which scales by its own rule
            leads[weak, a, b] = sc.score(a, b, at, at)[0] + sc._members(a, b, at, at)[0]
    for a, b in ((2, 1), (1, 3)):
        assert leads[3.0, a, b] - leads[1.0, a, b] == pytest.approx(-2 * w.prior_of(a, b))


def test_a_document_edge_earns_no_free_translation_bonus():
    rng = np.random.default_rng(5)
    src = _unit(rng.normal(size=(10, 64)))
    tgt = _unit(src + rng.normal(size=(10, 64)) / 8)  # ten clear pairs
    sc = _scorer(src, tgt, Weights(), DocStats(0.3, 10.0, 0.8, 0.1))
    at = np.arange(10)
    bonus = sc._sandwich(1, 1, at, at)
    assert (bonus[1:-1] > 0.2 * Weights().free).all(), "between two clear pairs: a bonus"
    assert bonus[0] == bonus[-1] == 0.0, "first and last beads: no evidence from the edge"
