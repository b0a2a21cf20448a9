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
from align.aligner.embed import HashEmbedder, unit_rows


def test_stems_are_casefolded_letter_runs_cut_to_five():
    assert lexicon.stems("Yanğınlar YANĞINDA 2020-ci ildə oldu.") == {"yanği", "ildə", "oldu"}
    # Turkic capitals: dotted İ and dotless I fold like their small letters
    assert lexicon.stems("İLDƏ ildə") == {"ildə"}
    assert lexicon.stems("ILDIZ ıldız") == {"ildiz"}
    # NFD input gives the stems of its NFC form
    assert lexicon.stems("yang\u0306in") == lexicon.stems("yanğin") == {"yanği"}
    # combining marks belong to the word: Devanagari vowel signs, Arabic harakat
    assert lexicon.stems("हिन्दी भाषा में लिखा है") == {"हिन्दी"[:5], "भाषा", "में", "लिखा"}
    assert lexicon.stems("كَتَبَ الوَلَدُ") == {"كَتَبَ"[:5], "الوَلَدُ"[:5]}
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
@given(unit, unit, unit, unit, st.floats(0.0, 0.99), st.booleans())
def test_augmented_vectors_are_unit_and_mix_the_two_cosines(u, v, p, q, w, zero):
    u, v, p, q = (x / np.linalg.norm(x) for x in (u, v, p, q))
    if zero:  # a line with no known stem has an all-zero lexical part
        q = np.zeros_like(q)
    a = lexicon.augment(u[None].astype(np.float32), p[None].astype(np.float32), w)
    b = lexicon.augment(v[None].astype(np.float32), q[None].astype(np.float32), w)
    assert a.dtype == np.float32 and a.shape == (1, 16)
    assert float(np.linalg.norm(b[0])) == pytest.approx(1.0, abs=1e-5)
    if zero:  # the stemless line keeps its own vector; only √(1−w) of the cosine counts
        assert np.allclose(b[0, :8], v, atol=1e-5)
        assert float(a[0] @ b[0]) == pytest.approx(np.sqrt(1 - w) * u @ v, abs=1e-5)
    else:
        assert float(a[0] @ b[0]) == pytest.approx((1 - w) * u @ v + w * p @ q, abs=1e-5)


def test_augment_refuses_a_weight_outside_zero_to_one():
    vecs = np.eye(2, dtype=np.float32)
    with pytest.raises(ValueError, match="lexicon weight"):
        lexicon.augment(vecs, vecs, 1.0)


def test_lexical_embedder_appends_the_lexicon_dimensions():
    rng = np.random.default_rng(5)
    _, src, tgt = _pairs(120, rng)
    lex = lexicon.learn(src, tgt, [(k, k) for k in range(120)])
    assert lex is not None
    inner = HashEmbedder(dim=32)
    emb = lexicon.Lexical(inner, lex, "tgt", 0.3)
    texts = [*tgt[:3], "nothing known"]
    vecs = emb.encode(texts)
    assert vecs.shape == (4, 32 + lex.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # exact spans are embedded as the single lines were augmented
    same = lexicon.augment(inner.encode(texts), lex.vectors(texts, "tgt"), 0.3)
    assert np.allclose(vecs, same, atol=1e-6)
    assert emb.name.startswith(inner.name)


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
        w = replace(Weights(), lexicon_weight=lex)
        beads = align_vectors(src, tgt, sv, tv, None, thin=thin, weights=w)
        return len({(b.src, b.tgt) for b in beads} - gold)

    before, after = wrong(0.0), wrong(0.3)
    assert before >= 10  # the vectors alone get this pair wrong often
    assert after <= before / 4
    # a pair of covered languages is aligned once, lexicon or not
    assert wrong(0.0, thin=False) == wrong(0.3, thin=False)


def _cipher_texts(seed: int):
    """English-like lines, and the 'translation' with every word reversed (5 % nulls, 2-1s)."""
    rng = np.random.default_rng(seed)
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 7)) for _ in range(300)]
    src: list[str] = []
    tgt: list[str] = []
    gold: set = set()
    for k in range(200):
        ws = rng.choice(300, size=int(rng.integers(4, 12)), replace=False)
        s = " ".join(words[i] for i in ws) + f" {k}."
        t = " ".join(words[i][::-1] for i in ws) + f" {k}."
        roll = rng.random()
        if roll < 0.05:
            src.append(s)
            gold.add(((len(src) - 1,), ()))
        elif roll < 0.10:
            tgt.append(t)
            gold.add(((), (len(tgt) - 1,)))
        elif roll < 0.18 and tgt:  # this source line's translation joins the last target line
            (last,) = [g for g in gold if g[1] and g[1][-1] == len(tgt) - 1]
            tgt[-1] += " " + t
            src.append(s)
            gold.discard(last)
            gold.add(((*last[0], len(src) - 1), last[1]))
        else:
            src.append(s)
            tgt.append(t)
            gold.add(((len(src) - 1,), (len(tgt) - 1,)))
    return src, tgt, gold


@pytest.mark.parametrize("seed", [0, 1])
def test_align_learns_the_lexicon_of_an_uncovered_pair_end_to_end(seed):
    """Through ``align``: an embedder that cannot see the cipher, exact spans and pieces included."""
    from align.aligner import align

    src, tgt, gold = _cipher_texts(seed)

    def run(lw: float) -> tuple[int, int]:
        emb = HashEmbedder(dim=64)
        w = replace(Weights(), lexicon_weight=lw)
        beads = align(src, tgt, "en", "az", embedder=emb, weights=w)
        return len({(b.src, b.tgt) for b in beads} - gold), emb.calls

    (before, calls_once), (after, calls_twice) = run(0.0), run(0.3)
    assert before >= 40 and after <= 8
    assert calls_twice > calls_once  # the second pass embedded its own exact spans


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    block=st.integers(1, 8),
    zero=st.lists(st.integers(0, 29), max_size=5),
    seed=st.integers(0, 2**16),
)
def test_rows_made_unit_in_blocks_equal_the_whole_array_at_once(n, block, zero, seed):
    rng = np.random.default_rng(seed)
    vecs = rng.standard_normal((n, 6)).astype(np.float32) * rng.uniform(0.1, 9.0, (n, 1))
    vecs[[z for z in zero if z < n]] = 0.0
    want = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), np.float32(1e-9))
    unit_rows(vecs, block=block)
    assert np.array_equal(vecs, want)  # row by row, so bit for bit
    assert not vecs[[z for z in zero if z < n]].any()  # no stem: still all zero
