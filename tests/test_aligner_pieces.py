"""Sentences inside a line as merge evidence (align.aligner.pieces)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.aligner import align
from align.aligner.core import Weights
from align.aligner.pieces import MAX_PIECES, Pieces, split


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        (
            "Она крошечная. В ней всего восемь номеров.",
            ["Она крошечная.", "В ней всего восемь номеров."],
        ),
        ("Mr. Smith went home.", ["Mr. Smith went home."]),  # an abbreviation, not a sentence
        ("U.S. troops left. Dr. No came later.", ["U.S. troops left.", "Dr. No came later."]),
        ("Wait... what happened next?", ["Wait... what happened next?"]),  # lower case goes on
        ("他昨天说了。我们走吧！", ["他昨天说了。", "我们走吧！"]),
        ("他说。我们走吧！", ["他说。我们走吧！"]),  # too short to stand alone
        ("One sentence only", ["One sentence only"]),
    ],
)
def test_split(line, pieces):
    assert split(line) == pieces


@given(
    st.lists(
        st.sampled_from(["Ab cd.", "Efgh ij!", "klm", "Nop qr?", " ", "s.", "Tuvwxyz."]),
        max_size=12,
    )
)
def test_split_keeps_every_character_but_spaces(parts):
    line = " ".join(parts)
    assert "".join(split(line)).replace(" ", "") == line.replace(" ", "")


def test_best_piece_ignores_padding_and_single_sentence_lines():
    rng = np.random.default_rng(0)
    vocab = {}

    def encode(texts):
        out = []
        for t in texts:
            v = vocab.setdefault(t, rng.standard_normal(8))
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)

    lines = ["First part here. Second part here.", "A single sentence"]
    pieces = Pieces.build(lines, 8, encode)
    assert pieces.row.tolist() == [0, -1] and pieces.vecs.shape == (1, MAX_PIECES, 8)
    probe = encode(["Second part here."])
    got = pieces.best(probe, np.array([0, 0]), np.array([0, 1]))
    assert got[0] == pytest.approx(1.0, abs=1e-5) and got[1] == -1.0
    # a probe unlike both pieces: the zero padding (cosine 0) must not win
    away = -(pieces.vecs[0, 0] + pieces.vecs[0, 1])[None, :]
    away /= np.linalg.norm(away)
    assert pieces.best(away, np.array([0]), np.array([0]))[0] < 0


EN = [
    "We stayed three nights at a family hotel in the old port.",
    "It is tiny.",  # ┐ one Russian line, two sentences
    "There are only eight rooms, and every one of them faces the sea.",  # ┘
    "Breakfast is served on the roof terrace until ten.",
    "The owners also rent out bicycles.",
    "Follow us on Twitter",  # page debris
    "The beach is a ten-minute walk away.",
    "We would gladly come back next summer.",
]
RU = [
    "Мы провели три ночи в семейной гостинице в старом порту.",
    "Она крошечная. В ней всего восемь номеров, и все они выходят окнами на море.",
    "Завтрак подают на террасе на крыше до десяти.",
    "Хозяева также сдают велосипеды напрокат.",
    "До пляжа десять минут пешком.",
    "Мы с удовольствием вернёмся следующим летом.",
]


def test_a_very_short_part_merged_is_surer_with_its_own_sentence_as_evidence(use):
    with_pieces = align(EN, RU, "en", "ru", embedder=use)
    got = [(b.src, b.tgt) for b in with_pieces]
    assert got == [
        ((0,), (0,)),
        ((1, 2), (1,)),
        ((3,), (2,)),
        ((4,), (3,)),
        ((5,), ()),
        ((6,), (4,)),
        ((7,), (5,)),
    ]
    without = align(EN, RU, "en", "ru", embedder=use, weights=Weights(pieces=False))
    assert (without[1].src, without[1].tgt) == ((1, 2), (1,)), "the same bead, compared"
    assert with_pieces[1].score > without[1].score, "the short part's own sentence is evidence"
