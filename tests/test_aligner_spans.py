"""Span vectors made on demand hold what a stored table of every span would."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner.dp import rowwise_dot
from align.aligner.spans import SpanTable


def unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def stored(vecs: np.ndarray, lens: np.ndarray, size: int) -> np.ndarray:
    """Every span's vector, the slow way: one weighted mean per span, in float64."""
    out = []
    for s in range(len(vecs) - size + 1):
        w = np.maximum(lens[s : s + size], 1.0)[:, None]
        acc = (vecs[s : s + size].astype(np.float64) * w).sum(axis=0)
        out.append(acc / np.linalg.norm(acc))
    return np.array(out)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(3, 40),
    size=st.integers(2, 3),
    seed=st.integers(0, 2**16),
    zero_len=st.booleans(),
)
def test_any_read_equals_the_stored_table(n, size, seed, zero_len):
    rng = np.random.default_rng(seed)
    vecs = unit(rng, n, 16)
    lens = rng.integers(0 if zero_len else 1, 200, n).astype(np.float64)
    table = SpanTable(vecs, lens, size)
    want = stored(vecs, lens, size)
    assert len(table) == n - size + 1 == table.shape[0]
    assert np.allclose(table[0 : len(table)], want, atol=1e-6)
    lo, hi = sorted(rng.integers(0, len(table) + 1, 2))
    assert np.allclose(table[lo:hi], want[lo:hi], atol=1e-6)
    idx = rng.integers(0, len(table), 25)
    assert np.allclose(table[idx], want[idx], atol=1e-6)
    assert np.allclose(table[-1], want[-1], atol=1e-6)
    assert table[idx].dtype == np.float32


def test_exact_spans_override_the_mean_wherever_read():
    rng = np.random.default_rng(3)
    vecs, lens = unit(rng, 12, 8), np.full(12, 40.0)
    table = SpanTable(vecs, lens, 2)
    exact = unit(rng, 1, 8)[0]
    table[5] = exact
    assert table.exact.tolist() == [k == 5 for k in range(11)]
    assert np.array_equal(table[5], exact)
    assert np.array_equal(table[3:8][2], exact)
    assert np.array_equal(table[np.array([5, 0, 5])][[0, 2]], [exact, exact])
    assert not np.allclose(table[4], exact)  # its neighbours keep the mean
    assert np.allclose(table[4], stored(vecs, lens, 2)[4], atol=1e-6)


def test_the_banded_dot_product_reads_a_table_like_an_array():
    rng = np.random.default_rng(5)
    src, tgt = unit(rng, 50, 16), unit(rng, 60, 16)
    lens = rng.integers(1, 90, 50).astype(np.float64)
    table = SpanTable(src, lens, 3)
    want = stored(src, lens, 3)
    # nearby cells (one block product) and scattered ones (row gathers)
    i = np.concatenate([np.repeat(np.arange(10, 20), 4), rng.integers(0, 48, 30)])
    j = np.concatenate([np.tile(np.arange(12, 16), 10), rng.integers(0, 60, 30)])
    got = rowwise_dot(table, i, tgt, j)
    assert np.allclose(got, np.einsum("ij,ij->i", want[i], tgt[j]), atol=1e-5)


@pytest.mark.parametrize(("n", "size"), [(3, 1), (2, 3), (5, 0)])
def test_a_span_size_outside_the_side_is_refused(n, size):
    with pytest.raises(ValueError, match="span size"):
        SpanTable(np.zeros((n, 4), np.float32), np.ones(n), size)


def test_reads_outside_the_table_are_refused():
    table = SpanTable(np.eye(5, dtype=np.float32), np.ones(5), 2)
    with pytest.raises(IndexError):
        table[np.array([4])]
    with pytest.raises(IndexError):
        table[0:4:2]
