"""Per-language morphology behind one small interface.

A matcher asks two questions of a language: "are these words an inflected form
of this glossary phrase, and in which grammatical forms?" (``match``) and
"render this phrase in the form those words have" (``inflect``). The languages of
the table :data:`INFLECTING` (Russian, Ukrainian) answer with pymorphy3 paradigms
(:class:`PymorphyMorphology`, one class, a table row per language); every other
language falls back to normalised exact matching (plus optional suffixes for
agglutinative languages), so adding a language means adding a table row and its
dictionary package, not touching the matcher.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
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


# ------------------------------------------------------------ pymorphy3 languages

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


@dataclass(frozen=True)
class InflectingLanguage:
    """One row of the language table: what a pymorphy3 language needs besides its dictionary.

    ``code``: the BCP 47 primary subtag, also pymorphy3's ``lang`` (its dictionary
    package is ``pymorphy3-dicts-<code>``). ``templates``: (ending, model word for
    a thing, model word for a person), the first ending that fits wins ("" fits
    any): an unknown name pymorphy3 cannot read as nominative declines like its
    model. ``vowels``; ``foreign_vowels``: an unknown name ending in one is
    indeclinable (Ханкенди, Тюркие). ``spelling``: (ending, after these letters,
    written instead) for endings copied from a model (Russian -ы after к is -и).
    ``cases``: the dictionary's case names beyond :data:`CASES`, matched as a form
    of the case given but never generated (the Ukrainian vocative). ``adjective_endings``:
    endings an adjective can have; ``suffixes``: relational-adjective suffixes and
    ``short_stem_endings``: the noun endings whose stem loses two letters (Россия →
    росс-ийский), see :func:`_adjective_candidates`. ``prepositions``: the cases each governs, the
    likely one first; ``surname_endings``: endings that make one capitalised
    unknown word a person's surname.
    """

    code: str
    templates: tuple[tuple[str, str, str], ...]
    vowels: frozenset[str]
    foreign_vowels: frozenset[str]
    spelling: tuple[str, str, str] | None
    cases: dict[str, str]
    adjective_endings: tuple[str, ...]
    suffixes: dict[str, str]
    short_stem_endings: tuple[str, ...]
    prepositions: dict[str, tuple[str, ...]]
    surname_endings: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def analyzer(lang: str):  # type: ignore[no-untyped-def]
    """The pymorphy3 analyser of a table language; built once because construction is slow."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def has(tag, *grammemes: str) -> bool:  # type: ignore[no-untyped-def]
    """Does a pymorphy3 tag carry any of ``grammemes``? (A dictionary without a grammeme,
    such as Ukrainian's without Geox, answers no; ``"Geox" in tag`` would raise.)"""
    return not tag.grammemes.isdisjoint(grammemes)


def number(tag) -> str | None:  # type: ignore[no-untyped-def]
    """``sing`` or ``plur`` of a tag; a form with a case or gender and no number is
    singular (the Ukrainian dictionary marks only the plural: "NOUN,femn,inan gent")."""
    if tag.number:
        return tag.number
    return "sing" if case_of(tag) or tag.gender else None


def case_of(tag) -> str | None:  # type: ignore[no-untyped-def]
    """The case of a tag; a noun or adjective form with none is the nominative (the
    Ukrainian dictionary leaves it out of some base forms: "завод" is "NOUN,inan masc")."""
    if tag.case:
        return tag.case
    return "nomn" if tag.POS in _DECLINABLE else None


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


class PymorphyMorphology:
    """pymorphy3 paradigms of each glossary phrase, built once per phrase.

    One class for every language of the table (:data:`INFLECTING`: Russian,
    Ukrainian); what differs between them is the dictionary and the table row.
    A phrase in its base (nominative) form is read left to right: nouns and
    adjectives in the nominative inflect (head noun, agreeing adjectives, first
    name and surname); from the first word that is not nominative (a genitive
    dependent such as "Кавказа", a preposition) the rest is fixed. Latin words,
    abbreviations in capitals, indeclinable nouns (Ханкенди, Баку) and the first
    part of hyphenated compounds (премьер-министр) never inflect. For each
    inflecting word the parse that fits the base form is chosen, not pymorphy3's
    first guess.
    """

    def __init__(self, language: InflectingLanguage) -> None:
        self.language = language
        self.lang = language.code
        self._compile = functools.lru_cache(maxsize=4096)(self._build)
        self._adjectives = functools.lru_cache(maxsize=4096)(self._derive_adjectives)

    def _analyzer(self):  # type: ignore[no-untyped-def]
        return analyzer(self.lang)

    def known(self, token: str) -> bool:
        """Is ``token`` a dictionary word? Then it is not a misspelt name."""
        return bool(self._analyzer().word_is_known(_norm(token)))

    def adjectival(self, token: str) -> bool:
        """Does ``token`` read as an adjective or participle (омикронный, рождественскую)?

        A near miss must be the same part of speech as the glossary word: an
        adjective formed from a name is a rendering, not a misspelling of it.
        """
        low = _norm(token)
        if not low.endswith(self.language.adjective_endings):
            return False
        return any(p.tag.POS in _ADJECTIVAL for p in self._analyzer().parse(low)[:3])

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
        Ukrainian the same with its suffixes (Україна → український, Сирія → сирійський).
        """
        return self._adjectives(phrase)

    def _derive_adjectives(self, phrase: str) -> tuple[str, ...]:
        ws = words(phrase)
        if len(ws) != 1 or not is_cyrillic(ws[0]) or (len(ws[0]) > 1 and ws[0].isupper()):
            return ()
        low = ws[0].lower()
        if len(low) < 4:
            return ()
        morph = self._analyzer()
        out: list[str] = []
        for cand, plain in _adjective_candidates(low, self.language):
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
        parses = self._analyzer().parse(token)
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
        return self.render(phrase, narrow_by_preposition(forms, before, self.lang))

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
        morph = self._analyzer()
        language = self.language
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
                    parses = [p for p in parses if p.is_known or not has(p.tag, "Abbr")] or parses
                    if all(has(p.tag, "Abbr") and not p.is_known for p in parses):
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
                if (
                    not any(p.is_known for p in parses)
                    and base[-1].lower() in language.foreign_vowels
                ):
                    # An unknown name ending in -и, -е, -о, -у (Ханкенди, Тюркие) is
                    # indeclinable, whatever pymorphy3 guesses from its ending.
                    parses = []
                    is_fixed = True
                cands = [p for p in parses if case_of(p.tag) == "nomn" and p.tag.POS in _DECLINABLE]
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
                        all(number(p.tag) == "plur" for p in cands)
                        and any(
                            case_of(p.tag) == "gent" and number(p.tag) == "sing" for p in parses
                        )
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
                    p.tag.POS == "NOUN" and number(p.tag) == "sing" for p in cands
                )
            candidates.append(cands)
            fixed.append(is_fixed)

        person = _looks_like_person(bases, fixed, candidates, language)
        female = person and _female_first_name(bases, morph)
        gender = "femn" if female else None
        for b, fx, c in zip(bases, fixed, candidates, strict=True):
            # An indeclinable first name the dictionary only guesses (Ukrainian reads an
            # unknown Ердоґан as a woman's "Name,Fixd" too) says nothing of the gender.
            names = [
                p
                for p in c
                if has(p.tag, "Name") and b[:1].isupper() and (p.is_known or not has(p.tag, "Fixd"))
            ]
            if not fx and names and gender is None:
                names.sort(key=lambda p: (p.is_known, p.score), reverse=True)
                gender = names[0].tag.gender
                break

        def noun_key(p, cap: bool):  # type: ignore[no-untyped-def]
            tag = p.tag
            named = has(tag, "Name", "Surn", "Patr")
            return (
                tag.POS == "NOUN",
                named == person if cap else not named,
                gender is None or tag.gender == gender,
                number(tag) == "sing" or has(tag, "Pltm"),
                not has(tag, "Fixd") if person else True,
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
                want_number = number(head.tag) if head is not None else "sing"
                adjs.sort(
                    key=lambda p, g=want_gender, num=want_number: (
                        number(p.tag) == num,
                        g is None or p.tag.gender == g,
                        # the plain adjective (большой), not the comparative (больший)
                        not any(has(f.tag, "Supr") for f in p.lexeme),
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
            if fixed[i] or (p is not None and has(p.tag, "Fixd")):
                out.append(_fixed_word(base))
            elif female and base[:1].isupper() and base[-1].lower() not in "ая":
                # Women's surnames ending in a consonant do not decline (Анналена Бербок).
                out.append(_fixed_word(base))
            elif p is None:
                if not base[:1].isupper() and i > 0:
                    out.append(_fixed_word(base))
                else:
                    out.append(_template_word(base, person, language))
            else:
                headless = p.tag.POS in _ADJECTIVAL and not nouns_chosen
                word = _paradigm_word(base, p, animate, language, any_gender=headless)
                word.guessed = not p.is_known
                if _norm(word.table.get(("nomn", "sing"), "")) != _norm(base):
                    # A guessed paradigm that does not give back the base form is wrong.
                    word = _template_word(base, person, language)
                out.append(word)
        plural = any(
            p is not None and number(p.tag) == "plur" and p.tag.POS == "NOUN" for p in chosen
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


def _adjective_candidates(low: str, language: InflectingLanguage) -> list[tuple[str, bool]]:
    """(candidate adjective, is it a plain pattern) for a lowercase noun.

    Only the word's own ending is cut, so no unrelated dictionary word comes out
    (Польша → польский, never полный). The suffixes are the language's
    (``InflectingLanguage.suffixes``: Russian -ский, Ukrainian -ський, ...).
    """
    sx, vowels = language.suffixes, language.vowels
    out: list[tuple[str, bool]] = []
    last = low[-1]
    if last in vowels:
        stem = low[:-1]  # Украина → украин-, Рождество → рождеств-, талибы → талиб-
        out += [(stem + sx["sky"], len(stem) >= 4), (stem + sx["ensky"], False),
                (stem + sx["eysky"], False)]  # fmt: skip
        if low.endswith(language.short_stem_endings) or (len(stem) > 3 and stem[-1] not in vowels):
            short = low[:-2]  # Россия → росс-, Польша → поль-, Москва → моск-
            out += [(short + sx["iysky"], False), (short + sx["sky"], False),
                    (short + sx["ovsky"], False)]  # fmt: skip
            if short.endswith("ц"):  # Греция → греческий, Греція → грецький
                out.append((short[: len(short) - len(sx["ts"])] + sx["tsky"], False))
    elif last in "ьй":
        stem = low[:-1]  # Кремль → кремлёвский, Бристоль → бристольский
        out += [(low + sx["sky"], True), (stem + sx["yovsky"], False), (stem + sx["evsky"], False)]
    else:
        out += [(low + sx["sky"], True), (low + sx["ny"], True), (low + sx["soft_sky"], False)]
        out.append((low + sx["ovsky"], False))
        if low.endswith(sx["istan"]):  # Афганистан → афганский
            out.append((low[: -len(sx["istan"])] + sx["sky"], False))
    return out


_ADJECTIVAL = ("ADJF", "PRTF")


def _foreign_name_in_a(base: str, parses: list) -> bool:  # type: ignore[type-arg]
    """A capitalised -а/-я word pymorphy3 does not know at all (its parses are guesses)."""
    if not base[:1].isupper() or base[-1].lower() not in "ая" or len(base) < 3:
        return False
    return not any(p.is_known for p in parses)


def _female_first_name(bases: list[str], morph) -> bool:  # type: ignore[no-untyped-def]
    """Does a person's name start with a woman's first name (Анналена, Лиз)?

    Known names answer from pymorphy3; an unknown first name in -а/-я is read as
    a woman's (the Russian pattern; men's names in -а such as Никита are known).
    """
    if len(bases) < 2 or not bases[0][:1].isupper():
        return False
    parses = morph.parse(bases[0])
    named = [p for p in parses if has(p.tag, "Name") and p.is_known]
    if named:
        return named[0].tag.gender == "femn"
    return bases[0][-1].lower() in "ая"


def _looks_like_person(
    bases: list[str], fixed: list[bool], candidates: list[list], language: InflectingLanguage
) -> bool:
    """People take animate accusatives (Никола Пашиняна), places don't (Карабах).

    pymorphy3 knows common first names and surnames; for the rest, two or more
    capitalised nouns none of which is a known place or organisation, or one
    capitalised word with a surname ending, read as a person's name. A dictionary
    that does not mark place names (Ukrainian has no Geox) also reads "Лондон" as a
    surname: there a word that is as well a known inanimate noun is not a name.
    """
    live = [(b, c) for b, fx, c in zip(bases, fixed, candidates, strict=True) if not fx]
    caps = [(b, c) for b, c in live if b[:1].isupper()]
    if not caps:
        return False
    marks_places = "Geox" in analyzer(language.code).TagClass.KNOWN_GRAMMEMES

    def named(c: list) -> bool:  # type: ignore[type-arg]
        if not any(has(p.tag, "Name", "Surn") and number(p.tag) == "sing" for p in c):
            return False
        return marks_places or not any(
            p.is_known and p.tag.animacy == "inan" and not has(p.tag, "Name", "Surn", "Patr")
            for p in c
        )

    if any(named(c) for _, c in caps):
        return True
    place = any(any(has(p.tag, "Geox", "Orgn") or p.tag.POS == "ADJF" for p in c) for _, c in live)
    if place or len(caps) != len(live):
        return False
    if len(caps) >= 2:
        return True
    return caps[0][0].lower().endswith(language.surname_endings) and not caps[0][1]


# Cases each Russian preposition governs, most likely first (в/на: location before direction).
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


def narrow_by_preposition(forms: frozenset[Form], before: str, lang: str) -> frozenset[Form]:
    """Keep the forms the preceding preposition allows ("в Закавказье" is not nominative).

    ``lang``'s prepositions (the language table); a language without a row keeps ``forms``.
    """
    language = INFLECTING.get(primary_subtag(lang))
    if len(forms) < 2 or language is None:
        return forms
    m = _LAST_WORD.search(before)
    cases = language.prepositions.get(m.group(1).lower()) if m else None
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
    base: str, parse, animate: bool, language: InflectingLanguage, any_gender: bool = False
) -> _Word:
    """Forms of the chosen parse; an adjective with no noun (карабахский) matches any gender."""
    word = _Word(base, False)
    tag = parse.tag
    adjective = tag.POS in _ADJECTIVAL
    gender = tag.gender
    # A name that is plural in its base form (Азербайджанские авиалинии, Афины)
    # keeps its plural: its plural forms stand in for the singular ones.
    plural_base = number(tag) == "plur"
    case_map = {**_CASE_MAP, **language.cases}
    for f in parse.lexeme:
        ft = f.tag
        ft_case = case_of(ft)
        if ft.POS != tag.POS or ft_case not in case_map:
            continue
        if tag.POS == "PRTF" and (ft.voice, ft.tense, ft.aspect) != (
            tag.voice,
            tag.tense,
            tag.aspect,
        ):
            continue  # a verb's lexeme holds all its participles; keep this one
        num = number(ft) or "sing"
        if plural_base:
            if num != "plur":
                continue
            num = "sing"
        other_gender = num == "sing" and ft.gender != gender
        if other_gender and not any_gender and (adjective or (gender and ft.gender)):
            continue
        case = case_map[ft_case]
        primary = ft_case in _PRIMARY_CASES and not other_gender
        if case == "accs" and ft.animacy and (ft.animacy == "anim") != animate:
            primary = False
        _add(word, f.word, case, num, primary)
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


def _template_word(base: str, animate: bool, language: InflectingLanguage) -> _Word:
    """Decline an unknown noun like the language's model word with the same ending."""
    low = base.lower()
    if low[-1] in language.vowels - {"а", "я"}:
        return _fixed_word(base)
    ending, thing, person = next(t for t in language.templates if low.endswith(t[0]))
    model = person if animate else thing
    cut = len(ending)
    stem = low[: len(low) - cut]
    model_stem = model[: len(model) - cut]
    morph = analyzer(language.code)
    parse = next(
        p
        for p in morph.parse(model)
        if case_of(p.tag) == "nomn" and p.tag.POS == "NOUN" and number(p.tag) == "sing"
    )
    case_map = {**_CASE_MAP, **language.cases}
    word = _Word(base, False, guessed=True)
    for f in parse.lexeme:
        ft = f.tag
        ft_case = case_of(ft)
        if ft_case not in case_map or not f.word.startswith(model_stem):
            continue
        suffix = f.word[len(model_stem) :]
        if language.spelling is not None:
            written, after, instead = language.spelling
            if suffix.startswith(written) and stem[-1:] in after:
                suffix = instead + suffix[len(written) :]
        _add(word, stem + suffix, case_map[ft_case], number(ft) or "sing", ft_case in CASES)
    if animate and ("gent", "sing") in word.table and not ending:
        word.table[("accs", "sing")] = word.table[("gent", "sing")]
        _add(word, word.table[("gent", "sing")], "accs", "sing", False)
    return word


# ------------------------------------------------------------------ the language table

_RU_SUFFIXES = {
    "sky": "ский", "ensky": "енский", "eysky": "ейский", "iysky": "ийский", "ovsky": "овский",
    "yovsky": "ёвский", "evsky": "евский", "ny": "ный", "soft_sky": "ьский", "istan": "истан",
    "ts": "ц", "tsky": "ческий",  # Греция → греческий
}  # fmt: skip
_UK_SUFFIXES = {
    "sky": "ський", "ensky": "енський", "eysky": "ейський", "iysky": "ійський",
    "ovsky": "івський", "yovsky": "івський", "evsky": "евський", "ny": "ний",
    "soft_sky": "ьський", "istan": "істан", "ts": "", "tsky": "ький",  # Греція → грецький
}  # fmt: skip

_RU_TEMPLATES = (
    ("ия", "линия", "линия"), ("а", "карта", "карта"), ("я", "неделя", "неделя"),
    ("й", "музей", "музей"), ("ь", "рубль", "рубль"), ("", "завод", "студент"),
)  # fmt: skip
_UK_TEMPLATES = (
    ("ія", "лінія", "лінія"), ("а", "карта", "карта"), ("я", "неділя", "неділя"),
    ("й", "музей", "музей"), ("ь", "рубль", "рубль"), ("", "завод", "студент"),
)  # fmt: skip
_RU_ADJECTIVE_ENDINGS = (
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его",
    "ому", "ему", "ым", "им", "ую", "юю", "ей", "ыми", "ими",
)  # fmt: skip
_UK_ADJECTIVE_ENDINGS = (
    "ий", "ій", "а", "я", "е", "є", "і", "ого", "ього", "ому", "ьому", "ім", "им",
    "ої", "ьої", "у", "ю", "их", "іх", "ими", "іми",
)  # fmt: skip
_UK_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("в", "у", "на"), ("loct", "accs")),
    **dict.fromkeys(("о", "об", "при"), ("loct",)),
    **dict.fromkeys(("з", "із", "зі", "зо"), ("ablt", "gent")),
    "по": ("datv", "loct", "accs"),
    **dict.fromkeys(
        ("від", "од", "до", "для", "без", "біля", "коло", "після", "навколо", "довкола",
         "проти", "серед", "посеред", "крім", "окрім", "вздовж", "уздовж", "навпроти",
         "щодо", "замість", "поблизу", "з-за", "з-під", "із-за", "із-під"),
        ("gent",),
    ),
    **dict.fromkeys(("за", "під", "над", "перед", "між", "поміж"), ("ablt", "accs")),
    **dict.fromkeys(("через", "про", "крізь", "повз"), ("accs",)),
}  # fmt: skip
_UK_SURNAME_ENDINGS = (
    "ян", "янц", "ов", "ев", "єв", "ін", "ин", "ський", "цький", "енко", "ук", "юк", "чук",
)  # fmt: skip

RUSSIAN = InflectingLanguage(
    code="ru",
    templates=_RU_TEMPLATES,
    vowels=frozenset("аеёиоуыэюя"),
    foreign_vowels=frozenset("еиоуэю"),
    spelling=("ы", "гкхжчшщ", "и"),
    cases={},
    adjective_endings=_RU_ADJECTIVE_ENDINGS,
    suffixes=_RU_SUFFIXES,
    short_stem_endings=("ия", "ья"),
    prepositions=PREPOSITIONS,
    surname_endings=("ян", "янц", "ов", "ев", "ин", "ын", "ский", "цкий"),
)

UKRAINIAN = InflectingLanguage(
    code="uk",
    templates=_UK_TEMPLATES,
    vowels=frozenset("аеєиіїоуюя"),
    foreign_vowels=frozenset("еєиіоую"),
    spelling=None,
    # The vocative (Ердогане) is a form of the name, matched but never put in.
    cases={"voct": "nomn"},
    adjective_endings=_UK_ADJECTIVE_ENDINGS,
    suffixes=_UK_SUFFIXES,
    short_stem_endings=("ія",),
    prepositions=_UK_PREPOSITIONS,
    surname_endings=_UK_SURNAME_ENDINGS,
)

# The languages inflected with pymorphy3 (each needs its dictionary package,
# ``pymorphy3-dicts-<code>``, in the project's dependencies); every other language
# is matched exactly (:class:`ExactMorphology`).
INFLECTING: dict[str, InflectingLanguage] = {lang.code: lang for lang in (RUSSIAN, UKRAINIAN)}


class RussianMorphology(PymorphyMorphology):
    """:class:`PymorphyMorphology` for Russian."""

    def __init__(self) -> None:
        super().__init__(RUSSIAN)


class UkrainianMorphology(PymorphyMorphology):
    """:class:`PymorphyMorphology` for Ukrainian (pymorphy3-dicts-uk)."""

    def __init__(self) -> None:
        super().__init__(UKRAINIAN)


# --------------------------------------------------------------------------- registry

# Languages whose words take case suffixes on names (Bakıda, Türkiye'nin).
SUFFIXING = frozenset({"az", "tr", "kk", "uz", "tk", "ky", "tt", "ba", "fi", "et", "hu"})
_REGISTRY: dict[str, Callable[[], Morphology]] = {
    "ru": RussianMorphology,
    "uk": UkrainianMorphology,
    "en": lambda: ExactMorphology("en", possessive=True),
}


def register_morphology(lang: str, factory: Callable[[], Morphology]) -> None:
    """Plug in a morphology for a language code (e.g. another pymorphy3 language)."""
    _REGISTRY[primary_subtag(lang)] = factory
    get_morphology.cache_clear()


def primary_subtag(lang: str) -> str:
    """The registry key of a code: ``ru``, ``ru-RU``, ``rus_Cyrl`` all name ``ru``."""
    return primary_language(lang)


@functools.lru_cache(maxsize=64)
def get_morphology(lang: str) -> Morphology:
    """The morphology for ``lang``: pymorphy3 paradigms for :data:`INFLECTING` languages
    whose dictionary is installed, else exact matching (with one stderr note per process
    when only the dictionary is missing)."""
    code = primary_subtag(lang)
    factory = _REGISTRY.get(code)
    if factory is not None and (code not in INFLECTING or dictionary_installed(code)):
        return factory()
    if code in INFLECTING:
        _note_missing_dictionary(code)
    return ExactMorphology(code, suffixes=code in SUFFIXING)


def dictionary_installed(code: str) -> bool:
    """True if pymorphy3's dictionary package for ``code`` is importable.

    Ukrainian's (``pymorphy3-dicts-uk``) is an optional extra, ``align[uk]``: its
    PyPI metadata says GPLv3, so MIT-licensed align does not require it.
    """
    return importlib.util.find_spec(f"pymorphy3_dicts_{code}") is not None


_noted: set[str] = set()


def _note_missing_dictionary(code: str) -> None:
    if code not in _noted:
        _noted.add(code)
        print(
            f"align: note: case forms of '{code}' terms need pymorphy3-dicts-{code} "
            f"(pip install 'align[{code}]'); matching exact forms only",
            file=sys.stderr,
        )


__all__ = [
    "ANY_FORM",
    "CASES",
    "INFLECTING",
    "NUMBERS",
    "ExactMorphology",
    "Form",
    "InflectingLanguage",
    "Morphology",
    "PymorphyMorphology",
    "RussianMorphology",
    "UkrainianMorphology",
    "dictionary_installed",
    "get_morphology",
    "register_morphology",
]
