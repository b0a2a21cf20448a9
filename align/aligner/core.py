"""The aligner: one additive bead score from embeddings, length and anchors, then DP.

Bead score (higher is better; the search minimises its negative)::

    emb · rel · (cos(src span, tgt span) − floor)     meaning, from USE-m3 vectors
  + length · log P_GC(len_src, len_tgt)              Gale–Church tail, ratio from the data
  + anchors(src span, tgt span)                       numbers, names, terms, '?'/'!'
  − prior[bead type]                                  merges must earn their place
  − member · Σ max(0, member_floor − cos(line, other side))   (merged beads only)

``floor`` is set per document pair halfway between the cosine of its likely pairs
and of near-miss non-pairs (same-topic sentences score well above random ones).
The member term asks every line of a merged side to resemble the other side on
its own: a merge's short half does, debris glued onto a neighbour does not.

A 1-0/0-1 bead costs ``null`` plus ``null_sim`` times how far the line's best
match nearby rises above ``floor`` (length-damped): a line that clearly matches
something should not be dropped, while one-sided debris is cheap to leave out.
``rel`` shrinks the embedding term for very short spans, whose vectors are
noisy, so numbers, names and length decide there.

Speed: single lines are embedded once (cached on disk). Multi-line spans first
use the length-weighted mean of their lines' vectors; only the path's merged
beads and a null line's two merge options are then embedded for real
(concatenated text, as vecalign does) and the band is searched again.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from align.aligner import anchors as anc
from align.aligner.dp import Band, BeadType, bead_types, rough_path, rowwise_dot, search
from align.aligner.embed import Embedder
from align.aligner.length import LengthModel, estimate
from align.model import Bead


@dataclass(frozen=True)
class Weights:
    """Terms of the bead score (see the module docstring); tuned on the FLORES bench."""

    emb: float = 10.0
    floor: float = 0.35  # used when the documents are too short to estimate one
    length: float = 0.25
    null: float = 0.3
    null_sim: float = 2.0
    member: float = 2.0
    member_floor: float = 0.4
    short_chars: int = 25
    prior: dict[str, float] = field(
        default_factory=lambda: {"2-1": 0.3, "1-2": 0.3, "2-2": 0.6, "3-1": 0.6, "1-3": 0.6}
    )
    anchors: anc.AnchorWeights = field(default_factory=anc.AnchorWeights)
    band: int = 10  # fine search radius (lines) around the rough path

    def prior_of(self, a: int, b: int) -> float:
        return self.prior.get(f"{a}-{b}", 0.3 * (a + b - 2))


class _Side:
    """One side's lines, vectors and anchors, with span lookups."""

    def __init__(self, lines: Sequence[str], vecs: np.ndarray, marks: anc.Anchors, max_span: int):
        self.lines = list(lines)
        self.vecs = vecs
        self.marks = marks
        self.lens = np.array([len(t) for t in lines], dtype=np.float64)
        self.cum_len = np.concatenate([[0.0], np.cumsum(self.lens)])
        self.spans: dict[int, np.ndarray] = {1: vecs}
        self.exact: dict[int, np.ndarray] = {}
        for a in range(2, max_span + 1):
            if len(lines) < a:
                break
            acc = np.zeros((len(lines) - a + 1, vecs.shape[1]), dtype=np.float32)
            for k in range(a):
                w = np.maximum(self.lens[k : len(lines) - a + 1 + k], 1.0)[:, None]
                acc += vecs[k : len(lines) - a + 1 + k] * w.astype(np.float32)
            acc /= np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-9)
            self.spans[a] = acc
            self.exact[a] = np.zeros(len(acc), dtype=bool)

    def span_len(self, starts: np.ndarray | int, size: int) -> np.ndarray:
        s = np.asarray(starts)
        return self.cum_len[s + size] - self.cum_len[s]

    def embed_exact(self, wanted: dict[int, set[int]], embedder: Embedder) -> int:
        todo = [(a, s) for a, ss in wanted.items() for s in sorted(ss) if not self.exact[a][s]]
        if not todo:
            return 0
        texts = [" ".join(self.lines[s : s + a]) for a, s in todo]
        vecs = embedder.encode(texts)
        for (a, s), v in zip(todo, vecs, strict=True):
            self.spans[a][s] = v
            self.exact[a][s] = True
        return len(todo)


class Scorer:
    """Bead costs for the DP (cost = −score) and null costs, per document pair."""

    def __init__(
        self,
        src: _Side,
        tgt: _Side,
        length: LengthModel,
        w: Weights,
        cells: Sequence[tuple[int, int]],
        floor: float | None = None,
    ):
        self.src, self.tgt, self.length, self.w = src, tgt, length, w
        self.floor = w.floor if floor is None else floor
        path = np.asarray(cells, dtype=np.int64).reshape(-1, 2)
        n, m = len(src.lines), len(tgt.lines)
        # first path cell of each row / column = where the path meets that line
        j_at = np.zeros(n + 1, dtype=np.int64)
        i_at = np.zeros(m + 1, dtype=np.int64)
        j_at[path[::-1, 0]] = path[::-1, 1]
        i_at[path[::-1, 1]] = path[::-1, 0]
        self.null_src = self._null_costs(src, tgt, j_at[:n])
        self.null_tgt = self._null_costs(tgt, src, i_at[:m])

    def _null_costs(self, side: _Side, other: _Side, along: np.ndarray) -> np.ndarray:
        """1-0/0-1 cost per line, from its best cosine with the other side near the path.

        ``along[i]`` is where the rough path meets the other side at line ``i``;
        only lines within a window of it count as "a match nearby".
        """
        n, m = len(side.lines), len(other.lines)
        window = 2 * self.w.band
        offsets = np.arange(-window, window + 1)
        rows = np.repeat(np.arange(n), len(offsets))
        cols = (along[:, None] + offsets[None, :]).ravel()
        ok = (cols >= 0) & (cols < m)
        sims = np.full(rows.shape, -1.0)
        sims[ok] = rowwise_dot(side.vecs, rows[ok], other.vecs, cols[ok])
        best = sims.reshape(n, len(offsets)).max(axis=1)
        rel = self._reliability(side.lens)
        excess = np.clip(best - self.floor, 0.0, None) * rel
        return self.w.null + self.w.null_sim * excess

    def _reliability(self, chars: np.ndarray) -> np.ndarray:
        return np.clip(np.sqrt(np.asarray(chars, dtype=np.float64) / self.w.short_chars), 0.3, 1.0)

    def sims(self, a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
        return rowwise_dot(self.src.spans[a], i0s, self.tgt.spans[b], j0s)

    def score(self, a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
        w = self.w
        sim = self.sims(a, b, i0s, j0s)
        ls = self.src.span_len(i0s, a)
        lt = self.tgt.span_len(j0s, b)
        rel = np.minimum(self._reliability(ls), self._reliability(lt))
        out = w.emb * rel * (sim - self.floor)
        if a > 1 or b > 1:
            out -= self._members(a, b, i0s, j0s)
        out += w.length * self.length.logprob(ls, lt)
        out += anc.score(self.src.marks.span(i0s, a), self.tgt.marks.span(j0s, b), w.anchors)
        out -= w.prior_of(a, b)
        return out

    def _members(self, a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
        """Penalty for lines of a merged side that don't resemble the other side.

        A merge's short part still shares meaning with the other side; debris or
        a dropped sentence glued onto a neighbour's bead does not.
        """
        w = self.w
        pen = np.zeros(len(i0s))
        for side, other, starts, ostarts, size, osize in (
            (self.src, self.tgt, i0s, j0s, a, b),
            (self.tgt, self.src, j0s, i0s, b, a),
        ):
            if size < 2:
                continue
            for k in range(size):
                sim = rowwise_dot(side.vecs, starts + k, other.spans[osize], ostarts)
                rel = self._reliability(side.lens[starts + k])
                pen += w.member * rel * np.clip(w.member_floor - sim, 0.0, None)
        return pen

    def cost(self, a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
        return -self.score(a, b, i0s, j0s)


def _confidence(x: np.ndarray | float) -> float:
    """Map a bead score to 0..1: 0.5 = the evidence is balanced, ≥ 0.8 a clear pair."""
    return float(1.0 / (1.0 + np.exp(-float(x))))


def align_vectors(
    src_lines: Sequence[str],
    tgt_lines: Sequence[str],
    src_vecs: np.ndarray,
    tgt_vecs: np.ndarray,
    embedder: Embedder | None,
    *,
    max_bead: int = 3,
    weights: Weights | None = None,
    src_terms: Sequence[Sequence[str]] = (),
    tgt_terms: Sequence[Sequence[str]] = (),
    review_below: float = 0.5,
) -> list[Bead]:
    """Align two line lists whose single-line vectors are already computed.

    ``embedder`` embeds the few multi-line spans worth exact vectors; with
    ``None`` spans keep their mean-vector approximation.
    """
    n, m = len(src_lines), len(tgt_lines)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0, True) for i in range(n)] + [
            Bead((), (j,), 1.0, True) for j in range(m)
        ]
    w = weights or Weights()
    with one_blas_thread():
        types = [(a, b) for a, b in bead_types(max_bead) if a <= n and b <= m]
        max_span = max(max(a, b) for a, b in types)
        src = _Side(src_lines, src_vecs, anc.extract(src_lines, src_terms), max_span)
        tgt = _Side(tgt_lines, tgt_vecs, anc.extract(tgt_lines, tgt_terms), max_span)

        cells = rough_path(src_vecs, tgt_vecs)
        pairs = [
            (i0, j0)
            for (i0, j0), (i1, j1) in itertools.pairwise(cells)
            if i1 - i0 == 1 and j1 - j0 == 1
        ]
        length = estimate(src.lens, tgt.lens, pairs)
        band = Band.around(cells, n, m, w.band)
        scorer = Scorer(src, tgt, length, w, cells, _floor(src_vecs, tgt_vecs, pairs, w.floor))

        path = search(n, m, types, band, scorer.cost, scorer.null_src, scorer.null_tgt)
        for _ in range(2 if embedder is not None else 0):
            s_want, t_want = _uncertain_spans(path, scorer)
            added = src.embed_exact(s_want, embedder) + tgt.embed_exact(t_want, embedder)
            if not added:
                break
            path = search(n, m, types, band, scorer.cost, scorer.null_src, scorer.null_tgt)
        return _to_beads(path, scorer, review_below)


def one_blas_thread():
    """Small matrix products are fastest single-threaded, and far slower with shared cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional speed-up
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _floor(src: np.ndarray, tgt: np.ndarray, pairs: list[tuple[int, int]], default: float):
    """Cosine halfway between this document's pairs and its near-miss non-pairs.

    Same-topic sentences of one document sit well above random pairs, so the line
    between "translation" and "unrelated" is set from the documents themselves.
    """
    if len(pairs) < 8:
        return default
    idx = np.asarray(pairs)
    true = np.einsum("ij,ij->i", src[idx[:, 0]], tgt[idx[:, 1]])
    off = []
    for shift in (-2, 2):
        j = idx[:, 1] + shift
        ok = (j >= 0) & (j < len(tgt))
        off.append(np.einsum("ij,ij->i", src[idx[ok, 0]], tgt[j[ok]]))
    near = np.concatenate(off)
    if not len(near):
        return default
    return float(np.clip((np.median(true) + np.median(near)) / 2, 0.25, 0.6))


def _uncertain_spans(
    path: list[tuple[BeadType, int, int]], scorer: Scorer
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Spans worth a real embedding: the path's merged beads and a null's merge options.

    A merged bead's own spans are re-embedded so its score (and confidence) is
    exact; for a null line, the two 2-line spans joining it to a neighbour are
    embedded so "absorbed into the neighbour's bead" is judged on real vectors.
    """
    s_want: dict[int, set[int]] = {a: set() for a in scorer.src.exact}
    t_want: dict[int, set[int]] = {b: set() for b in scorer.tgt.exact}
    n, m = len(scorer.src.lines), len(scorer.tgt.lines)
    for (a, b), i0, j0 in path:
        for want, start, size, total in ((s_want, i0, a, n), (t_want, j0, b, m)):
            if size >= 2 and size in want:
                want[size].add(start)
            elif (a == 0 or b == 0) and size == 1 and 2 in want:
                want[2].update(k for k in (start - 1, start) if 0 <= k <= total - 2)
    return s_want, t_want


def _to_beads(path: list[tuple[BeadType, int, int]], scorer: Scorer, review_below: float):
    scores: dict[int, float] = {}
    by_type: dict[BeadType, list[int]] = {}
    for k, ((a, b), _, _) in enumerate(path):
        if a and b:
            by_type.setdefault((a, b), []).append(k)
    for (a, b), ks in by_type.items():
        i0s = np.array([path[k][1] for k in ks])
        j0s = np.array([path[k][2] for k in ks])
        scores.update(zip(ks, scorer.score(a, b, i0s, j0s), strict=True))
    beads = []
    for k, ((a, b), i0, j0) in enumerate(path):
        src = tuple(range(i0, i0 + a))
        tgt = tuple(range(j0, j0 + b))
        if a and b:
            conf = _confidence(scores[k])
            beads.append(Bead(src, tgt, round(conf, 4), conf < review_below))
        else:
            # a null's confidence: how little the line resembles anything nearby
            cost = scorer.null_src[i0] if a else scorer.null_tgt[j0]
            excess = (cost - scorer.w.null) / max(scorer.w.null_sim, 1e-9)
            conf = float(np.clip(1.0 - excess / 0.4, 0.0, 1.0))
            beads.append(Bead(src, tgt, round(conf, 4), True))
    return beads
