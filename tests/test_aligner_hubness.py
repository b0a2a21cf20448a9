"""Hubness-corrected cosines (CSLS-style) and the 2-2 split penalty of the aligner core."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner import align
from align.aligner import anchors as anc
from align.aligner.core import Scorer, Weights, _set_hubness, _Side
from align.aligner.length import LengthModel

EN = [
    "The farm lies in a green valley north of the city.",  # 0
    "Its owners keep about two hundred goats.",  # 1
    "The animals spend every summer in the high pastures.",  # 2
    "The shepherds stay with them day and night.",  # 3
    "Share this article on Facebook",  # 4  page debris, not in the Ukrainian version
    "In winter the goats return to the barns near the house.",  # 5
    "The milk is collected twice a day.",  # 6 ┐ one Ukrainian sentence
    "Most of it goes into a soft white cheese.",  # 7 ┘
    "The cheese is sold at the Saturday market.",  # 8
    "Visitors can taste it in the farm shop.",  # 9
    "The shop is open from May to October.",  # 10
    "School groups are welcome by appointment.",  # 11
]
UK = [
    "Ферма розташована в зеленій долині на північ від міста.",  # 0
    "Її власники тримають близько двохсот кіз.",  # 1
    "Кожного літа тварини проводять на високогірних пасовищах.",  # 2
    "Пастухи залишаються з ними вдень і вночі.",  # 3
    "Взимку кози повертаються до хліва біля будинку.",  # 4
    "Молоко збирають двічі на день, і більша його частина йде на м'який білий сир.",  # 5
    "Сир продають на суботньому ринку.",  # 6
    "Підписуйтеся на нашу розсилку.",  # 7  only in Ukrainian
    "Скуштувати його можна в магазині при фермі.",  # 8
    "Магазин працює з травня по жовтень.",  # 9
    "Шкільні групи приймаються за попереднім записом.",  # 10
]
GOLD = [
    ((0,), (0,)),
    ((1,), (1,)),
    ((2,), (2,)),
    ((3,), (3,)),
    ((4,), ()),
    ((5,), (4,)),
    ((6, 7), (5,)),
    ((8,), (6,)),
    ((), (7,)),
    ((9,), (8,)),
    ((10,), (9,)),
    ((11,), (10,)),
]


def test_ukrainian_document_with_a_merge_a_deletion_and_an_insertion(use):
    """Ukrainian is not among USE-m3's languages: weak vectors, still every bead right."""
    beads = align(EN, UK, "en", "uk", embedder=use)
    assert [(b.src, b.tgt) for b in beads] == GOLD


def _sides(src: np.ndarray, tgt: np.ndarray) -> tuple[_Side, _Side]:
    s = _Side([f"s{k} " * 10 for k in range(len(src))], src, anc.extract([""] * len(src)), 1)
    t = _Side([f"t{k} " * 10 for k in range(len(tgt))], tgt, anc.extract([""] * len(tgt)), 1)
    return s, t


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _document(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = _unit(rng.normal(size=(n, 64)))
    tgt = _unit(src + noise * rng.normal(size=(n, 64)) / 8)
    return src, tgt


def test_a_line_close_to_everything_is_lowered_and_the_scale_kept():
    src, tgt = _document(40, 1.0, 0)
    src[20] = _unit(tgt[19:22].sum(axis=0, keepdims=True))[0]  # a hub: near three target lines
    s, t = _sides(src, tgt)
    cells = [(k, k) for k in range(41)]
    _set_hubness(s, t, cells, cells[:-1], Weights())
    assert s.hub[20] == s.hub.max() > 0
    assert abs(float(np.median(np.concatenate([s.hub, t.hub])))) < 0.05
    raw = float(src[20] @ tgt[20])
    at = np.array([20])
    rows, col = np.arange(40), np.full(40, 20)  # every source line against one target line
    drop = src @ tgt[20] - Scorer(s, t, LengthModel(), Weights(), cells).sims(1, 1, rows, col)
    assert drop[20] > 0 and drop.argmax() == 20, "the hub's cosines are lowered most"
    off_s, off_t = _sides(src, tgt)
    _set_hubness(off_s, off_t, cells, cells[:-1], Weights(hub=0.0))
    plain = Scorer(off_s, off_t, LengthModel(), Weights(hub=0.0), cells).sims(1, 1, at, at)[0]
    assert plain == pytest.approx(raw, abs=1e-6), "hub=0 leaves raw cosines"


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_anti_hubs_are_raised_fully_only_where_pairs_separate_poorly(seed):
    """Lonely lines get the whole CSLS lift in weak documents, half of it in clear ones."""
    ratios = []
    for noise in (1.0, 40.0):  # well separated, then barely
        src, tgt = _document(60, noise, seed)
        s, t = _sides(src, tgt)
        cells = [(k, k) for k in range(61)]
        _set_hubness(s, t, cells, cells[:-1], Weights())
        full = _Side(s.lines, src, s.marks, 1)
        _set_hubness(
            full,
            _Side(t.lines, tgt, t.marks, 1),
            cells,
            cells[:-1],
            Weights(anti_hub_gap=(9.0, 10.0)),
        )
        neg = full.hub < 0
        assert neg.any() and not s.hub_pos[neg].any(), "null evidence never uses the lift"
        ratios.append(float(np.median(s.hub[neg] / full.hub[neg])))
    assert ratios[0] == pytest.approx(0.5)
    assert ratios[1] == pytest.approx(1.0)


def test_a_two_two_whose_lines_pair_off_pays_the_split_penalty():
    src, tgt = _document(12, 1.0, 3)  # every line pairs with its own counterpart
    cells = [(k, k) for k in range(13)]
    at = np.array([4])
    pens = []
    for split in (0.0, 0.5):
        s, t = _sides(src, tgt)
        s.spans, t.spans = (
            _Side(s.lines, src, s.marks, 2).spans,
            _Side(t.lines, tgt, t.marks, 2).spans,
        )
        pens.append(
            Scorer(s, t, LengthModel(), Weights(split=split), cells)._members(2, 2, at, at)[0]
        )
    assert pens[1] > pens[0] + 0.5


def test_two_clear_pairs_are_two_one_to_one_beads_not_a_two_two(use):
    en = ["The museum opens at ten.", "Tickets cost fifteen euros.", "Children enter for free."]
    uk = [
        "Музей відкривається о десятій.",
        "Квитки коштують п'ятнадцять євро.",
        "Діти входять безкоштовно.",
    ]
    beads = align(en, uk, "en", "uk", embedder=use)
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(3)]


def _rotated(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Target vectors = a fixed rotation of the source plus noise: a weakly shared space."""
    rng = np.random.default_rng(seed)
    src = _unit(rng.normal(size=(n, 32)))
    q, _ = np.linalg.qr(rng.normal(size=(32, 32)))
    mix = 0.45 * src + 0.55 * (src @ q)  # half of the meaning lands in a rotated space
    return src, _unit(mix + noise * rng.normal(size=(n, 32)) / np.sqrt(32))


def test_document_map_is_learnt_only_where_pairs_separate_poorly():
    from align.aligner.core import _adaptation

    cells = [(k, k) for k in range(301)]
    weak_src, weak_tgt = _rotated(300, 0.9, 1)
    assert _adaptation(weak_src, weak_tgt, cells, cells[:-1], Weights()) is not None
    clear_src, clear_tgt = _document(300, 1.0, 1)
    assert _adaptation(clear_src, clear_tgt, cells, cells[:-1], Weights()) is None
    short = [(k, k) for k in range(41)]
    assert _adaptation(weak_src[:40], weak_tgt[:40], short, short[:-1], Weights()) is None
    assert _adaptation(weak_src, weak_tgt, cells, cells[:-1], Weights(adapt_ridge=0)) is None


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_document_map_brings_true_pairs_closer_than_their_neighbours(seed):
    from align.aligner.core import _adaptation

    src, tgt = _rotated(300, 0.9, seed)
    cells = [(k, k) for k in range(301)]
    adapt = _adaptation(src, tgt, cells, cells[:-1], Weights())
    assert adapt is not None
    mapped = adapt(tgt)
    assert np.allclose(np.linalg.norm(mapped, axis=1), 1.0, atol=1e-4)

    def hits(t: np.ndarray) -> int:
        sims = src @ t.T
        band = np.abs(np.arange(300)[:, None] - np.arange(300)[None, :]) <= 10
        return int((np.where(band, sims, -2).argmax(axis=1) == np.arange(300)).sum())

    assert hits(mapped) > hits(tgt) + 20
