"""Bead posteriors by forward-backward equal the sum over every path, counted by hand."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner.dp import Band, band_costs, bead_types, posteriors, search


def _all_paths(n, m, types, cost, null_s, null_t, band):
    """Every monotone bead sequence inside ``band`` with its total cost."""
    out = []

    def walk(i, j, beads, total):
        if (i, j) == (n, m):
            out.append((list(beads), total))
            return
        for a, b in types:
            ei, ej = i + a, j + b
            if ei > n or ej > m or not band.lo[ei] <= ej <= band.hi[ei]:
                continue
            if a and b:
                c = float(cost(a, b, np.array([i]), np.array([j]))[0])
            else:
                c = float(null_s[i] if a else null_t[j])
            beads.append(((a, b), i, j))
            walk(ei, ej, beads, total + c)
            beads.pop()

    walk(0, 0, [], 0.0)
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(0, 10_000),
    st.sampled_from([0.5, 1.0, 3.0]),
    st.booleans(),
)
def test_posteriors_match_enumeration(n, m, seed, temperature, narrow):
    rng = np.random.default_rng(seed)
    types = [(a, b) for a, b in bead_types(3) if a <= n and b <= m]
    table = {t: rng.uniform(-1.0, 2.0, size=(n + 1, m + 1)) for t in types if all(t)}
    null_s, null_t = rng.uniform(0.0, 1.5, n), rng.uniform(0.0, 1.5, m)

    def cost(a, b, i0s, j0s):
        return table[(a, b)][i0s, j0s]

    diagonal = [(i, round(i * m / n)) for i in range(n + 1)]
    band = Band.around(diagonal, n, m, 1) if narrow else Band.full(n, m)
    costs = band_costs(types, band, cost)
    path = search(n, m, types, band, cost, null_s, null_t, costs)
    paths = _all_paths(n, m, types, cost, null_s, null_t, band)
    weights = np.array([np.exp(-total / temperature) for _, total in paths])
    mass: dict = {}
    for (beads, _), w in zip(paths, weights, strict=True):
        for bead in beads:
            mass[bead] = mass.get(bead, 0.0) + w / weights.sum()
    got = posteriors(path, types, band, costs, null_s, null_t, temperature)
    assert np.allclose(got, [mass[bead] for bead in path], atol=1e-9)
    path_cost = sum(
        float(table[(a, b)][i, j]) if a and b else float(null_s[i] if a else null_t[j])
        for (a, b), i, j in path
    )
    assert np.isclose(path_cost, min(total for _, total in paths)), "a cheapest path"


def test_a_clear_bead_is_near_certain_and_a_coin_flip_is_not():
    """Two target lines equally good for one source line: each pairing gets about half."""
    types = bead_types(1)
    cos = {(0, 0): 0.9, (1, 1): 0.9, (1, 2): 0.9}  # src 1 fits tgt 1 and tgt 2 alike

    def cost(a, b, i0s, j0s):
        return np.array(
            [-8.0 * cos.get((int(i), int(j)), 0.0) for i, j in zip(i0s, j0s, strict=True)]
        )

    null_s, null_t = np.full(2, 1.0), np.full(3, 1.0)
    band = Band.full(2, 3)
    costs = band_costs(types, band, cost)
    path = search(2, 3, types, band, cost, null_s, null_t, costs)
    post = posteriors(path, types, band, costs, null_s, null_t)
    by_bead = dict(zip(path, post, strict=True))
    assert by_bead[((1, 1), 0, 0)] > 0.99
    tied = [p for ((a, b), i, j), p in by_bead.items() if (a, b) == (1, 1) and i == 1]
    assert len(tied) == 1 and 0.45 < tied[0] < 0.55


def test_band_costs_scored_in_chunks_equal_scored_at_once(monkeypatch):
    """The scorer sees at most COST_CHUNK cells per call; the costs do not change."""
    from align.aligner import dp

    rng = np.random.default_rng(3)
    types = bead_types(3)
    table = {t: rng.normal(size=(31, 29)) for t in types if all(t)}
    calls: list[int] = []

    def cost(a, b, i0s, j0s):
        calls.append(len(i0s))
        return table[(a, b)][i0s, j0s]

    band = Band.full(30, 28)
    whole = band_costs(types, band, cost)
    assert max(calls) > 7
    calls.clear()
    monkeypatch.setattr(dp, "COST_CHUNK", 7)
    chunked = band_costs(types, band, cost)
    assert max(calls) == 7
    for t, rows in whole.items():
        for (f1, t1, c1), (f2, t2, c2) in zip(rows, chunked[t], strict=True):
            assert (f1, t1) == (f2, t2) and np.array_equal(c1, c2)
