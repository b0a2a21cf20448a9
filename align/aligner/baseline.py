"""Length-only Gale–Church aligner: the baseline the benchmark compares against.

Same bead types and search as the real aligner, but the only evidence is the
character-length fit and the classic bead-type priors (Gale & Church 1993).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from align.aligner.dp import FULL_CELLS, Band, bead_types, search
from align.aligner.length import estimate
from align.model import Bead

_PRIORS = {"1-1": 0.89, "1-0": 0.0099 / 2, "0-1": 0.0099 / 2, "2-1": 0.089 / 2, "1-2": 0.089 / 2}
_OTHER = 0.011 / 3


def _diagonal_band(n: int, m: int, radius: int) -> Band:
    cells = [(i, round(i * m / n)) for i in range(n + 1)] if n else [(0, 0)]
    return Band.around([*cells, (n, m)], n, m, radius)


def align_by_length(src: Sequence[str], tgt: Sequence[str], max_bead: int = 3) -> list[Bead]:
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    ls = np.array([len(s) for s in src], dtype=np.float64)
    lt = np.array([len(t) for t in tgt], dtype=np.float64)
    cs, ct = np.concatenate([[0.0], np.cumsum(ls)]), np.concatenate([[0.0], np.cumsum(lt)])
    model = estimate(ls, lt)
    types = [(a, b) for a, b in bead_types(max_bead) if a <= n and b <= m]

    def cost(a: int, b: int, i0s: np.ndarray, j0s: np.ndarray) -> np.ndarray:
        prior = _PRIORS.get(f"{a}-{b}", _OTHER)
        span_t = ct[j0s + b] - ct[j0s]
        return -math.log(prior) - model.logprob(cs[i0s + a] - cs[i0s], span_t)

    null_s = -math.log(_PRIORS["1-0"]) - model.logprob(ls, 0.0)
    null_t = -math.log(_PRIORS["0-1"]) - model.logprob(0.0, lt)
    if (n + 1) * (m + 1) <= FULL_CELLS:
        band = Band.full(n, m)
    else:
        band = _diagonal_band(n, m, max(50, abs(n - m) + 20))
    path = search(n, m, types, band, cost, null_s, null_t)
    return [Bead(tuple(range(i0, i0 + a)), tuple(range(j0, j0 + b))) for (a, b), i0, j0 in path]
