"""Which case a Russian noun phrase must take, read from the words around it.

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
nouns; agreement of attributes and subject–predicate); the parses come from
pymorphy3.
"""

from __future__ import annotations

import re

from align.glossary.morph import CASES, PREPOSITIONS, Form, russian_analyzer

_WORD_BEFORE = re.compile(r"([\w-]+)([\s«\"„“'(]*)$")
_WORD_AFTER = re.compile(r"^([\s»\"”'),]*)([\w-]+)")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+)[«\"„“(\s]*$")
_CLAUSE_START = re.compile(r"(^|[.!?;:,—–(]\s*|\b(и|а|но|когда|что|если|пока|хотя)\s+)[«\"„“]*$")


# Class words a quoted name stands next to in apposition.
CLASSIFIERS = frozenset(
    """агентство газета журнал издание телеканал канал радиостанция компания фирма банк
    фонд корпорация концерн холдинг партия движение организация объединение союз клуб
    команда сериал телесериал фильм программа проект операция группа завод комбинат
    завод отель гостиница ресторан магазин стадион курорт аэропорт порт корабль судно
    фестиваль конкурс премия сайт портал приложение сервис платформа бренд марка""".split()  # noqa: SIM905
)


def _parses(word: str):  # type: ignore[no-untyped-def]
    return russian_analyzer().parse(word)


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
_CLAUSE_WORDS = re.compile(r"[\w-]+")
_CLAUSE = re.compile(r"[^.!?;,]*$")


def preposition_cases(before: str) -> tuple[str, ...] | None:
    """Cases the preposition right before the span allows, the one meant first.

    в/на/за/под/над/перед/между with a verb of motion earlier in the clause take
    the accusative first; otherwise location (locative, instrumental) comes first.
    """
    m = _WORD_BEFORE.search(before)
    cases = PREPOSITIONS.get(m.group(1).lower()) if m else None
    if cases is None or "accs" not in cases or cases[0] == "accs":
        return cases
    clause = _CLAUSE.search(before[: m.start()] if m else before)
    if clause is not None and _motion_verb(clause.group()):
        return ("accs", *(c for c in cases if c != "accs"))
    return cases


def _motion_verb(clause: str) -> bool:
    """Does the clause hold a verb (or participle) of motion or direction?"""
    for word in _CLAUSE_WORDS.findall(clause)[-8:]:
        best = _parses(word.lower())[0]
        if best.tag.POS in ("VERB", "INFN", "GRND", "PRTF", "PRTS"):
            lemma = best.normal_form
            if lemma.endswith(_MOTION_LEMMAS):
                return True
    return False


def governed(
    before: str, after: str, plural: bool, person: bool
) -> tuple[str, ...] | frozenset[str] | None:
    """The cases the context allows for a noun phrase between ``before`` and ``after``.

    ``plural``: the phrase is plural (Осы), for subject–verb agreement;
    ``person``: it names a person (an apposition after a noun takes that noun's
    case: "премьер-министром Моравецким"), otherwise a noun before governs the
    genitive ("шкипер «Ос»"). A preposition gives a tuple in order of preference
    (``narrow`` takes the first case that fits); other rules give a set of
    equally possible cases. Returns None when nothing decides.
    """
    prep = preposition_cases(before)
    if prep is not None:
        return prep  # type: ignore[return-value]
    m = _WORD_BEFORE.search(before)
    subject_slot = bool(_CLAUSE_START.search(before)) or not before.strip()
    if m is not None and not m.group(1).isdigit():
        word = m.group(1)
        if _SENTENCE_START.search(before[: m.start()]):
            word = word.lower()  # capitalised only because it starts the sentence
        parses = _parses(word)
        best = parses[0]
        pos = best.tag.POS
        if pos in ("ADVB", "CONJ", "PRCL", "INTJ"):
            subject_slot = True  # "Затем «Осы» забили": an adverb leaves the subject slot open
        if pos in ("ADJF", "PRTF"):
            cases = {p.tag.case for p in parses if p.tag.POS in ("ADJF", "PRTF")}
            return _cases(cases)
        quoted = any(q in m.group(2) for q in '«"„“')
        if pos == "NOUN" and quoted and best.normal_form in CLASSIFIERS:
            # A name in quotes after its class word stays nominative: агентства «Вестник
            # Кавказа», газеты «Правда»; not a genitive of possession (шкипер «Ос»).
            return frozenset({"nomn"})
        if pos == "NOUN" and best.score >= 0.3:
            if word[:1].isupper() or person:
                # A name part or title right before a person: same case (apposition).
                cases = {p.tag.case for p in parses if p.tag.POS == "NOUN"}
                found = _cases(cases)
                if found is not None and len(found) == 1:
                    return found
                if word[:1].isupper():
                    return None
            return frozenset({"gent"})
        if pos in ("VERB", "INFN") and "tran" in best.tag and not _CLAUSE_START.search(before):
            return frozenset({"accs"})
    if subject_slot:
        verb = _finite_verb_after(after)
        if verb is not None and (verb == ("plur" if plural else "sing") or _coordinated(before)):
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


def _finite_verb_after(after: str) -> str | None:
    """Number of a finite verb right after the span (adverbs skipped), or None."""
    rest = after
    for _ in range(3):
        m = _WORD_AFTER.search(rest)
        if m is None or "," in m.group(1):
            return None
        word = m.group(2)
        parses = _parses(word)
        verb = next((p for p in parses if p.tag.POS == "VERB" and "indc" in p.tag), None)
        if verb is not None and parses[0].tag.POS == "VERB":
            return verb.tag.number
        if parses[0].tag.POS not in ("ADVB", "PRCL"):
            return None
        rest = rest[m.end() :]
    return None


def _coordinated(before: str) -> bool:
    """Is the span the second member of "X и Y" (then a plural verb agrees)?"""
    return re.search(r"\bи\s+[«\"„“]*$", before) is not None


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
