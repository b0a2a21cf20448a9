"""Vectors of multi-line spans, made on demand from the line vectors.

A span of ``size`` consecutive lines is approximated by the length-weighted mean
of its lines' vectors, renormalised (as in vecalign's overlap approximation,
Thompson & Koehn 2019, before the few uncertain spans are embedded exactly).
Storing every span's vector costs ``(size-1)`` extra copies of the document's
vectors per side: 614 MB for a 50,000-line pair at 768 dimensions. The search
reads spans in blocks of nearby rows, so a table computes the rows asked for
instead, bit-for-bit the values a stored table would hold, and keeps only the
exactly embedded spans.
"""

from __future__ import annotations

import numpy as np


class SpanTable:
    """Unit vectors of every ``size``-line span of a side, indexed by first line.

    Supports ``len``, ``table[lo:hi]`` (step 1) and ``table[int array]``, each
    returning ``(rows, dim)`` float32 like the stored array it replaces, and
    ``table[start] = vec`` for a span embedded exactly, which then overrides the
    approximation.

    Args:
        vecs: ``(n, dim)`` float32 unit line vectors.
        lens: ``(n,)`` line lengths in characters (weights; at least 1 each).
        size: lines per span, ≥ 2 and ≤ n.
    """

    def __init__(self, vecs: np.ndarray, lens: np.ndarray, size: int) -> None:
        if not 2 <= size <= len(vecs):
            raise ValueError(f"span size {size} for {len(vecs)} lines")
        self.vecs = vecs
        self.weights = np.maximum(lens, 1.0).astype(np.float32)
        self.size = size
        self.n = len(vecs) - size + 1
        self.exact = np.zeros(self.n, dtype=bool)
        self._exact: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return self.n

    dtype = np.dtype(np.float32)  # of every row read

    @property
    def shape(self) -> tuple[int, int]:
        return self.n, self.vecs.shape[1]

    def __getitem__(self, key: int | slice | np.ndarray) -> np.ndarray:
        if isinstance(key, int | np.integer):
            return self[np.array([key])][0]
        if isinstance(key, slice):
            lo, hi, step = key.indices(self.n)
            if step != 1:
                raise IndexError("span tables are read in steps of 1")
            starts = np.arange(lo, max(lo, hi))
            acc = self._mean(lambda k: slice(lo + k, max(lo, hi) + k))
        else:
            starts = np.asarray(key)
            if starts.size and (starts.min() < -self.n or starts.max() >= self.n):
                raise IndexError(f"span start out of range 0..{self.n - 1}")
            starts = np.where(starts < 0, starts + self.n, starts)
            acc = self._mean(lambda k: starts + k)
        for r in np.flatnonzero(self.exact[starts]):
            acc[r] = self._exact[int(starts[r])]
        return acc

    def __setitem__(self, start: int, vec: np.ndarray) -> None:
        self._exact[int(start)] = np.asarray(vec, dtype=np.float32)
        self.exact[start] = True

    def _mean(self, rows) -> np.ndarray:
        first = rows(0)
        count = len(self.weights[first])
        acc = np.zeros((count, self.vecs.shape[1]), dtype=np.float32)
        for k in range(self.size):
            at = rows(k)
            acc += self.vecs[at] * self.weights[at][:, None]
        acc /= np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-9)
        return acc
