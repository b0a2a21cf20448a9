"""Respelling an uncovered language as its covered relative before embedding."""

from __future__ import annotations

import unicodedata
from importlib import resources

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from align.aligner import HashEmbedder, align, languages, respell

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

UK = [
    "Завтра погода буде холодною і дощовою.",
    "Президент зустрівся з міністром закордонних справ у столиці.",
    "У новій лікарні є триста ліжок.",
    "Діти вивчають математику в школі.",
    "Потяг до Баку відправляється о восьмій ранку.",
    "Вчені виявили в озері новий вид риби.",
    "Музей зачинений по понеділках.",
    "Минулого місяця ціни на хліб і молоко зросли.",
    "Футбольна команда знову виграла чемпіонат.",
    "Фермери цього року очікують на добрий урожай.",
    "Старий міст відремонтували після повені.",
    "Влітку багато туристів відвідують гори.",
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
    az = respell.respelling("az-Latn")
    assert az.relative == "tr"
    assert "Azərbaycan Qazax Xəzər".translate(az.letters) == "Azerbaycan Kazah Hezer"
    assert "ƏLİ".translate(az.letters) == "ELİ", "upper case follows lower case"
    uk = respell.respelling("uk")
    assert uk.relative == "ru"
    assert "Київ Ґанок Європа".translate(uk.letters) == "Киив Ганок Европа"
    assert respell.respelling("tr") is None, "covered languages are embedded as written"
    assert respell.respelling("ka") is None, "no relative known: as written"


def test_words_become_the_relatives_words_whole_and_in_their_case():
    uk = respell.respelling("uk")
    assert uk("Він був там, але вона — ні.") == "Он был там, но она — нет."
    assert uk("ВІН") == "ОН" and uk("Але") == "Но", "upper and title case kept"
    assert uk("Вінниця") == "Винниця", "a word inside a longer word is only respelt by letter"
    assert uk("з'явився, зʼявився, будь-який") == "з'явився, зʼявився, будь-який", (
        "apostrophe, hyphen"
    )
    assert uk("и\u0306ого") == "его", "decomposed й (NFD) is read as й"
    az = respell.respelling("az")
    assert az("İl ərzində Bakı ilə Gəncə") == "Yıl erzinde Bakı ile Gence", "dotted İ folds to i"
    assert az("Üçün İLƏ") == "İçin İLE", "Turkish capitals: i is İ"
    assert az("çay və ya su, və\nya") == "çay veya su, veya", "a fixed phrase is one entry"


def test_word_tables_are_well_formed():
    for lang in respell.LETTERS:
        path = resources.files("align") / "data" / "respell" / f"{lang}.tsv"
        rows = [
            line.split("\t")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        keys = [k for k, _ in rows]
        assert len(rows) > 40, lang
        assert all(k == k.lower() and k == k.strip() for k in keys), "keys written lower case"
        assert len(set(keys)) == len(keys), "no word given twice"
        assert all(k != v for k, v in rows), "no entry that changes nothing"
        assert respell.word_table(lang) == {k: v for k, v in rows}


@given(
    st.sampled_from(sorted(respell.LETTERS)),
    st.text(alphabet=st.characters(blacklist_categories=("L",)), max_size=40),
)
def test_text_without_letters_is_unchanged(lang, text):
    """Nothing to respell: the text comes back as written (in NFC, which the encoder sees)."""
    assert respell.respelling(lang)(text) == unicodedata.normalize("NFC", text)


@given(st.sampled_from(sorted(respell.LETTERS)), st.text(max_size=60))
def test_letter_table_changes_only_its_letters(lang, text):
    letters = respell.LETTERS[lang][1]
    changed = {c.lower() for c in letters} | {c.upper() for c in letters}
    out = text.translate(respell.respelling(lang).letters)
    assert len(out) == len(text)
    assert all(a == b or a in changed for a, b in zip(text, out, strict=True))


def test_respelt_azerbaijani_finds_its_english_pairs_better(use):
    """Hand-written en–az pairs: as Turkish spelling, more lines find their translation."""
    az_as_tr = respell.respelling("az")
    en = use.encode(EN)
    hits, margins = [], []
    for az in (AZ, [az_as_tr(t) for t in AZ]):
        sims = en @ use.encode(az).T
        off = np.where(np.eye(len(EN), dtype=bool), -1.0, sims).max(axis=1)
        hits.append(int((sims.argmax(axis=1) == np.arange(len(EN))).sum()))
        margins.append(float((np.diag(sims) - off).mean()))
    assert hits[1] > hits[0] and hits[1] >= 11
    assert margins[1] > margins[0] + 0.05


def test_respelt_ukrainian_words_bring_pairs_closer(use):
    """Hand-written en–uk pairs: letters lift the pair cosines, the word table lifts them more."""
    uk_as_ru = respell.respelling("uk")
    en = use.encode(EN)
    variants = (UK, [t.translate(uk_as_ru.letters) for t in UK], [uk_as_ru(t) for t in UK])
    pair_cos = [float(np.diag(en @ use.encode(v).T).mean()) for v in variants]
    assert pair_cos[0] + 0.03 < pair_cos[1] < pair_cos[2] - 0.02, pair_cos


def test_only_the_embedder_sees_the_respelling():
    rec = Recorder()
    en = ["The old bridge was built in 1926.", "It carries many cars.", "It is closed now."]
    az = ["Köhnə körpü 1926-cı ildə tikilib.", "Ondan çoxlu maşın keçir.", "İndi bağlıdır."]
    beads = align(en, az, "en", "az", embedder=rec, max_bead=3)
    assert rec.seen, "something was embedded"
    assert not any(c in s for s in rec.seen for c in "əƏqQxX"), "spans and pieces included"
    assert "Köhne körpü 1926-cı yılında tikilib." in rec.seen, (
        "the line, respelt: words, then letters"
    )
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
