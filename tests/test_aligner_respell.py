"""Respelling an uncovered language as its covered relative before embedding."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from align.aligner import HashEmbedder, align, languages

EN = [
    "The weather will be cold and rainy tomorrow.",
    "The president met the foreign minister in the capital.",
    "The new hospital has three hundred beds.",
    "Children learn mathematics at school.",
    "The train to Baku leaves at eight in the morning.",
    "Scientists discovered a new species of fish in the lake.",
    "The museum is closed on Mondays.",
    "Prices for bread and milk rose last month.",
    "The football team won the championship again.",
    "Farmers expect a good harvest this year.",
    "The old bridge was repaired after the flood.",
    "Many tourists visit the mountains in summer.",
]
AZ = [
    "Sabah hava soyuq və yağışlı olacaq.",
    "Prezident paytaxtda xarici işlər naziri ilə görüşdü.",
    "Yeni xəstəxananın üç yüz çarpayısı var.",
    "Uşaqlar məktəbdə riyaziyyat öyrənirlər.",
    "Bakıya gedən qatar səhər saat səkkizdə yola düşür.",
    "Alimlər göldə yeni balıq növü kəşf etdilər.",
    "Muzey bazar ertəsi günləri bağlıdır.",
    "Keçən ay çörək və süd qiymətləri qalxdı.",
    "Futbol komandası yenidən çempionatı qazandı.",
    "Fermerlər bu il yaxşı məhsul gözləyirlər.",
    "Köhnə körpü daşqından sonra təmir edildi.",
    "Yayda çoxlu turist dağlara gəlir.",
]


class Recorder(HashEmbedder):
    """Remembers every string it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return super().encode(texts)


def test_tables_cover_the_letters_the_relative_lacks():
    relative, table = languages.respelling("az-Latn")
    assert relative == "tr"
    assert "Azərbaycan Qazax Xəzər".translate(table) == "Azerbaycan Kazah Hezer"
    assert "ƏLİ".translate(table) == "ELİ", "upper case follows lower case"
    relative, table = languages.respelling("uk")
    assert relative == "ru"
    assert "Київ Ґанок Європа".translate(table) == "Киив Ганок Европа"
    assert languages.respelling("tr") is None, "covered languages are embedded as written"
    assert languages.respelling("ka") is None, "no relative known: as written"


@given(st.sampled_from(sorted(languages.RESPELL)), st.text(max_size=60))
def test_respelling_changes_only_the_tables_letters(lang, text):
    letters = languages.RESPELL[lang][1]
    changed = {c.lower() for c in letters} | {c.upper() for c in letters}
    out = text.translate(languages.respelling(lang)[1])
    assert len(out) == len(text)
    assert all(a == b or a in changed for a, b in zip(text, out, strict=True))


def test_respelt_azerbaijani_finds_its_english_pairs_better(use):
    """Hand-written en–az pairs: as Turkish spelling, more lines find their translation."""
    table = languages.respelling("az")[1]
    en = use.encode(EN)
    hits, margins = [], []
    for az in (AZ, [t.translate(table) for t in AZ]):
        sims = en @ use.encode(az).T
        off = np.where(np.eye(len(EN), dtype=bool), -1.0, sims).max(axis=1)
        hits.append(int((sims.argmax(axis=1) == np.arange(len(EN))).sum()))
        margins.append(float((np.diag(sims) - off).mean()))
    assert hits[1] > hits[0] and hits[1] >= 11
    assert margins[1] > margins[0] + 0.05


def test_only_the_embedder_sees_the_respelling():
    rec = Recorder()
    en = ["The old bridge was built in 1926.", "It carries many cars.", "It is closed now."]
    az = ["Köhnə körpü 1926-cı ildə tikilib.", "Ondan çoxlu maşın keçir.", "İndi bağlıdır."]
    beads = align(en, az, "en", "az", embedder=rec, max_bead=3)
    assert rec.seen, "something was embedded"
    assert not any(c in s for s in rec.seen for c in "əƏqQxX"), "spans and pieces included"
    assert "Köhne körpü 1926-cı ilde tikilib." in rec.seen, "the line, respelt"
    assert sorted(i for b in beads for i in b.tgt) == [0, 1, 2], "beads index the original lines"
    rec.seen.clear()
    tr = ["Eski köprü 1926'da inşa edildi.", "Çok araba geçer.", "Şimdi kapalı."]
    align(en, tr, "en", "tr", embedder=rec)
    assert set(tr) <= set(rec.seen), "a covered language is embedded as written"


def test_warning_names_the_relative(capsys, monkeypatch):
    monkeypatch.setattr(languages, "_warned", set())
    languages.warn_uncovered("en", "uk", "ka")
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert "'uk'" in err[0] and "respelt as 'ru'" in err[0]
    assert "'ka'" in err[1] and "respelt" not in err[1]
