"""Per-language morphology behind one small interface.

A matcher asks two questions of a language: "are these words an inflected form
of this glossary phrase, and in which grammatical forms?" (``match``) and
"render this phrase in the form those words have" (``inflect``). Russian answers
with pymorphy3 paradigms; every other language falls back to normalised exact
matching (plus optional suffixes for agglutinative languages), so adding a
language means registering one object, not touching the matcher.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from align.glossary.text import fold, is_cyrillic, restore_case, separators, words
from align.langtags import primary_language

Form = tuple[str, str]  # (case, number), OpenCorpora grammemes
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NUMBERS = ("sing", "plur")
ANY_FORM: frozenset[Form] = frozenset((c, n) for n in NUMBERS for c in CASES)
# When several forms fit the replaced words, the first listed here is used.
FORM_PRIORITY: tuple[Form, ...] = tuple((c, n) for n in NUMBERS for c in CASES)


class Morphology(Protocol):
    lang: str

    def lemmas(self, token: str) -> frozenset[str]:
        """Normalised dictionary forms the token may belong to."""
        ...

    def forms(self, phrase: str) -> list[frozenset[str]]:
        """For each word of ``phrase``, the normalised surface forms it can take."""
        ...

    def match(self, phrase: str, tokens: Sequence[str]) -> frozenset[Form] | None:
        """Grammatical forms in which ``tokens`` render ``phrase``; None if they don't."""
        ...

    def inflect(
        self,
        phrase: str,
        like: Sequence[str] = (),
        like_base: str | None = None,
        *,
        forms: frozenset[Form] | None = None,
        before: str = "",
    ) -> str:
        """``phrase`` put in the grammatical form of the words ``like``.

        ``like_base`` is the glossary phrase ``like`` was matched against (used to
        read its case and number), or ``forms`` gives the candidate forms directly;
        ``before`` is the text preceding the words (a preposition narrows the
        case). Without ``like`` or ``forms`` the phrase comes back as is.
        """
        ...


def case_fits(base: str, token: str) -> bool:
    """Matching ignores case, except that an abbreviation in capitals (ECO, AZAL)
    only matches capitals, so "eco-friendly" is not the ECO."""
    if len(base) > 1 and base.isupper() and any(ch.isalpha() for ch in base):
        return token.isupper()
    return True


class ExactMorphology:
    """Normalised exact matching: case, accents on Latin letters, apostrophes.

    ``possessive`` drops an English ``'s`` (and admits a plural ``-s``); ``suffixes`` lets the last word carry
    a short suffix (Azerbaijani/Turkish case endings: Bakıda, Türkiye'nin).
    """

    def __init__(self, lang: str, possessive: bool = False, suffixes: bool = False) -> None:
        self.lang = lang
        self.possessive = possessive
        self.suffixes = suffixes
        self._bases: dict[str, tuple[tuple[str, str], ...]] = {}

    def norm(self, token: str) -> str:
        token = fold(token)
        if self.possessive:
            if token.endswith("'s"):
                token = token[:-2]
            token = token.rstrip("'")
        return token

    def _same(self, base: str, token: str, last: bool) -> bool:
        if token == base:
            return True
        if self.possessive:  # English plurals: Presidents, Prosecutors General
            return token in (base + "s", base + "es") and len(base) > 3
        return last and self.suffixes and token.startswith(base) and len(token) - len(base) <= 6

    def lemmas(self, token: str) -> frozenset[str]:
        return frozenset({self.norm(token)})

    def forms(self, phrase: str) -> list[frozenset[str]]:
        return [frozenset({self.norm(w)}) for w in words(phrase)]

    def _base(self, phrase: str) -> tuple[tuple[str, str], ...]:
        cached = self._bases.get(phrase)
        if cached is None:
            cached = self._bases[phrase] = tuple((self.norm(w), w) for w in words(phrase))
        return cached

    def match(self, phrase: str, tokens: Sequence[str]) -> frozenset[Form] | None:
        pairs = self._base(phrase)
        if len(pairs) != len(tokens) or not pairs:
            return None
        last = len(pairs) - 1
        for i, ((b, w), t) in enumerate(zip(pairs, tokens, strict=True)):
            if not self._same(b, self.norm(t), i == last) or not case_fits(w, t):
                return None
        return ANY_FORM

    def inflect(
        self,
        phrase: str,
        like: Sequence[str] = (),
        like_base: str | None = None,
        *,
        forms: frozenset[Form] | None = None,
        before: str = "",
    ) -> str:
        return phrase


# --------------------------------------------------------------------------- Russian

_CASE_MAP = {
    "nomn": "nomn",
    "gent": "gent",
    "gen1": "gent",
    "gen2": "gent",
    "datv": "datv",
    "accs": "accs",
    "acc2": "accs",
    "ablt": "ablt",
    "loct": "loct",
    "loc1": "loct",
    "loc2": "loct",
}
_PRIMARY_CASES = set(CASES)
# Model words for names pymorphy3 cannot read as nominative (it takes
# "Зангезур" for a genitive plural): decline them like a regular noun.
_TEMPLATES = {
    ("cons", False): "завод",
    ("cons", True): "студент",
    ("й", False): "музей",
    ("й", True): "музей",
    ("ь", False): "рубль",
    ("ь", True): "рубль",
    ("ия", False): "линия",
    ("ия", True): "линия",
    ("а", False): "карта",
    ("а", True): "карта",
    ("я", False): "неделя",
    ("я", True): "неделя",
}
_VOWELS = set("аеёиоуыэюя")
_FOREIGN_VOWELS = set("еиоуэю")


@functools.lru_cache(maxsize=1)
def russian_analyzer():  # type: ignore[no-untyped-def]
    """The pymorphy3 analyser; built once because construction is slow."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@dataclass
class _Word:
    base: str
    fixed: bool
    table: dict[Form, str] = field(default_factory=dict)  # form -> surface (generation)
    lookup: dict[str, frozenset[Form]] = field(default_factory=dict)  # surface -> forms
    guessed: bool = False  # declension guessed (word unknown to the dictionary)


@dataclass
class _Pattern:
    words: list[_Word]
    seps: list[str]
    person: bool = False  # a person's name (apposition takes the case of the title before it)
    plural: bool = False  # plural in its base form (Осы, Соединённые Штаты): verbs agree in plural
    female: bool = False  # a woman's name: her consonant-final surname does not decline


def _norm(token: str) -> str:
    return fold(token)


class RussianMorphology:
    """pymorphy3 paradigms of each glossary phrase, built once per phrase.

    A phrase in its base (nominative) form is read left to right: nouns and
    adjectives in the nominative inflect (head noun, agreeing adjectives, first
    name and surname); from the first word that is not nominative (a genitive
    dependent such as "Кавказа", a preposition) the rest is fixed. Latin words,
    abbreviations in capitals, indeclinable nouns (Ханкенди, Баку) and the first
    part of hyphenated compounds (премьер-министр) never inflect. For each
    inflecting word the parse that fits the base form is chosen, not pymorphy3's
    first guess.
    """

    lang = "ru"

    def __init__(self) -> None:
        self._compile = functools.lru_cache(maxsize=4096)(self._build)

    def known(self, token: str) -> bool:
        """Is ``token`` a dictionary word? Then it is not a misspelt name."""
        return bool(russian_analyzer().word_is_known(_norm(token)))

    def adjectival(self, token: str) -> bool:
        """Does ``token`` read as an adjective or participle (омикронный, рождественскую)?

        A near miss must be the same part of speech as the glossary word: an
        adjective formed from a name is a rendering, not a misspelling of it.
        """
        low = _norm(token)
        if not low.endswith(_ADJ_ENDINGS):
            return False
        return any(p.tag.POS in _ADJECTIVAL for p in russian_analyzer().parse(low)[:3])

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per process
    def adjectives(self, phrase: str) -> tuple[str, ...]:
        """Relational adjectives derived from a one-word rendering (Россия → российский).

        Russian renders a name by its relational adjective as often as by the noun
        ("Iran nuclear deal" → «иранской ядерной сделки»). Candidates come from the
        productive suffixes (-ский, -ийский, -ейский, -енский, -ческий, -овский,
        -ный) on the stem with its last one to four letters cut; a candidate counts
        if pymorphy3's dictionary knows it as an adjective of that spelling, or,
        for the two plainest patterns (stem + -ский / -ный), even if it does not
        (омикронный, талибский). Irregular ones (Франция → французский) come from
        the glossary's ``adj:<lang>`` column. Returns base forms (masc. nom. sg.).
        """
        ws = words(phrase)
        if len(ws) != 1 or not is_cyrillic(ws[0]) or (len(ws[0]) > 1 and ws[0].isupper()):
            return ()
        low = ws[0].lower()
        if len(low) < 4:
            return ()
        morph = russian_analyzer()
        out: list[str] = []
        for cand, plain in _adjective_candidates(low):
            if cand in out or cand == low:
                continue
            known = morph.word_is_known(cand) and any(
                p.tag.POS == "ADJF" and p.normal_form == cand for p in morph.parse(cand)
            )
            if known or plain:
                out.append(cand)
        return tuple(out)

    # -- protocol
    def lemmas(self, token: str) -> frozenset[str]:
        parses = russian_analyzer().parse(token)
        return frozenset({_norm(token)} | {_norm(p.normal_form) for p in parses})

    def forms(self, phrase: str) -> list[frozenset[str]]:
        return [frozenset(w.lookup) for w in self._compile(phrase).words]

    def match(self, phrase: str, tokens: Sequence[str]) -> frozenset[Form] | None:
        pattern = self._compile(phrase)
        if len(pattern.words) != len(tokens) or not tokens:
            return None
        result: frozenset[Form] | None = None
        head: frozenset[Form] | None = None
        for w, tok in zip(pattern.words, tokens, strict=True):
            found = w.lookup.get(_norm(tok))
            if found is None or not case_fits(w.base, tok):
                return None
            if w.fixed:
                continue
            head = head or found
            result = found if result is None else result & found
        if result is None:
            return ANY_FORM
        return result or head

    def inflect(
        self,
        phrase: str,
        like: Sequence[str] = (),
        like_base: str | None = None,
        *,
        forms: frozenset[Form] | None = None,
        before: str = "",
    ) -> str:
        if forms is None:
            if not like:
                return phrase
            forms = self.match(like_base or phrase, like) or self.match(phrase, like) or ANY_FORM
        return self.render(phrase, narrow_by_preposition(forms, before))

    # -- helpers
    def render(self, phrase: str, wanted: frozenset[Form]) -> str:
        """``phrase`` in the highest-priority form of ``wanted``."""
        pattern = self._compile(phrase)
        form = next(f for f in FORM_PRIORITY if f in wanted)
        out: list[str] = []
        for i, w in enumerate(pattern.words):
            if i:
                out.append(pattern.seps[i - 1])
            if w.fixed:
                out.append(w.base)
                continue
            surface = w.table.get(form) or w.table.get((form[0], "sing")) or w.base
            if "ё" not in w.base.lower():  # keep the glossary's spelling: Анналена, not Анналёна
                surface = surface.replace("ё", "е").replace("Ё", "Е")
            out.append(restore_case(surface, w.base))
        return "".join(out)

    def _build(self, phrase: str) -> _Pattern:
        morph = russian_analyzer()
        bases = words(phrase)
        seps = separators(phrase)
        n = len(bases)
        candidates: list[list] = []
        fixed: list[bool] = []
        stopped = head_seen = False
        for i, base in enumerate(bases):
            hyphen_before_next = i < n - 1 and "-" in seps[i] and not seps[i].strip(" -")
            dotted = (i < n - 1 and seps[i] == ".") or (i > 0 and seps[i - 1] == ".")
            is_fixed = (
                stopped
                or not is_cyrillic(base)
                or (len(base) > 1 and base.isupper())
                or hyphen_before_next
                or dotted
            )
            cands: list = []
            if not is_fixed:
                parses = morph.parse(base)
                if not base.isupper():
                    # pymorphy3 guesses odd unknown words (Уоспс) as indeclinable
                    # abbreviations; a word not in capitals is not an abbreviation.
                    parses = [p for p in parses if p.is_known or "Abbr" not in p.tag] or parses
                    if all("Abbr" in p.tag and not p.is_known for p in parses):
                        parses = []
                c = i
                while c > 0 and "-" in seps[c - 1]:
                    c -= 1  # to the first part of a hyphenated name (Кристал-Маунтин)
                if (
                    c > 0
                    and base[:1].isupper()
                    and not any(p.is_known for p in parses)
                    and bases[c - 1].islower()
                    and not fixed[c - 1]
                ):
                    # A foreign name after a common noun is an apposition that does not
                    # decline: "курорта Кристал-Маунтин", "города Ханкенди".
                    parses = []
                    is_fixed = True
                if not any(p.is_known for p in parses) and base[-1].lower() in _FOREIGN_VOWELS:
                    # An unknown name ending in -и, -е, -о, -у (Ханкенди, Тюркие) is
                    # indeclinable, whatever pymorphy3 guesses from its ending.
                    parses = []
                    is_fixed = True
                cands = [p for p in parses if p.tag.case == "nomn" and p.tag.POS in _DECLINABLE]
                if _foreign_name_in_a(base, parses):
                    # A foreign name in -а/-я (Мандела, Анналена) declines like карта/неделя,
                    # whatever plural or genitive pymorphy3 guesses for it.
                    cands = []
                if not cands and i > 0:
                    dependent = any(p.is_known for p in parses) or base[:1].islower()
                elif cands and head_seen:
                    # After a singular head noun, a word that is nominative only as a
                    # plural but also a singular genitive is a genitive dependent:
                    # "Министерство обороны", "Совет безопасности".
                    dependent = (
                        all(p.tag.number == "plur" for p in cands)
                        and any(p.tag.case == "gent" and p.tag.number == "sing" for p in parses)
                        # two capitalised unknown words are a name, not "Министерство обороны"
                        and not (
                            base[:1].isupper()
                            and bases[i - 1][:1].isupper()
                            and not any(p.is_known for p in cands)
                        )
                    )
                else:
                    dependent = False
                if dependent:  # a genitive dependent, a preposition, ...: rest is fixed
                    stopped = True
                    is_fixed = True
                    cands = []
                head_seen = head_seen or any(
                    p.tag.POS == "NOUN" and p.tag.number == "sing" for p in cands
                )
            candidates.append(cands)
            fixed.append(is_fixed)

        person = _looks_like_person(bases, fixed, candidates)
        female = person and _female_first_name(bases, fixed, candidates)
        gender = "femn" if female else None
        for b, fx, c in zip(bases, fixed, candidates, strict=True):
            names = [p for p in c if {"Name"} in p.tag and b[:1].isupper()]
            if not fx and names and gender is None:
                names.sort(key=lambda p: (p.is_known, p.score), reverse=True)
                gender = names[0].tag.gender
                break

        def noun_key(p, cap: bool):  # type: ignore[no-untyped-def]
            tag = p.tag
            named = {"Name"} in tag or {"Surn"} in tag or {"Patr"} in tag
            return (
                tag.POS == "NOUN",
                named == person if cap else not named,
                gender is None or tag.gender == gender,
                tag.number == "sing" or "Pltm" in tag,
                "Fixd" not in tag if person else True,
                p.is_known,
                p.score,
            )

        chosen: list = [None] * n
        for i, (base, fx, c) in enumerate(zip(bases, fixed, candidates, strict=True)):
            nouns = [p for p in c if p.tag.POS == "NOUN"]
            if n == 1 and base.islower() and any(p.tag.POS == "ADJF" for p in c):
                nouns = []  # a lone lowercase adjective ("рождественский"), not a surname
            if not any(p.is_known for p in nouns) and any(
                p.is_known for p in c if p.tag.POS in _ADJECTIVAL
            ):
                nouns = []  # "Позолоченный" is a participle, not a guessed noun
            if fx or not nouns:
                continue
            chosen[i] = max(nouns, key=lambda p, b=base: noun_key(p, b[:1].isupper()))
        # Adjectives agree with the next inflecting noun.
        for i, (fx, c) in enumerate(zip(fixed, candidates, strict=True)):
            if fx or chosen[i] is not None:
                continue
            adjs = [p for p in c if p.tag.POS in _ADJECTIVAL]
            head = next((chosen[j] for j in range(i + 1, n) if chosen[j] is not None), None)
            if adjs:
                want_gender = head.tag.gender if head is not None else None
                want_number = head.tag.number if head is not None else "sing"
                adjs.sort(
                    key=lambda p, g=want_gender, num=want_number: (
                        p.tag.number == num,
                        g is None or p.tag.gender == g,
                        # the plain adjective (большой), not the comparative (больший)
                        not any("Supr" in f.tag for f in p.lexeme),
                        p.score,
                    ),
                    reverse=True,
                )
                chosen[i] = adjs[0]

        nouns_chosen = [p for p in chosen if p is not None and p.tag.POS == "NOUN"]
        animate = person or any(p.tag.animacy == "anim" for p in nouns_chosen)
        out: list[_Word] = []
        for i, base in enumerate(bases):
            p = chosen[i]
            if fixed[i] or (p is not None and "Fixd" in p.tag):
                out.append(_fixed_word(base))
            elif female and base[:1].isupper() and base[-1].lower() not in "ая":
                # Women's surnames ending in a consonant do not decline (Анналена Бербок).
                out.append(_fixed_word(base))
            elif p is None:
                if not base[:1].isupper() and i > 0:
                    out.append(_fixed_word(base))
                else:
                    out.append(_template_word(base, person))
            else:
                headless = p.tag.POS in _ADJECTIVAL and not nouns_chosen
                word = _paradigm_word(base, p, animate, any_gender=headless)
                word.guessed = not p.is_known
                if _norm(word.table.get(("nomn", "sing"), "")) != _norm(base):
                    # A guessed paradigm that does not give back the base form is wrong.
                    word = _template_word(base, person)
                out.append(word)
        plural = any(
            p is not None and p.tag.number == "plur" and p.tag.POS == "NOUN" for p in chosen
        )
        return _Pattern(out, seps, person, plural, female)

    def guessed(self, phrase: str) -> bool:
        """Is the declension of some inflecting word of ``phrase`` a guess (Ковбойс)?"""
        return any(w.guessed and not w.fixed for w in self._compile(phrase).words)

    def describe(self, phrase: str) -> tuple[bool, bool, bool]:
        """(a person's name, plural in its base form, a woman's name) for ``phrase``."""
        pattern = self._compile(phrase)
        return pattern.person, pattern.plural, pattern.female


_DECLINABLE = ("NOUN", "ADJF", "PRTF")


def _adjective_candidates(low: str) -> list[tuple[str, bool]]:
    """(candidate adjective, is it a plain pattern) for a lowercase noun.

    Only the word's own ending is cut, so no unrelated dictionary word comes out
    (Польша → польский, never полный).
    """
    out: list[tuple[str, bool]] = []
    last = low[-1]
    if last in _VOWELS:
        stem = low[:-1]  # Украина → украин-, Рождество → рождеств-, талибы → талиб-
        out += [(stem + "ский", len(stem) >= 4), (stem + "енский", False), (stem + "ейский", False)]
        if low.endswith(("ия", "ья")) or (len(stem) > 3 and stem[-1] not in _VOWELS):
            short = low[:-2]  # Россия → росс-, Польша → поль-, Москва → моск-
            out += [(short + "ийский", False), (short + "ский", False), (short + "овский", False)]
            if short.endswith("ц"):  # Греция → греческий
                out.append((short[:-1] + "ческий", False))
    elif last in "ьй":
        stem = low[:-1]  # Кремль → кремлёвский, Бристоль → бристольский
        out += [(low + "ский", True), (stem + "ёвский", False), (stem + "евский", False)]
    else:
        out += [(low + "ский", True), (low + "ный", True), (low + "ьский", False)]
        out.append((low + "овский", False))
        if low.endswith("истан"):  # Афганистан → афганский
            out.append((low[:-5] + "ский", False))
    return out


_ADJ_ENDINGS = (
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его",
    "ому", "ему", "ым", "им", "ую", "юю", "ей", "ыми", "ими",
)  # fmt: skip
_ADJECTIVAL = ("ADJF", "PRTF")


def _foreign_name_in_a(base: str, parses: list) -> bool:  # type: ignore[type-arg]
    """A capitalised -а/-я word pymorphy3 does not know at all (its parses are guesses)."""
    if not base[:1].isupper() or base[-1].lower() not in "ая" or len(base) < 3:
        return False
    return not any(p.is_known for p in parses)


def _female_first_name(bases: list[str], fixed: list[bool], candidates: list[list]) -> bool:
    """Does a person's name start with a woman's first name (Анналена, Лиз)?

    Known names answer from pymorphy3; an unknown first name in -а/-я is read as
    a woman's (the Russian pattern; men's names in -а such as Никита are known).
    """
    if len(bases) < 2 or not bases[0][:1].isupper():
        return False
    parses = russian_analyzer().parse(bases[0])
    named = [p for p in parses if {"Name"} in p.tag and p.is_known]
    if named:
        return named[0].tag.gender == "femn"
    return bases[0][-1].lower() in "ая"


_SURNAME_ENDINGS = ("ян", "янц", "ов", "ев", "ин", "ын", "ский", "цкий")


def _looks_like_person(bases: list[str], fixed: list[bool], candidates: list[list]) -> bool:
    """People take animate accusatives (Никола Пашиняна), places don't (Карабах).

    pymorphy3 knows common first names and surnames; for the rest, two or more
    capitalised nouns none of which is a known place or organisation, or one
    capitalised word with a surname ending, read as a person's name.
    """
    live = [(b, c) for b, fx, c in zip(bases, fixed, candidates, strict=True) if not fx]
    caps = [(b, c) for b, c in live if b[:1].isupper()]
    if not caps:
        return False
    if any(
        any(({"Name"} in p.tag or {"Surn"} in p.tag) and p.tag.number == "sing" for p in c)
        for _, c in caps
    ):
        return True
    place = any(
        any({"Geox"} in p.tag or {"Orgn"} in p.tag or p.tag.POS == "ADJF" for p in c)
        for _, c in live
    )
    if place or len(caps) != len(live):
        return False
    if len(caps) >= 2:
        return True
    return caps[0][0].lower().endswith(_SURNAME_ENDINGS) and not caps[0][1]


# Cases each preposition governs, most likely first (в/на: location before direction).
PREPOSITIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("в", "во", "на"), ("loct", "accs")),
    **dict.fromkeys(("о", "об", "обо", "при"), ("loct",)),
    **dict.fromkeys(("с", "со"), ("ablt", "gent")),
    **dict.fromkeys(("к", "ко"), ("datv",)),
    "по": ("datv", "loct", "accs"),
    **dict.fromkeys(
        (
            "из",
            "изо",
            "от",
            "ото",
            "до",
            "у",
            "без",
            "для",
            "около",
            "после",
            "вокруг",
            "против",
            "среди",
            "из-за",
            "из-под",
            "вблизи",
            "возле",
            "кроме",
            "вдоль",
            "напротив",
        ),
        ("gent",),
    ),
    **dict.fromkeys(
        ("за", "под", "подо", "над", "надо", "перед", "передо", "между"), ("ablt", "accs")
    ),
    **dict.fromkeys(("через", "про", "сквозь"), ("accs",)),
}
_LAST_WORD = re.compile(r"([\w-]+)[\s«\"„“]*$")


def narrow_by_preposition(forms: frozenset[Form], before: str) -> frozenset[Form]:
    """Keep the forms the preceding preposition allows ("в Закавказье" is not nominative)."""
    if len(forms) < 2:
        return forms
    m = _LAST_WORD.search(before)
    cases = PREPOSITIONS.get(m.group(1).lower()) if m else None
    if not cases:
        return forms
    for case in cases:
        kept = frozenset(f for f in forms if f[0] == case)
        if kept:
            return kept
    return forms


def _fixed_word(base: str) -> _Word:
    return _Word(base, True, {}, {_norm(base): ANY_FORM})


def _add(word: _Word, surface: str, case: str, number: str, primary: bool) -> None:
    key = _norm(surface)
    word.lookup[key] = word.lookup.get(key, frozenset()) | {(case, number)}
    if primary:
        word.table.setdefault((case, number), surface)


def _paradigm_word(  # type: ignore[no-untyped-def]
    base: str, parse, animate: bool, any_gender: bool = False
) -> _Word:
    """Forms of the chosen parse; an adjective with no noun (карабахский) matches any gender."""
    word = _Word(base, False)
    tag = parse.tag
    adjective = tag.POS in _ADJECTIVAL
    gender = tag.gender
    # A name that is plural in its base form (Азербайджанские авиалинии, Афины)
    # keeps its plural: its plural forms stand in for the singular ones.
    plural_base = tag.number == "plur"
    for f in parse.lexeme:
        ft = f.tag
        if ft.POS != tag.POS or ft.case not in _CASE_MAP:
            continue
        if tag.POS == "PRTF" and (ft.voice, ft.tense, ft.aspect) != (
            tag.voice,
            tag.tense,
            tag.aspect,
        ):
            continue  # a verb's lexeme holds all its participles; keep this one
        number = ft.number or "sing"
        if plural_base:
            if number != "plur":
                continue
            number = "sing"
        other_gender = number == "sing" and ft.gender != gender
        if other_gender and not any_gender and (adjective or (gender and ft.gender)):
            continue
        case = _CASE_MAP[ft.case]
        primary = ft.case in _PRIMARY_CASES and not other_gender
        if case == "accs" and ft.animacy and (ft.animacy == "anim") != animate:
            primary = False
        _add(word, f.word, case, number, primary)
    if word.table.get(("nomn", "sing")) is None and word.table.get(("nomn", "plur")) is None:
        _add(word, base.lower(), "nomn", "sing", True)
    if animate and not adjective:
        # pymorphy3 guesses unknown names as inanimate; people take genitive-like accusatives.
        masc = gender in ("masc", None) or tag.gender == "masc"
        if masc and ("gent", "sing") in word.table:
            word.table[("accs", "sing")] = word.table[("gent", "sing")]
            _add(word, word.table[("gent", "sing")], "accs", "sing", False)
        if ("gent", "plur") in word.table:
            word.table[("accs", "plur")] = word.table[("gent", "plur")]
            _add(word, word.table[("gent", "plur")], "accs", "plur", False)
    return word


def _template_word(base: str, animate: bool) -> _Word:
    """Decline an unknown noun like a model word with the same ending."""
    low = base.lower()
    if low[-1] in _VOWELS - {"а", "я"}:
        return _fixed_word(base)
    if low.endswith("ия"):
        kind, cut = "ия", 2
    elif low[-1] in "айяь":
        kind, cut = low[-1], 1
    else:
        kind, cut = "cons", 0
    model = _TEMPLATES[(kind, animate)]
    stem = low[: len(low) - cut] if cut else low
    model_stem = model[: len(model) - cut] if cut else model
    parse = next(
        p
        for p in russian_analyzer().parse(model)
        if p.tag.case == "nomn" and p.tag.POS == "NOUN" and p.tag.number == "sing"
    )
    word = _Word(base, False, guessed=True)
    for f in parse.lexeme:
        ft = f.tag
        if ft.case not in _CASE_MAP or not f.word.startswith(model_stem):
            continue
        ending = f.word[len(model_stem) :]
        if ending.startswith("ы") and stem[-1:] in "гкхжчшщ":
            ending = "и" + ending[1:]
        _add(word, stem + ending, _CASE_MAP[ft.case], ft.number or "sing", ft.case in CASES)
    if animate and ("gent", "sing") in word.table and kind == "cons":
        word.table[("accs", "sing")] = word.table[("gent", "sing")]
        _add(word, word.table[("gent", "sing")], "accs", "sing", False)
    return word


# --------------------------------------------------------------------------- registry

# Languages whose words take case suffixes on names (Bakıda, Türkiye'nin).
SUFFIXING = frozenset({"az", "tr", "kk", "uz", "tk", "ky", "tt", "ba", "fi", "et", "hu"})
_REGISTRY: dict[str, Callable[[], Morphology]] = {
    "ru": RussianMorphology,
    "en": lambda: ExactMorphology("en", possessive=True),
}


def register_morphology(lang: str, factory: Callable[[], Morphology]) -> None:
    """Plug in a morphology for a language code (e.g. a Ukrainian pymorphy3 one)."""
    _REGISTRY[primary_subtag(lang)] = factory
    get_morphology.cache_clear()


def primary_subtag(lang: str) -> str:
    """The registry key of a code: ``ru``, ``ru-RU``, ``rus_Cyrl`` all name ``ru``."""
    return primary_language(lang)


@functools.lru_cache(maxsize=64)
def get_morphology(lang: str) -> Morphology:
    code = primary_subtag(lang)
    factory = _REGISTRY.get(code)
    if factory is not None:
        return factory()
    return ExactMorphology(code, suffixes=code in SUFFIXING)


__all__ = [
    "ANY_FORM",
    "CASES",
    "NUMBERS",
    "ExactMorphology",
    "Form",
    "Morphology",
    "RussianMorphology",
    "get_morphology",
    "register_morphology",
]
