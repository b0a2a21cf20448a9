"""Monotonic bead search in a band of the (source × target) lattice.

Cell ``(i, j)`` means "``i`` source and ``j`` target lines consumed". Each row keeps
only the band ``lo[i]..hi[i]`` of target positions, so memory is O(cells in band)
(one byte of back-pointer per cell) instead of O(n·m): a 20,000 × 20,000 pair
with a ±40 band needs ~2 MB of back-pointers. The band comes from a cheaper pass
(``rough_path``): single-sentence 1-1/1-0/0-1 search, recursively on block-averaged
embeddings when the full lattice would be large — the coarse-to-fine idea of
vecalign, written from scratch here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from align.aligner.embed import unit_rows

BeadType = tuple[int, int]
# bead_cost(a, b, i0s, j0s) -> cost of the beads covering src[i0:i0+a], tgt[j0:j0+b]
# for every pair of starts (lower is better). Only called with a, b >= 1.
BeadCost = Callable[[int, int, int, np.ndarray], np.ndarray]

FULL_CELLS = 2_500_000  # lattices up to this size are searched without a coarse pass
COST_CHUNK = 1 << 17  # band cells scored per call: the scorer's temporaries stay ~10 MB each


def bead_types(max_bead: int = 3) -> list[BeadType]:
    """0-1, 1-0, 1-1, then 1-k/k-1 up to ``max_bead`` and 2-2 (when max_bead ≥ 2)."""
    if max_bead < 1:
        raise ValueError("max_bead must be at least 1")
    types: list[BeadType] = [(1, 1), (1, 0), (0, 1)]
    for k in range(2, max_bead + 1):
        types += [(1, k), (k, 1)]
    if max_bead >= 2:
        types.append((2, 2))
    return types


@dataclass
class Band:
    """Inclusive target range ``lo[i]..hi[i]`` searched for each source row ``i``."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))

    @classmethod
    def around(cls, path: Sequence[tuple[int, int]], n: int, m: int, radius: int) -> Band:
        """Cells within ``radius`` of a monotone path through (0,0) … (n,m)."""
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        pts = np.asarray(path, dtype=np.int64).reshape(-1, 2)
        for i, j in pts:
            a, b = max(0, i - radius), min(n, i + radius)
            lo[a : b + 1] = np.minimum(lo[a : b + 1], max(0, j - radius))
            hi[a : b + 1] = np.maximum(hi[a : b + 1], min(m, j + radius))
        # make bounds monotone so every cell in the band can reach (n, m)
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        lo[0], hi[n] = 0, m
        return cls(lo, hi)

    @property
    def cells(self) -> int:
        return int(np.sum(self.hi - self.lo + 1))


def search(
    n: int,
    m: int,
    types: Sequence[BeadType],
    band: Band,
    bead_cost: BeadCost,
    null_src: np.ndarray,
    null_tgt: np.ndarray,
    costs: BandCosts | None = None,
) -> list[tuple[BeadType, int, int]]:
    """Cheapest monotone bead sequence from (0,0) to (n,m) inside ``band``.

    Returns ``[((a, b), i0, j0), ...]`` in order: bead covering src[i0:i0+a],
    tgt[j0:j0+b]. ``null_src[i]``/``null_tgt[j]`` are the 1-0/0-1 costs;
    ``costs`` (:func:`band_costs` of the same band and ``bead_cost``) saves
    computing them again.
    """
    lo, hi = band.lo, band.hi
    max_a = max(a for a, _ in types)
    has_ins = (0, 1) in types
    joint = [(t, a, b) for t, (a, b) in enumerate(types) if a and b]
    t_del = types.index((1, 0)) if (1, 0) in types else -1
    t_ins = types.index((0, 1)) if has_ins else -1
    cum_tgt = np.concatenate([[0.0], np.cumsum(null_tgt, dtype=np.float64)])
    if costs is None:
        costs = band_costs(types, band, bead_cost)
    rows: dict[int, np.ndarray] = {}
    back: list[np.ndarray] = []
    for i in range(n + 1):
        lft, h = int(lo[i]), int(hi[i])
        width = h - lft + 1
        cur = np.full(width, np.inf)
        bp = np.full(width, -1, dtype=np.int8)
        if i == 0 and lft == 0:
            cur[0] = 0.0
        for t, r, prev, seg, cost in _into_row(i, band, joint, t_del, costs, null_src):
            cand = rows[r][prev] + cost
            better = cand < cur[seg]
            cur[seg] = np.where(better, cand, cur[seg])
            bp[seg] = np.where(better, t, bp[seg])
        if has_ins and width > 1:
            # 0-1 beads chain along the row: D[j] = C[j] + min_{k<=j}(X[k] - C[k])
            c = cum_tgt[lft : h + 1]
            shifted = cur - c
            best = np.minimum.accumulate(shifted)
            take = best < shifted
            cur = np.where(take, best + c, cur)
            bp = np.where(take, t_ins, bp)
        rows[i] = cur
        rows.pop(i - max_a - 1, None)
        back.append(bp)
    if not np.isfinite(rows[n][m - int(lo[n])]):
        raise ValueError("no monotone path inside the band")
    out: list[tuple[BeadType, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - int(lo[i])])
        a, b = types[t]
        i, j = i - a, j - b
        out.append(((a, b), i, j))
    out.reverse()
    return out


# type index -> per end row i: (j_from, j_to, costs of the beads ending at (i, j_from..j_to))
BandCosts = dict[int, list[tuple[int, int, np.ndarray]]]


def _into_row(
    i: int,
    band: Band,
    joint: Sequence[tuple[int, int, int]],
    t_del: int,
    costs: BandCosts,
    null_src: np.ndarray,
) -> Iterator[tuple[int, int, slice, slice, np.ndarray | float]]:
    """Beads ending in row ``i`` except 0-1 (which chain along the row), as slices.

    Yields ``(type index, start row r, slice of row r's cells, slice of row i's
    cells, costs)``: the one walk of the lattice that :func:`search` (min) and
    the forward pass of :func:`posteriors` (sum) both combine.
    """
    lo, hi = band.lo, band.hi
    lft = int(lo[i])
    for t, a, b in joint:
        if i - a < 0:
            continue
        j_from, j_to, row_cost = costs[t][i]
        if j_from <= j_to:
            pl = int(lo[i - a])
            yield (t, i - a, slice(j_from - b - pl, j_to - b - pl + 1),
                   slice(j_from - lft, j_to - lft + 1), row_cost)  # fmt: skip
    if t_del >= 0 and i >= 1:
        pl = int(lo[i - 1])
        j_from, j_to = max(lft, pl), min(int(hi[i]), int(hi[i - 1]))
        if j_from <= j_to:
            yield (t_del, i - 1, slice(j_from - pl, j_to - pl + 1),
                   slice(j_from - lft, j_to - lft + 1), float(null_src[i - 1]))  # fmt: skip


def band_costs(types: Sequence[BeadType], band: Band, bead_cost: BeadCost) -> BandCosts:
    """Costs of every bead with both sides non-empty inside ``band``, by type index."""
    return {
        t: _type_costs(a, b, band.lo, band.hi, bead_cost)
        for t, (a, b) in enumerate(types)
        if a and b
    }


def posteriors(
    path: Sequence[tuple[BeadType, int, int]],
    types: Sequence[BeadType],
    band: Band,
    costs: BandCosts,
    null_src: np.ndarray,
    null_tgt: np.ndarray,
    temperature: float = 1.0,
) -> np.ndarray:
    """Posterior probability of each bead of ``path`` over all paths in ``band``.

    Paths are weighted ``exp(-cost / temperature)`` and summed with the
    forward-backward algorithm over the same lattice :func:`search` minimises
    (as Moore 2002, "Fast and Accurate Sentence Alignment of Bilingual
    Corpora", reads bead probabilities off an alignment model): a bead's
    posterior is the weight of the paths through it over the weight of all.
    Unlike a local margin it counts every competing path, however far it runs.

    Args:
        path: beads ``((a, b), i0, j0)`` as :func:`search` returns them.
        costs: :func:`band_costs` of ``band`` with the costs ``path`` was found
            under; ``null_src``/``null_tgt`` as for :func:`search` (their lengths
            give the lattice size).
        temperature: > 0; lower sharpens the weights towards the cheapest path.

    Returns:
        float64 array, one probability in [0, 1] per bead of ``path``.

    Raises:
        ValueError: ``temperature`` is not positive.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, not {temperature}")
    fwd, bwd, total = _forward_backward(types, band, costs, null_src, null_tgt, temperature)
    lo, inv = band.lo, 1.0 / temperature
    t_of = {ab: t for t, ab in enumerate(types)}
    out = np.empty(len(path))
    for k, ((a, b), i0, j0) in enumerate(path):
        if a and b:
            j_from, _, row_cost = costs[t_of[(a, b)]][i0 + a]
            cost = row_cost[j0 + b - j_from] * inv
        else:
            cost = (null_src[i0] if a else null_tgt[j0]) * inv
        into = fwd[i0][j0 - int(lo[i0])]
        out_of = bwd[i0 + a][j0 + b - int(lo[i0 + a])]
        out[k] = np.exp(min(0.0, into - cost + out_of - total))
    return out


def _forward_backward(
    types: Sequence[BeadType],
    band: Band,
    costs: BandCosts,
    null_src: np.ndarray,
    null_tgt: np.ndarray,
    temperature: float,
) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    """Log path weights into (``fwd``) and out of (``bwd``) every band cell, and the total."""
    n, m = len(null_src), len(null_tgt)
    lo, hi = band.lo, band.hi
    inv = 1.0 / temperature
    cum = np.concatenate([[0.0], np.cumsum(null_tgt, dtype=np.float64)]) * -inv
    joint = [(t, a, b) for t, (a, b) in enumerate(types) if a and b]
    has_del, has_ins = (1, 0) in types, (0, 1) in types
    t_del = types.index((1, 0)) if has_del else -1
    fwd: list[np.ndarray] = []
    for i in range(n + 1):
        lft, h = int(lo[i]), int(hi[i])
        cur = np.full(h - lft + 1, -np.inf)
        if i == 0 and lft == 0:
            cur[0] = 0.0
        for _, r, prev, seg, cost in _into_row(i, band, joint, t_del, costs, null_src):
            cur[seg] = np.logaddexp(cur[seg], fwd[r][prev] - cost * inv)
        if has_ins and len(cur) > 1:  # 0-1 chains along the row, as in search
            c = cum[lft : h + 1]
            cur = c + np.logaddexp.accumulate(cur - c)
        fwd.append(cur)
    bwd: list[np.ndarray] = [np.empty(0)] * (n + 1)
    for i in range(n, -1, -1):
        lft, h = int(lo[i]), int(hi[i])
        cur = np.full(h - lft + 1, -np.inf)
        if i == n:
            cur[m - lft] = 0.0
        for t, a, b in joint:
            if i + a > n:
                continue
            j_from, j_to, row_cost = costs[t][i + a]
            if j_from <= j_to:
                pl = int(lo[i + a])
                seg = slice(j_from - b - lft, j_to - b - lft + 1)
                nxt = bwd[i + a][j_from - pl : j_to - pl + 1]
                cur[seg] = np.logaddexp(cur[seg], nxt - row_cost * inv)
        if has_del and i < n:
            pl, ph = int(lo[i + 1]), int(hi[i + 1])
            j_from, j_to = max(lft, pl), min(h, ph)
            if j_from <= j_to:
                seg = slice(j_from - lft, j_to - lft + 1)
                nxt = bwd[i + 1][j_from - pl : j_to - pl + 1]
                cur[seg] = np.logaddexp(cur[seg], nxt - null_src[i] * inv)
        if has_ins and len(cur) > 1:
            c = cum[lft : h + 1]
            cur = np.logaddexp.accumulate((cur + c)[::-1])[::-1] - c
        bwd[i] = cur
    return fwd, bwd, float(fwd[n][m - int(lo[n])])


def _type_costs(a: int, b: int, lo: np.ndarray, hi: np.ndarray, bead_cost: BeadCost) -> list:
    """Costs of every a-b bead ending inside the band, computed in one vectorised call.

    Entry ``i`` is ``(j_from, j_to, costs)`` for beads ending at row ``i``.
    """
    n = len(lo) - 1
    spans = []
    i0s, j0s = [], []
    for i in range(n + 1):
        r = i - a
        if r < 0:
            spans.append((1, 0))
            continue
        j_from, j_to = max(int(lo[i]), int(lo[r]) + b), min(int(hi[i]), int(hi[r]) + b)
        spans.append((j_from, j_to))
        if j_from <= j_to:
            i0s.append(np.full(j_to - j_from + 1, r, dtype=np.int64))
            j0s.append(np.arange(j_from - b, j_to - b + 1, dtype=np.int64))
    flat = np.zeros(0)
    if i0s:
        all_i, all_j = np.concatenate(i0s), np.concatenate(j0s)
        flat = np.empty(len(all_i))
        for s in range(0, len(all_i), COST_CHUNK):  # bounds the scorer's temporaries
            part = slice(s, s + COST_CHUNK)
            flat[part] = bead_cost(a, b, all_i[part], all_j[part])
    out = []
    pos = 0
    for j_from, j_to in spans:
        k = max(0, j_to - j_from + 1)
        out.append((j_from, j_to, flat[pos : pos + k]))
        pos += k
    return out


def rowwise_dot(x: np.ndarray, xi: np.ndarray, y: np.ndarray, yj: np.ndarray) -> np.ndarray:
    """``x[xi[k]] · y[yj[k]]`` for every k.

    Band cells come in row order with nearby columns, so each chunk of cells is
    served by one small dense matrix product (BLAS) instead of gathering two
    rows per cell; scattered chunks fall back to the gather.
    """
    out = np.empty(len(xi), dtype=np.float64)
    step = 1024
    for s in range(0, len(xi), step):
        r, c = xi[s : s + step], yj[s : s + step]
        r0, r1, c0, c1 = int(r.min()), int(r.max()), int(c.min()), int(c.max())
        if (r1 - r0 + 1) * (c1 - c0 + 1) <= 8 * len(r):
            block = x[r0 : r1 + 1] @ y[c0 : c1 + 1].T
            out[s : s + step] = block[r - r0, c - c0]
        else:
            out[s : s + step] = paired_dots(x, r, y, c)
    return out


def paired_dots(
    x: np.ndarray, xi: np.ndarray, y: np.ndarray, yj: np.ndarray, block: int = 4096
) -> np.ndarray:
    """``x[xi[k]] · y[yj[k]]`` for every k by gathering rows, ``block`` pairs at a time.

    For scattered pairs (a document's likely pairs and near misses), in the
    vectors' own dtype. Gathering every pair at once would copy both sides'
    vectors (276 MB for a 50,000-line book at 768 dimensions); each dot is the
    same either way.
    """
    out = np.empty(len(xi), dtype=np.result_type(x.dtype, y.dtype))
    for s in range(0, len(xi), block):
        out[s : s + block] = np.einsum("ij,ij->i", x[xi[s : s + block]], y[yj[s : s + block]])
    return out


def _pool(vecs: np.ndarray) -> np.ndarray:
    """Average neighbouring rows pairwise (the last one alone if odd), renormalised."""
    n = len(vecs)
    out = np.empty(((n + 1) // 2, vecs.shape[1]), dtype=vecs.dtype)
    np.add(vecs[0 : n - 1 : 2], vecs[1:n:2], out=out[: n // 2])
    if n % 2:
        out[-1] = vecs[-1]
    unit_rows(out)
    return out


def _pooled(vecs: np.ndarray, level: int) -> np.ndarray:
    """``vecs`` pooled ``level`` times (:func:`_pool`); level 0 is ``vecs`` itself."""
    for _ in range(level):
        vecs = _pool(vecs)
    return vecs


def rough_path(
    src: np.ndarray, tgt: np.ndarray, *, null_cost: float = 0.4, radius: int = 6
) -> list[tuple[int, int]]:
    """Lattice cells of a cheap 1-1/1-0/0-1 alignment of unit vectors (cost 1 − cos).

    Large lattices are first aligned at half resolution (recursively) and then
    searched only near the projected coarse path. Each level's pooled vectors
    are made again from ``src``/``tgt`` when its search needs them rather than
    held while the coarser levels run: a few cheap poolings more, and no
    pyramid of every level in memory at once (a 50,000-line book).
    """
    return _rough_level(src, tgt, 0, null_cost, radius)


def _rough_level(
    src0: np.ndarray, tgt0: np.ndarray, level: int, null_cost: float, radius: int
) -> list[tuple[int, int]]:
    """:func:`rough_path` of ``src0``/``tgt0`` pooled ``level`` times."""
    n, m = len(src0), len(tgt0)
    for _ in range(level):
        n, m = (n + 1) // 2, (m + 1) // 2
    types: list[BeadType] = [(1, 1), (1, 0), (0, 1)]
    if (n + 1) * (m + 1) <= FULL_CELLS or min(n, m) < 4:
        band = Band.full(n, m)
        src, tgt = _pooled(src0, level), _pooled(tgt0, level)
        sim = src @ tgt.T if n and m else np.zeros((n, m), dtype=np.float32)
        del src, tgt

        def cost(a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
            return 1.0 - sim[i0s, j0s]

    else:
        coarse = _rough_level(src0, tgt0, level + 1, null_cost, radius)
        band = Band.around([(2 * i, 2 * j) for i, j in coarse], n, m, 2 * radius)
        src, tgt = _pooled(src0, level), _pooled(tgt0, level)

        def cost(a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
            return 1.0 - rowwise_dot(src, i0s, tgt, j0s)

    nulls_s = np.full(n, null_cost)
    nulls_t = np.full(m, null_cost)
    beads = search(n, m, types, band, cost, nulls_s, nulls_t)
    cells = [(0, 0)]
    for (a, b), i0, j0 in beads:
        cells.append((i0 + a, j0 + b))
    return cells
