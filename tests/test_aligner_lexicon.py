"""The document pair's own lexicon (align.aligner.lexicon) and the second pass that uses it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from align.aligner import lexicon
from align.aligner.core import Weights, align_vectors
from align.aligner.embed import HashEmbedder


def test_stems_are_casefolded_letter_runs_cut_to_five():
    assert lexicon.stems("Yanğınlar YANĞINDA 2020-ci ildə oldu.") == {"yanği", "ildə", "oldu"}
    # Turkic capitals: dotted İ and dotless I fold like their small letters
    assert lexicon.stems("İLDƏ ildə") == {"ildə"}
    assert lexicon.stems("ILDIZ ıldız") == {"ildiz"}
    # NFD input gives the stems of its NFC form
    assert lexicon.stems("yang\u0306in") == lexicon.stems("yanğin") == {"yanği"}
    # digits, short words and punctuation give no stem
    assert lexicon.stems("В 2020 г. — ok") == set()
    assert lexicon.stems("Пожежі, пожежа") == {"пожеж"}


def _pairs(n: int, rng: np.random.Generator, vocab: int = 300):
    """Source lines of random words and target lines of the same words reversed (a cipher)."""
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 7)) for _ in range(vocab)]
    src, tgt = [], []
    for _ in range(n):
        ws = rng.choice(vocab, size=6, replace=False)
        src.append(" ".join(words[k] for k in ws))
        tgt.append(" ".join(words[k][::-1] for k in ws))
    return words, src, tgt


def test_learn_finds_the_cipher_and_skips_what_it_cannot_trust():
    rng = np.random.default_rng(3)
    _, src, tgt = _pairs(200, rng)
    # a function word on every line, and a pair of words seen together only once
    src = [s + " thez" for s in src] + ["onlyonce"]
    tgt = [t + " zeht" for t in tgt] + ["ecnoylno"]
    lex = lexicon.learn(src, tgt, [(k, k) for k in range(201)])
    assert lex is not None and lex.entries > 0
    assert "thez" not in lex.src and "zeht" not in lex.tgt  # in more than 20 % of the pairs
    assert "onlyo" not in lex.src  # seen in one pair only
    vs = lex.vectors(src[:50], "src")
    vt = lex.vectors(tgt[:50], "tgt")
    sims = vs @ vt.T
    # each line's lexical match is its own translation
    assert (np.argmax(sims, axis=1) == np.arange(50)).mean() >= 0.95
    assert np.allclose(np.linalg.norm(vs, axis=1), 1.0, atol=1e-5)
    assert not lex.vectors(["nothing known here"], "src").any()


def test_learn_needs_enough_pairs():
    rng = np.random.default_rng(4)
    _, src, tgt = _pairs(30, rng)
    assert lexicon.learn(src, tgt, [(k, k) for k in range(30)]) is None
    assert lexicon.learn(src, tgt, [(k, k) for k in range(30)], min_pairs=10) is not None


unit = arrays(np.float64, 8, elements=st.floats(-1, 1)).filter(lambda v: np.linalg.norm(v) > 0.1)


@settings(max_examples=60, deadline=None)
@given(unit, unit, unit, unit, st.floats(0.0, 1.0), st.booleans())
def test_augmented_dot_product_mixes_the_two_cosines(u, v, p, q, w, zero):
    u, v, p, q = (x / np.linalg.norm(x) for x in (u, v, p, q))
    if zero:  # a line with no known stem has an all-zero lexical part
        q = np.zeros_like(q)
    a = lexicon.augment(u[None].astype(np.float32), p[None].astype(np.float32), w)
    b = lexicon.augment(v[None].astype(np.float32), q[None].astype(np.float32), w)
    assert float(a[0] @ b[0]) == pytest.approx((1 - w) * u @ v + w * p @ q, abs=1e-5)


def test_lexical_embedder_appends_the_lexicon_dimensions():
    rng = np.random.default_rng(5)
    _, src, tgt = _pairs(120, rng)
    lex = lexicon.learn(src, tgt, [(k, k) for k in range(120)])
    assert lex is not None
    emb = lexicon.Lexical(HashEmbedder(dim=32), lex, "tgt", 0.3)
    vecs = emb.encode([*tgt[:3], "nothing known"])
    assert vecs.shape == (4, 32 + lex.dim)
    assert np.allclose(np.linalg.norm(vecs[:3], axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(vecs[3]) == pytest.approx(np.sqrt(0.7), abs=1e-5)


def _weak_pair(seed: int, n: int = 240, noise: float = 2.0):
    """A pair whose vectors barely separate neighbours, with words that do (5 % nulls per side)."""
    rng = np.random.default_rng(seed)
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 7)) for _ in range(400)]
    src, tgt, sv, tv, gold = [], [], [], [], set()
    topic = rng.standard_normal(64)
    for k in range(n):
        ws = rng.choice(400, size=6, replace=False)
        g = rng.standard_normal(64) + 1.5 * topic
        if k % 5 == 0:
            topic = rng.standard_normal(64)
        roll = rng.random()
        if roll >= 0.05:
            tgt.append(" ".join(words[i][::-1] for i in ws))
            tv.append(g + noise * rng.standard_normal(64))
        if roll < 0.05 or roll >= 0.10:
            src.append(" ".join(words[i] for i in ws))
            sv.append(g + noise * rng.standard_normal(64))
        s = (len(src) - 1,) if roll < 0.05 or roll >= 0.10 else ()
        t = (len(tgt) - 1,) if roll >= 0.05 else ()
        gold.add((s, t))

    def norm(a):
        return (np.array(a) / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)

    return src, tgt, norm(sv), norm(tv), gold


@pytest.mark.parametrize("seed", [0, 1])
def test_second_pass_mends_a_thin_pair(seed):
    src, tgt, sv, tv, gold = _weak_pair(seed)

    def wrong(lex: float, thin: bool = True) -> int:
        w = replace(Weights(), lexicon=lex)
        beads = align_vectors(src, tgt, sv, tv, None, thin=thin, weights=w)
        return len({(b.src, b.tgt) for b in beads} - gold)

    before, after = wrong(0.0), wrong(0.3)
    assert before >= 10  # the vectors alone get this pair wrong often
    assert after <= before / 4
    # a pair of covered languages is aligned once, lexicon or not
    assert wrong(0.0, thin=False) == wrong(0.3, thin=False)
