"""A word-translation lexicon learnt from the document pair's own first alignment.

Where the encoder was not trained on a language (Azerbaijani, Ukrainian), its
sentence vectors separate translations from same-topic neighbours poorly. The
document pair itself holds more evidence: across its hundreds of 1-1
pairs, a word stem on one side keeps meeting the same stem on the other
("yanğın" with "fire", "пожеж" with "fire"). As in hunalign's second pass
(Varga et al. 2005, "Parallel corpora for medium density languages"), the
first alignment's 1-1 beads train a lexicon, and the pair is aligned again with
its evidence added. Entries are stem pairs seen together in at least
``min_count`` beads with a Dice coefficient (Dice 1945; Smadja et al. 1996 for
translation) of at least ``min_dice``; stems in more than ``max_share`` of the
beads (function words) are left out, and so are pairs seen in only one bead,
which would only repeat the first alignment.

The lexicon's evidence enters as extra vector dimensions, so that everything
downstream (span vectors, hubness, the document's floor and slope, null
costs) reads it like the encoder's: each entry gets a fixed pseudo-random
direction (feature hashing, Weinberger et al. 2009), a line's lexical vector is
the Dice-weighted sum of the directions of the entries whose stem it holds on
its side, normalised, and ``augment`` appends it with weight ``w``: the dot
product of two lines that both hold known stems is ``(1 − w)·cosine + w·lexical
cosine``; a line with none keeps its vector (unit length, like every vector the
aligner compares), so against such a line only ``√(1 − w)·cosine`` counts.
Measured first on FLORES-200 devtest, 10-fold, with a plain overlap score
rather than the hashed vectors (a lexicon learnt from 90 % of the gold pairs;
each held-out English line's translation sought among the target lines ±2
around it, by cosine plus 0.3 × the share of its stems whose entry is met): en–az misses 58 → 35 lines, en–uk 46 → 21. In the aligner
(``core``, weight 0.3, tuning seeds 1–4 of ``bench/align_bench.py``): 46 → 25
wrong beads on FLORES en–uk and en–az; weights 0.15–0.5, stems of 4–6
letters and the other thresholds were tried there, and the defaults kept.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import regex

from align.aligner.embed import Embedder, _normalize, unit_rows

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")


def stems(text: str, size: int = 5, min_len: int = 3) -> set[str]:
    """The word stems of ``text``: case-folded words of ≥ ``min_len`` letters, cut to ``size``.

    A word is a run of letters and combining marks (so Devanagari or vowelled
    Arabic words stay whole). A fixed-length prefix is a crude stemmer, but
    one that works without resources for any language written with spaces,
    agglutinative ones included (Azerbaijani "yanğınlar", "yanğında" →
    "yanği"). Scripts written without spaces (Chinese, Thai) yield whole
    phrases, which rarely recur, so few entries pass ``learn``'s thresholds.
    Dotted and dotless i are one letter here, so Turkic capitals fold as their
    small letters do ("YANĞIN", "İLDƏ" → "yanğin", "ildə") whatever the language.
    """
    folded = unicodedata.normalize("NFC", text).casefold().replace("\u0307", "").replace("ı", "i")
    return {w[:size] for w in _WORD.findall(folded) if len(w) >= min_len}


@dataclass(frozen=True)
class Lexicon:
    """Stem pairs with their Dice coefficients, and each side's stems → entry directions.

    ``src``/``tgt`` map a stem to the Dice-weighted sum of the hashed
    directions (``dim`` floats) of its entries; ``entries`` is the number of
    stem pairs.
    """

    src: dict[str, np.ndarray]
    tgt: dict[str, np.ndarray]
    dim: int
    entries: int

    def vectors(self, texts: Sequence[str], side: str) -> np.ndarray:
        """Unit lexical vectors, ``(len(texts), dim)`` float32; all-zero rows for no known stem."""
        table = self.src if side == "src" else self.tgt
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for k, text in enumerate(texts):
            for s in stems(text):
                v = table.get(s)
                if v is not None:
                    out[k] += v
        unit_rows(out)  # a row without a known stem stays all zero
        return out


def _direction(a: str, b: str, dim: int) -> np.ndarray:
    # a stable seed per entry, so the same pair always gets the same direction
    rng = np.random.default_rng(zlib.crc32(f"{a}\t{b}".encode()))
    return (rng.standard_normal(dim) / np.sqrt(dim)).astype(np.float32)


def learn(
    src_lines: Sequence[str],
    tgt_lines: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    *,
    min_count: int = 2,
    min_dice: float = 0.3,
    max_share: float = 0.2,
    dim: int = 256,
    min_pairs: int = 50,
) -> Lexicon | None:
    """Learn stem pairs from ``pairs`` (source, target line indices of 1-1 beads).

    Returns None where there are fewer than ``min_pairs`` pairs or no entry
    passes the thresholds (too little text to learn from).
    """
    if len(pairs) < min_pairs:
        return None
    sides = [(stems(src_lines[i]), stems(tgt_lines[j])) for i, j in pairs]
    cs: Counter[str] = Counter(a for s, _ in sides for a in s)
    ct: Counter[str] = Counter(b for _, t in sides for b in t)
    limit = max_share * len(pairs)
    # only stems that can make an entry are paired (a book's pair counts stay small)
    s_ok = {a for a, c in cs.items() if min_count <= c <= limit}
    t_ok = {b for b, c in ct.items() if min_count <= c <= limit}
    cst: Counter[tuple[str, str]] = Counter()
    for s, t in sides:
        ss, tt = s & s_ok, t & t_ok
        cst.update((a, b) for a in ss for b in tt)
    src: dict[str, np.ndarray] = {}
    tgt: dict[str, np.ndarray] = {}
    entries = 0
    for (a, b), c in cst.items():
        if c < min_count:
            continue
        dice = 2.0 * c / (cs[a] + ct[b])
        if dice < min_dice:
            continue
        d = dice * _direction(a, b, dim)
        src[a] = src[a] + d if a in src else d
        tgt[b] = tgt[b] + d if b in tgt else d
        entries += 1
    if not entries:
        return None
    return Lexicon(src, tgt, dim, entries)


def augment(vecs: np.ndarray, lexical: np.ndarray, weight: float) -> np.ndarray:
    """``[√(1−w)·vecs, √w·lexical]`` of unit ``vecs``, rescaled to unit length, float32.

    For two lines with lexical vectors the dot product is (1−w)·cos + w·lexical
    cos; a line without one (an all-zero row) keeps its vector as it was.

    Raises:
        ValueError: ``weight`` outside [0, 1).
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"lexicon weight must be in [0, 1), not {weight}")
    n, d = vecs.shape
    out = np.empty((n, d + lexical.shape[1]), dtype=np.float32)
    out[:, :d] = vecs
    out[:, :d] *= np.float32(np.sqrt(1.0 - weight))
    out[:, d:] = lexical
    out[:, d:] *= np.float32(np.sqrt(weight))
    unit_rows(out)
    return out


class Lexical:
    """An embedder whose vectors carry a lexicon's dimensions too (for exact spans, pieces).

    ``before`` maps the inner vectors first (the document's target→source map).
    """

    def __init__(
        self,
        inner: Embedder,
        lexicon: Lexicon,
        side: str,
        weight: float,
        before: Callable[[np.ndarray], np.ndarray] | None = None,
    ):
        self.inner, self.lexicon, self.side, self.weight, self.before = (
            inner,
            lexicon,
            side,
            weight,
            before,
        )
        self.name = f"{inner.name}+lexicon"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = _normalize(self.inner.encode(list(texts)))
        if self.before is not None:
            vecs = self.before(vecs)
        return augment(vecs, self.lexicon.vectors(texts, self.side), self.weight)
