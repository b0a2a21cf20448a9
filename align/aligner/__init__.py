"""Sentence alignment of two language versions of a document.

``align(src, tgt, "en", "ru")`` returns monotone beads (1-1, 1-2, 2-1, 2-2, 1-3,
3-1 and 1-0/0-1 nulls) that cover every line exactly once. Each bead's ``score``
is the calibrated probability that the bead is right (for a null: that the line
truly has no counterpart; see ``calibration``), and ``review`` marks beads a
translator should check (probability below the calibrated threshold, chosen so
that flagged beads hold ≥ 95 % of the wrong ones on the benchmark).
"""

from __future__ import annotations

from collections.abc import Sequence

from align.aligner import languages
from align.aligner.core import Weights, align_vectors, one_blas_thread
from align.aligner.embed import CachedEmbedder, Embedder, HashEmbedder, default_embedder
from align.aligner.languages import warn_uncovered
from align.model import Bead

__all__ = [
    "Bead",
    "CachedEmbedder",
    "HashEmbedder",
    "Weights",
    "align",
    "glossary_terms",
    "languages",
]


def glossary_terms(
    glossary, src_lang: str, tgt_lang: str
) -> tuple[list[list[str]], list[list[str]]]:
    """Split ``Glossary.pairs(src, tgt)`` into parallel per-term variant lists."""
    if glossary is None:
        return [], []
    pairs = glossary.pairs(src_lang, tgt_lang)
    return [list(s) for s, _ in pairs], [list(t) for _, t in pairs]


def align(
    src_segments: Sequence[str],
    tgt_segments: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    glossary=None,
    max_bead: int = 3,
    embedder: Embedder | None = None,
    weights: Weights | None = None,
    review_below: float | None = None,
    explain: list | None = None,
) -> list[Bead]:
    """Align two segment lists (one sentence each) and return beads in order.

    ``glossary`` is an ``align.glossary.Glossary`` (its term pairs become anchors);
    ``embedder`` defaults to the cached USE-m3 model; ``max_bead`` caps how many
    lines one side of a bead may hold (1 = only 1-1 and nulls).
    Languages select glossary pairs and say whether the encoder knows them: for
    one it was not trained on (``languages.covered``) a warning is printed once on
    stderr and confidences are lower. ``review_below`` overrides the calibrated
    review threshold (``calibration.load().review_below``); ``explain``, if a
    list, receives each bead's calibration features.
    """
    src = [str(s) for s in src_segments]
    tgt = [str(t) for t in tgt_segments]
    emb = embedder if embedder is not None else default_embedder()
    src_terms, tgt_terms = glossary_terms(glossary, src_lang, tgt_lang)
    thin = warn_uncovered(src_lang, tgt_lang)
    if not src or not tgt:
        return align_vectors(src, tgt, None, None, emb)  # type: ignore[arg-type]
    with one_blas_thread():
        vecs = emb.encode(src + tgt)
        return align_vectors(
            src,
            tgt,
            vecs[: len(src)],
            vecs[len(src) :],
            emb,
            max_bead=max_bead,
            weights=weights,
            src_terms=src_terms,
            tgt_terms=tgt_terms,
            review_below=review_below,
            thin=thin,
            explain=explain,
        )
