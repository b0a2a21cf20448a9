"""Hand-made documents through the real USE-m3 model: nulls, merges, anchors, cache."""

from __future__ import annotations

import numpy as np
import pytest

from align.aligner import CachedEmbedder, HashEmbedder, align
from align.aligner import anchors as anc
from align.aligner.dp import Band, bead_types, search
from align.aligner.length import LengthModel, estimate

EN = [
    "The museum opens at 10 a.m. on weekdays.",  # 0
    "Tickets cost 15 euros for adults.",  # 1
    "Share this page on Facebook",  # 2 debris
    "Children under twelve enter for free.",  # 3
    "The new wing was designed by Renzo Piano.",  # 4
    "It houses the modern art collection.",  # 5  -> merged with 4 in ru
    "Photography is not allowed in the galleries.",  # 6
    "The café on the roof serves lunch until 3 p.m.",  # 7
    "Guided tours start every hour.",  # 8
]
RU = [
    "Музей открывается в 10 утра по будним дням.",  # 0
    "Билет для взрослых стоит 15 евро.",  # 1
    "Дети до двенадцати лет проходят бесплатно.",  # 2
    "Новое крыло, спроектированное Ренцо Пьяно, вмещает коллекцию современного искусства.",  # 3
    "Фотографировать в залах запрещено.",  # 4
    "Кафе на крыше подаёт обеды до 15:00.",  # 5
    "Меню меняется каждую неделю.",  # 6 (addition on the ru side)
    "Экскурсии с гидом начинаются каждый час.",  # 7
]


def _pairs(beads):
    return [(b.src, b.tgt) for b in beads]


def test_nulls_and_merges_on_a_hand_made_document(use):
    beads = align(EN, RU, "en", "ru", embedder=use)
    got = _pairs(beads)
    assert ((2,), ()) in got, "share-button debris is left unmatched"
    assert ((4, 5), (3,)) in got, "two English sentences merged into one Russian"
    assert ((0,), (0,)) in got and ((8,), (7,)) in got
    assert ((), (6,)) in got, "a sentence only the Russian version has"
    by_pair = {(b.src, b.tgt): b for b in beads}
    assert by_pair[((2,), ())].score > 0.9, "debris unlike everything nearby: a sure null"
    assert not by_pair[((0,), (0,))].review
    assert by_pair[((0,), (0,))].score > 0.7


def test_one_to_two_split(use):
    en = ["The storm closed the airport. Flights resumed on Monday.", "Nobody was hurt."]
    ru = ["Шторм закрыл аэропорт.", "Полёты возобновились в понедельник.", "Никто не пострадал."]
    assert _pairs(align(en, ru, "en", "ru", embedder=use)) == [((0,), (0, 1)), ((1,), (2,))]


def test_short_lines_kept_as_pairs(use):
    en = ["Yes.", "Why?", "Because the law changed in 2019.", "Thank you."]
    ru = ["Да.", "Почему?", "Потому что в 2019 году изменился закон.", "Спасибо."]
    assert _pairs(align(en, ru, "en", "ru", embedder=use)) == [((i,), (i,)) for i in range(4)]


def test_second_run_embeds_nothing(tmp_path):
    inner = HashEmbedder()
    first = CachedEmbedder(inner, tmp_path)
    align(EN, RU, "en", "ru", embedder=first)
    assert first.computed >= len(EN) + len(RU)
    first.close()
    calls = inner.calls
    second = CachedEmbedder(inner, tmp_path)  # new process: only the disk cache is shared
    beads = align(EN, RU, "en", "ru", embedder=second)
    assert second.computed == 0 and inner.calls == calls
    assert _pairs(beads) == _pairs(align(EN, RU, "en", "ru", embedder=first))


def test_cache_is_keyed_by_model_and_text(tmp_path):
    a = CachedEmbedder(HashEmbedder(), tmp_path)
    a.encode(["one", "two", "one"])
    assert a.computed == 2
    other = HashEmbedder()
    other.name = "another-model"
    b = CachedEmbedder(other, tmp_path)
    b.encode(["one"])
    assert b.computed == 1


def test_one_line_against_five_thousand_finishes():
    src = ["The only sentence here mentions 1984 and Orwell."]
    tgt = [f"Line {k} of an unrelated long file about weather." for k in range(5000)]
    beads = align(src, tgt, "en", "ru", embedder=HashEmbedder())
    assert sum(len(b.tgt) for b in beads) == 5000
    assert sum(len(b.src) for b in beads) == 1
    assert sum(1 for b in beads if not b.src) >= 4997


def test_band_search_matches_full_search_near_the_diagonal():
    rng = np.random.default_rng(0)
    n = m = 40
    sim = rng.random((n, m))
    np.fill_diagonal(sim, 2.0)

    def cost(a, b, i0s, j0s):
        return -sim[i0s, j0s] * (a == b == 1) + (a + b - 2) * 1.0

    nulls = np.full(n, 0.5)
    types = bead_types(2)
    full = search(n, m, types, Band.full(n, m), cost, nulls, nulls)
    band = Band.around([(i, i) for i in range(n + 1)], n, m, 3)
    assert band.cells < (n + 1) * (m + 1) / 3
    assert search(n, m, types, band, cost, nulls, nulls) == full
    assert [(t, i, j) for t, i, j in full] == [((1, 1), i, i) for i in range(n)]


def test_anchors_numbers_names_and_terms():
    en = anc.extract(["Obama visited Washington in 2009.", "No numbers here."], [["solar panel"]])
    ru = anc.extract(
        ["Обама посетил Вашингтон в 2009 году.", "Солнечные панели дешевеют."],
        [["солнечная панель"]],
    )
    both = anc.score(en.span(np.array([0]), 1), ru.span(np.array([0]), 1))[0]
    crossed = anc.score(en.span(np.array([0]), 1), ru.span(np.array([1]), 1))[0]
    assert both > 0.8 > crossed
    assert anc.name_key("Washington") == anc.name_key("Вашингтон")
    assert anc.numbers("1 500,5 and 1,500.5") == ["15005", "15005"]
    assert int(ru.terms[1]) != 0 and int(ru.terms[0]) == 0


def test_length_model_prefers_the_estimated_ratio():
    model = estimate([100] * 30, [130] * 30, [(k, k) for k in range(30)])
    assert model.ratio == pytest.approx(1.3)
    near, far = model.logprob(np.array([100.0, 100.0]), np.array([130.0, 60.0]))
    assert near > far
    assert LengthModel().logprob(0.0, 0.0) == pytest.approx(0.0)


def test_glossary_pairs_are_requested_for_the_language_pair():
    class FakeGlossary:
        def __init__(self) -> None:
            self.asked: list[tuple[str, str]] = []

        def pairs(self, src_lang, tgt_lang):
            self.asked.append((src_lang, tgt_lang))
            return [(["museum"], ["музей"])]

    g = FakeGlossary()
    beads = align(EN[:2], EN[:2], "en", "ru", embedder=HashEmbedder(), glossary=g)
    assert g.asked == [("en", "ru")]
    assert _pairs(beads) == [((0,), (0,)), ((1,), (1,))]
