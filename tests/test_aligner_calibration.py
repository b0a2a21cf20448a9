"""Bead probabilities: monotone in the evidence, fitted parameters shipped, review threshold."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner import anchors as anc
from align.aligner import calibration as cal
from align.aligner.core import DocStats, Scorer, Weights, _Side, _to_beads
from align.aligner.dp import Band, band_costs, bead_types, posteriors
from align.aligner.length import LengthModel


def _unit(rng: np.random.Generator, d: int = 16) -> np.ndarray:
    v = rng.standard_normal(d)
    return v / np.linalg.norm(v)


def _one_one_probability(cos: float, seed: int, thin: bool, lens: tuple[int, int]) -> float:
    """P(right) of the middle 1-1 of a 3×3 document whose middle target has cosine ``cos``.

    Everything but that one cosine is fixed: vectors of the other lines, lengths,
    the document statistics and the bead path; the probability goes through the
    real feature code (score, margin over the alternatives, posterior over every
    path of the 3×3 lattice) and the shipped fit.
    """
    rng = np.random.default_rng(seed)
    src = np.stack([_unit(rng) for _ in range(3)]).astype(np.float32)
    tgt = np.stack([_unit(rng) for _ in range(3)]).astype(np.float32)
    u = src[1].astype(np.float64)
    v = _unit(rng)
    v -= (v @ u) * u
    v /= np.linalg.norm(v)
    tgt[1] = (cos * u + np.sqrt(max(0.0, 1 - cos**2)) * v).astype(np.float32)
    s_lines = ["a" * 40, "b" * lens[0], "c" * 40]
    t_lines = ["x" * 40, "y" * lens[1], "z" * 40]
    w = Weights()
    side_s = _Side(s_lines, src, anc.extract(s_lines), 1)
    side_t = _Side(t_lines, tgt, anc.extract(t_lines), 1)
    cells = [(0, 0), (1, 1), (2, 2), (3, 3)]
    scorer = Scorer(side_s, side_t, LengthModel(), w, cells, DocStats(0.45, 11.0, 0.78, 0.13))
    path = [((1, 1), k, k) for k in range(3)]  # the same path whatever the cosine
    types = bead_types(1)
    band = Band.full(3, 3)
    costs = band_costs(types, band, scorer.cost)
    post = posteriors(path, types, band, costs, scorer.null_src, scorer.null_tgt)
    explain: list = []
    beads = _to_beads(path, scorer, None, thin, explain, types, post)
    assert explain[1][2].group == "1-1"
    return beads[1].score


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-1.0, 1.0),
    st.floats(-1.0, 1.0),
    st.integers(0, 2**16),
    st.booleans(),
    st.tuples(st.integers(1, 200), st.integers(1, 200)),
)
def test_higher_cosine_never_lowers_a_one_to_one_probability(c1, c2, seed, thin, lens):
    lo, hi = sorted((c1, c2))
    p_lo = _one_one_probability(lo, seed, thin, lens)
    p_hi = _one_one_probability(hi, seed, thin, lens)
    assert p_lo <= p_hi  # rounding to 4 decimals keeps the order


def test_shipped_fit_names_its_method_and_data():
    data = json.loads(
        resources.files("align").joinpath("data", "aligner_calibration.json").read_text("utf-8")
    )
    assert "Platt" in data["method"]
    seeds = json.loads(data["source"].rsplit("seeds ", 1)[1])
    assert len(seeds) >= 4 and 7 not in seeds, "tuning seeds only: seed 7 is the test seed"
    model = cal.load()
    assert model.coef["1-1"][1] > 0 and model.coef["merge"][1] > 0
    assert 0.0 < model.review_below < 1.0


def test_a_null_next_to_a_null_on_the_other_side_is_never_certain():
    model = cal.load()
    for excess in (0.0, -5.0, -50.0):
        alone = model.probability(cal.Features("null", 0.0, excess, False, False))
        paired = model.probability(cal.Features("null", 0.0, excess, True, False))
        assert paired <= 0.95
        assert alone > 0.95 and paired < alone, "the same line alone would be surer"


def test_fit_recovers_a_known_logistic_and_threshold_catches_wrong_beads():
    rng = np.random.default_rng(0)
    scores = rng.normal(2.0, 2.0, 4000)
    truth = rng.random(4000) < 1 / (1 + np.exp(-(1.5 * scores - 1.0)))
    samples = [
        (cal.Features("1-1", float(s), 0.0, False, False), bool(t))
        for s, t in zip(scores, truth, strict=True)
    ]
    model = cal.fit(samples)
    a, b = model.coef["1-1"][:2]
    assert abs(b - 1.5) < 0.2 and abs(a + 1.0) < 0.2
    p = np.array([model.probability(f) for f, _ in samples])
    assert cal.expected_calibration_error(p, truth) < 0.03
    flagged = p < model.review_below
    assert flagged[~truth].mean() >= 0.95 or flagged.mean() == pytest.approx(0.10, abs=0.002)


def test_review_threshold_catches_95_percent_within_a_10_percent_budget():
    p = np.linspace(0.0, 1.0, 1000, endpoint=False)
    ok = np.ones(1000, dtype=bool)
    ok[[5, 30, 60, 70, 99]] = False  # wrong beads all among the lowest 10 %
    t = cal.review_threshold(p, ok)
    assert (p < t)[~ok].mean() >= 0.95 and (p < t).mean() <= 0.10
    ok[[5, 30, 60, 70, 99]] = True
    ok[[5, 300, 600, 700, 900]] = False  # unreachable within the budget: flag 10 %
    t = cal.review_threshold(p, ok)
    assert abs((p < t).mean() - 0.10) < 0.002
    t = cal.review_threshold(p, ok, budget=1.0)  # uncovered languages: no budget
    assert (p < t)[~ok].mean() >= 0.95


def test_expected_calibration_error_of_perfect_and_overconfident_scores():
    ok = np.array([True] * 8 + [False] * 2)
    assert cal.expected_calibration_error(np.full(10, 0.8), ok) < 1e-9
    assert abs(cal.expected_calibration_error(np.full(10, 1.0), ok) - 0.2) < 1e-9


def _margin_next_to_a_null(orphan: bool, seed: int) -> tuple[float, float]:
    """Margin of a 1-1 whose next source line is left out, and its take-in alternative.

    Returns ``(margin, bound)`` where ``bound`` = score(1-1) − cost(null) −
    score(2-1 taking the null line in): the margin may not exceed it.
    """
    from align.aligner.core import _margins
    from align.aligner.dp import bead_types

    rng = np.random.default_rng(seed)
    src = np.stack([_unit(rng) for _ in range(4)]).astype(np.float32)
    tgt = np.stack([src[0], src[1], src[3]]).astype(np.float32)
    if orphan:  # the left-out line says part of what target 1 says
        mix = 0.6 * src[1] + 0.8 * _unit(rng)
        src[2] = (mix / np.linalg.norm(mix)).astype(np.float32)
    s_lines = ["a" * 60, "b" * 60, "c" * 40, "d" * 60]
    t_lines = ["x" * 60, "y" * 75, "z" * 60]
    side_s = _Side(s_lines, src, anc.extract(s_lines), 3)
    side_t = _Side(t_lines, tgt, anc.extract(t_lines), 3)
    cells = [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3)]
    stats = DocStats(0.45, 11.0, 0.78, 0.13)
    scorer = Scorer(side_s, side_t, LengthModel(), Weights(), cells, stats)
    path = [((1, 1), 0, 0), ((1, 1), 1, 1), ((1, 0), 2, 2), ((1, 1), 3, 2)]
    margin = float(_margins(path, scorer, bead_types(3))[1])
    one = np.array([1])
    s11 = float(scorer.score(1, 1, one, one)[0])
    s21 = float(scorer.score(2, 1, one, one)[0])
    return margin, s11 - float(scorer.null_src[2]) - s21


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**16), st.booleans())
def test_a_pairs_margin_weighs_taking_in_its_neighbouring_null(seed, orphan):
    """Issue 14 review: a 1-1 missing its merge's short part must not look as sure as a clean 1-1."""
    margin, bound = _margin_next_to_a_null(orphan, seed)
    assert margin <= bound + 1e-4


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["1-1", "merge"]),
    st.floats(-20, 20),
    st.floats(-5, 10),
    st.floats(-5, 10),
    st.booleans(),
    st.booleans(),
)
def test_a_larger_margin_or_score_never_lowers_a_pairs_probability(group, score, m1, m2, thin, irr):
    """Under every condition (covered/thin, regular/irregular) the shipped fit is monotone."""
    model = cal.load()
    lo, hi = sorted((m1, m2))

    def p(s: float, m: float) -> float:
        return model.probability(cal.Features(group, s, 0.0, False, thin, irr, m))

    assert p(score, lo) <= p(score, hi)
    assert p(score - 1.0, hi) <= p(score, hi)


def test_review_threshold_aims_above_the_promised_share():
    # 100 wrong beads: the default aim (CATCH, 98 %) flags 98 of them, not 95
    p = np.linspace(0.0, 1.0, 2000, endpoint=False)
    ok = np.ones(2000, dtype=bool)
    ok[::20] = False
    t = cal.review_threshold(p, ok, budget=1.0)
    assert int((p < t)[~ok].sum()) == 98
    assert int((p < cal.review_threshold(p, ok, catch=0.95, budget=1.0))[~ok].sum()) == 95


def test_fitted_thresholds_have_the_four_decimals_scores_are_shown_with():
    model = cal.load()
    for t in (model.review_below, model.review_below_thin):
        assert round(t, 4) == t
    assert cal._shown(0.99961) == 0.9997 and cal._shown(0.9996) == 0.9996
