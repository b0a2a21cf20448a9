"""The hand-made reference data in seeds/ must fit what the pipeline produces.

If ingest or segmentation changes how the seed splits, the gold alignment goes
stale silently; these tests catch that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from align.aligner.beadio import read_vecalign

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EN_PAGE = SEEDS / "000_07d8ad3adaf52f90.txt"
RU_REF = SEEDS / "interview.ru.txt"
GOLD = SEEDS / "interview.en-ru.gold"


@pytest.fixture(scope="module")
def segmented():
    ingest = pytest.importorskip("align.text.ingest")
    segment = pytest.importorskip("align.text.segment")
    en = ingest.ingest_file(EN_PAGE, lang="en")
    ru = ingest.ingest_file(RU_REF, lang="ru")
    return en, ru, segment.segment_document(en), segment.segment_document(ru)


def test_same_paragraph_structure(segmented) -> None:
    en, ru, _, _ = segmented
    assert [p.kind for p in en.paragraphs] == [p.kind for p in ru.paragraphs]
    assert [p.turn for p in en.paragraphs] == [p.turn for p in ru.paragraphs]
    assert sum(p.kind == "question" for p in ru.paragraphs) == 4


def test_gold_covers_both_segmentations_in_order(segmented) -> None:
    _, _, en_segs, ru_segs = segmented
    gold = read_vecalign(GOLD)
    assert [i for b in gold for i in b.src] == list(range(len(en_segs)))
    assert [i for b in gold for i in b.tgt] == list(range(len(ru_segs)))


def test_gold_beads_stay_inside_paragraph_pairs(segmented) -> None:
    _, _, en_segs, ru_segs = segmented
    for bead in read_vecalign(GOLD):
        paragraphs = {en_segs[i].paragraph for i in bead.src}
        paragraphs |= {ru_segs[j].paragraph for j in bead.tgt}
        assert len(paragraphs) == 1, bead


def test_reference_is_not_a_sentence_crib() -> None:
    kinds = [b.kind for b in read_vecalign(GOLD)]
    assert sum(k != "1-1" for k in kinds) >= 3
    assert {"1-2", "2-1"} <= set(kinds)


def test_reference_uses_glossary_renderings() -> None:
    text = RU_REF.read_text(encoding="utf-8")
    for term in (
        "Ханкенди",
        "Восточном Зангезуре",
        "Карабах",
        "ОЭС",
        "«Вестник Кавказа»",
        "«Гражданский договор»",
        "Армянскую апостольскую церковь",
        "Гарегина II",
        "Движение неприсоединения",
        "Организации экономического сотрудничества",
    ):
        assert term in text, term
    for wrong in ("Степанакерт", "Зангазур", "Khankendi", "News about", "Photo:", "ТАСС"):
        assert wrong not in text, wrong
