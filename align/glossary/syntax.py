"""Which case a Russian or Ukrainian noun phrase must take, read from the words around it.

The fixer replaces a wrong name with the glossary's one in the case and number
the sentence needs. When the replaced words show their case ("Уоспсу") that is
enough; when they show none (a Latin or indeclinable original: «шкипер
«Уоспс»», «счёт Wasps») the case comes from the context, as a reader would get
it: a preposition ("в", "с"), a governing noun (genitive: "шкипер «Ос»"), an
agreeing adjective or name just before ("Далласских Ковбоев", "Матеушем
Моравецким"), a transitive verb before (accusative: "обыграл «Ос»"), or a
finite verb after that agrees in number (nominative subject: "«Осы»
разграбили"). When none of these decides, the answer is None and the fixer
leaves the span alone and reports it.

Rules from standard Russian grammar (government of prepositions, verbs and
nouns; agreement of attributes and subject–predicate), which Ukrainian shares;
the parses come from pymorphy3 and the words that differ (prepositions in
:data:`align.glossary.morph.INFLECTING`, class words, verbs of motion,
conjunctions here) from each language's table row. A language without one
(no pymorphy3 dictionary) gets None: nothing decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from align.glossary.morph import (
    CASES,
    INFLECTING,
    Form,
    analyzer,
    case_of,
    has,
    number,
    primary_subtag,
)

_WORD_BEFORE = re.compile(r"([\w-]+)([\s«\"„“'(]*)$")
_WORD_AFTER = re.compile(r"^([\s»\"”'),]*)([\w-]+)")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+)[«\"„“(\s]*$")


def _clause_start(conjunctions: str) -> re.Pattern[str]:
    return re.compile(rf"(^|[.!?;:,—–(]\s*|\b({conjunctions})\s+)[«\"„“]*$")


# Class words a quoted name stands next to in apposition.
CLASSIFIERS = frozenset(
    """агентство газета журнал издание телеканал канал радиостанция компания фирма банк
    фонд корпорация концерн холдинг партия движение организация объединение союз клуб
    команда сериал телесериал фильм программа проект операция группа завод комбинат
    завод отель гостиница ресторан магазин стадион курорт аэропорт порт корабль судно
    фестиваль конкурс премия сайт портал приложение сервис платформа бренд марка""".split()  # noqa: SIM905
)


# Verbs of motion or direction (by lemma ending, so prefixed ones count too:
# приехать, отправиться): with them в/на/за/под take the accusative ("приехал в
# Баку"), elsewhere the locative or instrumental ("живёт в Баку").
_MOTION_LEMMAS = (
    "ехать", "йти", "идти", "лететь", "бежать", "вести", "везти", "нести", "ступить",
    "ступать", "прибыть", "прибывать", "вернуть", "вернуться", "править", "правиться", "правлять",
    "правляться", "пасть", "падать", "слать", "сылать", "ложить", "класть", "ставить",
    "бросить", "бросать", "гнать", "тащить", "вторгнуться", "инвестировать", "превратиться",
    "превращаться", "вложить", "вкладывать", "ехаться",
)  # fmt: skip
UK_CLASSIFIERS = frozenset(
    """агентство газета журнал видання телеканал канал радіостанція компанія фірма банк
    фонд корпорація концерн холдинг партія рух організація об'єднання союз спілка клуб
    команда серіал телесеріал фільм програма проєкт проект операція група завод комбінат
    готель ресторан магазин стадіон курорт аеропорт порт корабель судно фестиваль
    конкурс премія сайт портал застосунок сервіс платформа бренд марка""".split()  # noqa: SIM905
)
_UK_MOTION_LEMMAS = (
    "їхати", "йти", "іти", "летіти", "бігти", "вести", "везти", "нести", "ступити",
    "ступати", "прибути", "прибувати", "повернути", "повернутися", "правити", "правитися",
    "впасти", "падати", "слати", "силати", "класти", "ставити", "кинути", "кидати", "гнати",
    "тягти", "вторгнутися", "інвестувати", "перетворитися", "перетворюватися", "вкласти",
    "вкладати", "їхатися",
)  # fmt: skip


@dataclass(frozen=True)
class _Syntax:
    """The words the context rules read, per language (prepositions are in the morph table)."""

    classifiers: frozenset[str]
    motion_lemmas: tuple[str, ...]
    clause_start: re.Pattern[str]  # a clause opens before the span (punctuation, conjunction)
    coordinated: re.Pattern[str]  # the span is the second member of "X and Y"


_SYNTAX = {
    "ru": _Syntax(CLASSIFIERS, _MOTION_LEMMAS, _clause_start("и|а|но|когда|что|если|пока|хотя"),
                  re.compile(r"\bи\s+[«\"„“]*$")),
    "uk": _Syntax(UK_CLASSIFIERS, _UK_MOTION_LEMMAS,
                  _clause_start("і|й|та|а|але|коли|що|якщо|поки|хоча"),
                  re.compile(r"\b(і|й|та)\s+[«\"„“]*$")),
}  # fmt: skip


def _syntax(lang: str) -> _Syntax | None:
    code = primary_subtag(lang)
    return _SYNTAX.get(code) if code in INFLECTING else None


def _parses(word: str, lang: str):  # type: ignore[no-untyped-def]
    return analyzer(primary_subtag(lang)).parse(word)


_CLAUSE_WORDS = re.compile(r"[\w-]+")
_CLAUSE = re.compile(r"[^.!?;,]*$")


def preposition_cases(before: str, lang: str) -> tuple[str, ...] | None:
    """Cases the preposition right before the span allows, the one meant first.

    в/на/за/под/над/перед/между with a verb of motion earlier in the clause take
    the accusative first; otherwise location (locative, instrumental) comes first.
    ``lang``: the target language (its prepositions); None for a language without them.
    """
    language = INFLECTING.get(primary_subtag(lang))
    if language is None:
        return None
    m = _WORD_BEFORE.search(before)
    cases = language.prepositions.get(m.group(1).lower()) if m else None
    if cases is None or "accs" not in cases or cases[0] == "accs":
        return cases
    clause = _CLAUSE.search(before[: m.start()] if m else before)
    if clause is not None and _motion_verb(clause.group(), lang):
        return ("accs", *(c for c in cases if c != "accs"))
    return cases


def _motion_verb(clause: str, lang: str) -> bool:
    """Does the clause hold a verb (or participle) of motion or direction?"""
    syntax = _syntax(lang)
    if syntax is None:
        return False
    for word in _CLAUSE_WORDS.findall(clause)[-8:]:
        best = _parses(word.lower(), lang)[0]
        if best.tag.POS in ("VERB", "INFN", "GRND", "PRTF", "PRTS"):
            lemma = best.normal_form
            if lemma.endswith(syntax.motion_lemmas):
                return True
    return False


def governed(
    before: str, after: str, plural: bool, person: bool, lang: str
) -> tuple[str, ...] | frozenset[str] | None:
    """The cases the context allows for a noun phrase between ``before`` and ``after``.

    ``plural``: the phrase is plural (Осы), for subject–verb agreement;
    ``person``: it names a person (an apposition after a noun takes that noun's
    case: "премьер-министром Моравецким"), otherwise a noun before governs the
    genitive ("шкипер «Ос»"). A preposition gives a tuple in order of preference
    (``narrow`` takes the first case that fits); other rules give a set of
    equally possible cases. Returns None when nothing decides, and for a
    language that is not in the table (``lang``: the target language).
    """
    syntax = _syntax(lang)
    if syntax is None:
        return None
    prep = preposition_cases(before, lang)
    if prep is not None:
        return prep  # type: ignore[return-value]
    m = _WORD_BEFORE.search(before)
    subject_slot = bool(syntax.clause_start.search(before)) or not before.strip()
    if m is not None and not m.group(1).isdigit():
        word = m.group(1)
        if _SENTENCE_START.search(before[: m.start()]):
            word = word.lower()  # capitalised only because it starts the sentence
        parses = _parses(word, lang)
        best = parses[0]
        pos = best.tag.POS
        if pos in ("ADVB", "CONJ", "PRCL", "INTJ"):
            subject_slot = True  # "Затем «Осы» забили": an adverb leaves the subject slot open
        if pos in ("ADJF", "PRTF"):
            cases = {case_of(p.tag) for p in parses if p.tag.POS in ("ADJF", "PRTF")}
            return _cases(cases)
        quoted = any(q in m.group(2) for q in '«"„“')
        if pos == "NOUN" and quoted and best.normal_form in syntax.classifiers:
            # A name in quotes after its class word stays nominative: агентства «Вестник
            # Кавказа», газеты «Правда»; not a genitive of possession (шкипер «Ос»).
            return frozenset({"nomn"})
        if pos == "NOUN" and best.score >= 0.3:
            if word[:1].isupper() or person:
                # A name part or title right before a person: same case (apposition).
                cases = {case_of(p.tag) for p in parses if p.tag.POS == "NOUN"}
                found = _cases(cases)
                if found is not None and len(found) == 1:
                    return found
                if word[:1].isupper():
                    return None
            return frozenset({"gent"})
        if (
            pos in ("VERB", "INFN")
            and has(best.tag, "tran")
            and not syntax.clause_start.search(before)
        ):
            return frozenset({"accs"})
    if subject_slot:
        verb = _finite_verb_after(after, lang)
        coordinated = syntax.coordinated.search(before) is not None
        if verb is not None and (verb == ("plur" if plural else "sing") or coordinated):
            return frozenset({"nomn"})
    return None


def _cases(cases: set) -> frozenset[str] | None:  # type: ignore[type-arg]
    found = frozenset(_norm_case(c) for c in cases if c)
    found = frozenset(c for c in found if c in CASES)
    return found or None


def _norm_case(case: str) -> str:
    return {"gen2": "gent", "gen1": "gent", "acc2": "accs", "loc2": "loct", "loc1": "loct"}.get(
        case, case
    )


def _finite(tag) -> bool:  # type: ignore[no-untyped-def]
    """A finite verb in the indicative (Ukrainian tags give no mood: a tense and no imperative)."""
    return tag.POS == "VERB" and not has(tag, "impr") and (has(tag, "indc") or bool(tag.tense))


def _finite_verb_after(after: str, lang: str) -> str | None:
    """Number of a finite verb right after the span (adverbs skipped), or None."""
    rest = after
    for _ in range(3):
        m = _WORD_AFTER.search(rest)
        if m is None or "," in m.group(1):
            return None
        word = m.group(2)
        parses = _parses(word, lang)
        verb = next((p for p in parses if _finite(p.tag)), None)
        if verb is not None and parses[0].tag.POS == "VERB":
            return number(verb.tag)
        if parses[0].tag.POS not in ("ADVB", "PRCL"):
            return None
        rest = rest[m.end() :]
    return None


def narrow(
    forms: frozenset[Form], cases: tuple[str, ...] | frozenset[str] | None
) -> frozenset[Form]:
    """``forms`` restricted to ``cases``: a tuple is an order of preference (the first
    case that fits wins), a set keeps all that fit; unchanged if nothing fits."""
    if cases is None:
        return forms
    if isinstance(cases, tuple):
        for case in cases:
            kept = frozenset(f for f in forms if f[0] == case)
            if kept:
                return kept
        return forms
    kept = frozenset(f for f in forms if f[0] in cases)
    return kept or forms
