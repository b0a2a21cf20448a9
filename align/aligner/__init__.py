"""Sentence alignment of two language versions of a document.

``align(src, tgt, "en", "ru")`` returns monotone beads (1-1, 1-2, 2-1, 2-2, 1-3,
3-1 and 1-0/0-1 nulls) that cover every non-blank line exactly once (blank
lines are in no bead; indices still count them). Each bead's ``score`` is the
calibrated probability that the bead is right (for a null: that the line truly has
no counterpart; see ``calibration``), and ``review`` marks beads a translator should
check (probability below the calibrated threshold, chosen on the benchmark).

Stage 4. May import: ``align.text``, ``align.glossary`` (anchors) and the shared leaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from align.aligner import languages, respell
from align.aligner.core import Weights, align_vectors, one_blas_thread
from align.aligner.embed import (
    CachedEmbedder,
    Embedder,
    HashEmbedder,
    Respelled,
    default_embedder,
)
from align.aligner.languages import warn_uncovered
from align.aligner.respell import respelling
from align.model import Bead

__all__ = [
    "Bead",
    "CachedEmbedder",
    "HashEmbedder",
    "Weights",
    "align",
    "glossary_terms",
    "languages",
    "respell",
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

    Method: a banded dynamic programme over bead types, as in vecalign (Thompson &
    Koehn 2019) and Bertalign (Liu & Zhu 2022), scoring each candidate bead with the
    cosine of multilingual sentence embeddings (USE-m3: Yang et al. 2020), a
    character-length prior (Gale & Church 1993) and anchors (numbers, glossary pairs,
    transliterated names).

    Args:
        src_segments, tgt_segments: one sentence per item, in document order.
        src_lang, tgt_lang: BCP 47 codes; they select glossary pairs, and for a
            language the encoder was not trained on, the warning and the stricter
            review threshold, and a respelling as a covered relative's words and
            alphabet where one is known (``respell``; the model is multilingual).
        glossary: an ``align.glossary.Glossary`` whose term pairs become anchors.
        max_bead: most lines one side of a bead may hold (1: only 1-1 and nulls).
        embedder: defaults to the cached USE-m3 model (``$ALIGN_CACHE_DIR``).
        weights: the score's weights (``align.aligner.Weights``).
        review_below: overrides the calibrated review threshold
            (``calibration.load().review_below``); beads below it get ``review=True``.
        explain: if a list, receives each bead's calibration features.

    Returns:
        Monotone beads covering every line exactly once: ``Bead.src``/``tgt`` are
        0-based indices into the two lists, ``score`` the calibrated probability
        that the bead is right. For a language the encoder was not trained on
        (``languages.covered``) a warning is printed once on stderr.
        Empty input on either side gives only null beads.

    Raises:
        ValueError: ``max_bead`` below 1.
        InputError: the glossary has no column for a language.
    """
    src = [str(s) for s in src_segments]
    tgt = [str(t) for t in tgt_segments]
    # Blank lines are layout, not text: they are never aligned (not even as
    # nulls), and bead indices still refer to the caller's lines.
    src_keep = [i for i, s in enumerate(src) if s.strip()]
    tgt_keep = [j for j, t in enumerate(tgt) if t.strip()]
    beads = _align_text(
        [src[i].strip() for i in src_keep],
        [tgt[j].strip() for j in tgt_keep],
        src_lang,
        tgt_lang,
        glossary=glossary,
        max_bead=max_bead,
        embedder=embedder,
        weights=weights,
        review_below=review_below,
        explain=explain,
    )
    if len(src_keep) == len(src) and len(tgt_keep) == len(tgt):
        return beads
    return [
        replace(b, src=tuple(src_keep[i] for i in b.src), tgt=tuple(tgt_keep[j] for j in b.tgt))
        for b in beads
    ]


def _align_text(
    src: list[str],
    tgt: list[str],
    src_lang: str,
    tgt_lang: str,
    *,
    glossary,
    max_bead: int,
    embedder: Embedder | None,
    weights: Weights | None,
    review_below: float | None,
    explain: list | None,
) -> list[Bead]:
    emb = embedder if embedder is not None else default_embedder()
    src_terms, tgt_terms = glossary_terms(glossary, src_lang, tgt_lang)
    thin = warn_uncovered(src_lang, tgt_lang)
    if not src or not tgt:
        return align_vectors(src, tgt, None, None, emb)  # type: ignore[arg-type]
    src_emb, tgt_emb = _respelled(emb, src_lang), _respelled(emb, tgt_lang)
    with one_blas_thread():
        if src_emb is tgt_emb:
            vecs = emb.encode(src + tgt)
            src_vecs, tgt_vecs = vecs[: len(src)], vecs[len(src) :]
        else:
            src_vecs, tgt_vecs = src_emb.encode(src), tgt_emb.encode(tgt)
        return align_vectors(
            src,
            tgt,
            src_vecs,
            tgt_vecs,
            src_emb,
            tgt_embedder=tgt_emb,
            max_bead=max_bead,
            weights=weights,
            src_terms=src_terms,
            tgt_terms=tgt_terms,
            review_below=review_below,
            thin=thin,
            explain=explain,
        )


def _respelled(emb: Embedder, lang: str) -> Embedder:
    """``emb``, or ``emb`` behind the respelling of an uncovered ``lang`` (``respell``)."""
    respelt = respelling(lang)
    return emb if respelt is None else Respelled(emb, respelt)
