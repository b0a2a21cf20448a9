"""Invariants of the aligner on arbitrary input (cheap deterministic embedder)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.aligner import HashEmbedder, align
from align.aligner.dp import bead_types

_EMB = HashEmbedder()
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz АБВабвгд0123456789.,?!", max_size=60)
_LINES = st.lists(_WORDS, max_size=25)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip()]


def _check_cover(beads, src_lines: list[str], tgt_lines: list[str], max_bead: int) -> None:
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == _text_lines(src_lines), "every non-blank source line exactly once, in order"
    assert tgt == _text_lines(tgt_lines), "every non-blank target line exactly once, in order"
    allowed = set(bead_types(max_bead))
    src_rank = {i: k for k, i in enumerate(_text_lines(src_lines))}
    for b in beads:
        assert (len(b.src), len(b.tgt)) in allowed
        assert b.src or b.tgt
        ranks = [src_rank[i] for i in b.src]  # consecutive once blank lines are left out
        assert ranks == list(range(ranks[0], ranks[0] + len(ranks))) if ranks else True
        assert 0.0 <= b.score <= 1.0


@_SETTINGS
@given(_LINES, _LINES, st.integers(min_value=1, max_value=4))
def test_beads_are_monotone_and_cover_every_line_once(src, tgt, max_bead):
    beads = align(src, tgt, "en", "ru", embedder=_EMB, max_bead=max_bead)
    _check_cover(beads, src, tgt, max_bead)


@_SETTINGS
@given(st.lists(_WORDS, min_size=1, max_size=25))
def test_identical_inputs_align_one_to_one(lines):
    beads = align(lines, lines, "en", "en", embedder=_EMB)
    assert [(b.src, b.tgt) for b in beads] == [((i,), (i,)) for i in _text_lines(lines)]


@_SETTINGS
@given(_LINES)
def test_empty_side_gives_all_null_beads(lines):
    beads = align(lines, [], "en", "ru", embedder=_EMB)
    assert [(b.src, b.tgt) for b in beads] == [((i,), ()) for i in _text_lines(lines)]
    assert all(b.review for b in beads)
