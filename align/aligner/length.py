"""Gale–Church length prior with the character ratio estimated from the documents.

Translations keep a near-constant length ratio, so a bead whose sides disagree
in length (e.g. a deleted sentence swallowed by its neighbour's bead) is
unlikely. The ratio and spread come from the two documents themselves, so no
language pair is hard-wired.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_LOG_FLOOR = -30.0


@dataclass(frozen=True)
class LengthModel:
    """``ratio`` = expected target chars per source char; ``var`` = variance per char."""

    ratio: float = 1.0
    var: float = 6.8

    def logprob(self, src_len: np.ndarray | float, tgt_len: np.ndarray | float) -> np.ndarray:
        """log P(|δ| ≥ observed) of the Gale–Church deviation δ (0 = perfect fit)."""
        ls = np.asarray(src_len, dtype=np.float64)
        lt = np.asarray(tgt_len, dtype=np.float64)
        mean = (ls * self.ratio + lt) / 2.0
        delta = np.abs(lt - ls * self.ratio) / np.sqrt(self.var * np.maximum(mean, 1.0))
        # two-sided tail of the standard normal, in log space
        tail = _log_two_tail(delta)
        return np.maximum(tail, _LOG_FLOOR)


def _log_two_tail(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    small = z < 5.0
    out = np.empty_like(z)
    erfc = np.vectorize(math.erfc, otypes=[np.float64])
    out[small] = np.log(np.maximum(erfc(z[small] / math.sqrt(2.0)), 1e-300))
    big = z[~small]
    # asymptotic: erfc(x) ≈ exp(-x²)/(x√π)
    x = big / math.sqrt(2.0)
    out[~small] = -(x**2) - np.log(x * math.sqrt(math.pi))
    return out


def estimate(
    src_lens: Sequence[int], tgt_lens: Sequence[int], pairs: Sequence[tuple[int, int]] = ()
) -> LengthModel:
    """Ratio from total lengths; variance from ``pairs`` (line indices believed 1-1).

    The spread is robust (median absolute deviation of the residual) so a few
    wrong pairs don't inflate it, and it is not clipped: it is shrunk towards
    the classic 6.8 with weight 50 / (pairs + 50), so a long document keeps its
    own spread (tight or loose) and a short one leans on the classic value.
    """
    s = np.asarray(src_lens, dtype=np.float64)
    t = np.asarray(tgt_lens, dtype=np.float64)
    if s.sum() <= 0 or t.sum() <= 0:
        return LengthModel()
    ratio = float(t.sum() / s.sum())
    if len(pairs) < 20:
        return LengthModel(ratio=ratio)
    idx = np.asarray(pairs, dtype=np.int64)
    ps, pt = s[idx[:, 0]], t[idx[:, 1]]
    resid = (pt - ps * ratio) / np.sqrt(np.maximum((ps * ratio + pt) / 2, 1.0))
    mad = float(np.median(np.abs(resid - np.median(resid))))
    var = (1.4826 * mad) ** 2
    if not math.isfinite(var) or var <= 0:
        return LengthModel(ratio=ratio)
    # shrink towards the classic value by the number of pairs, not clip: a tight
    # document keeps its tight spread, a loose one its loose spread
    k = len(pairs) / (len(pairs) + 50.0)
    return LengthModel(ratio=ratio, var=float(k * var + (1 - k) * 6.8))
