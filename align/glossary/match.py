"""Finding glossary terms in text: word-based, longest match first, morphology-aware.

The same matcher serves both sides: on the source side it finds which terms a
segment contains; on the target side it finds admitted and forbidden renderings
of those terms in any inflected form the language's morphology allows, plus
near misses (misspellings such as "Зангазура") for terms that are otherwise
missing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from align.glossary.morph import ANY_FORM, Form, Morphology, get_morphology
from align.glossary.termbase import Glossary
from align.glossary.text import Token, contiguous, fold, tokenize, words

ADMITTED, FORBIDDEN, NEAR = "admitted", "forbidden", "near"
NEAR_RATIO = 0.8


@dataclass(frozen=True)
class Occurrence:
    """One matched rendering: which term, which glossary phrase, where, in which form."""

    term: str
    phrase: str
    kind: str  # admitted | forbidden | near
    rank: int  # position of ``phrase`` among the term's renderings (0 = preferred)
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]
    forms: frozenset[Form]


@dataclass(frozen=True)
class _Entry:
    term: str
    phrase: str
    kind: str
    rank: int
    size: int
    order: int


def _key(token: str) -> str:
    return fold(token)[:2]


class Matcher:
    """All renderings of a glossary in one language, indexed by their first letters."""

    def __init__(self, glossary: Glossary, lang: str, morph: Morphology | None = None) -> None:
        self.lang = glossary.resolve(lang)
        self.morph = morph or get_morphology(self.lang)
        self.glossary = glossary
        self._index: dict[str, list[_Entry]] = {}
        order = 0
        for term in glossary.terms:
            for kind, phrases in (
                (ADMITTED, term.admitted(self.lang)),
                (FORBIDDEN, term.banned(self.lang)),
            ):
                for rank, phrase in enumerate(phrases):
                    size = len(words(phrase))
                    if not size:
                        continue
                    entry = _Entry(term.id, phrase, kind, rank, size, order)
                    order += 1
                    firsts = self.morph.forms(phrase)[0] | {fold(words(phrase)[0])}
                    for key in {f[:2] for f in firsts}:
                        self._index.setdefault(key, []).append(entry)
        for entries in self._index.values():
            entries.sort(key=lambda e: (-e.size, e.order))

    def find(
        self,
        text: str,
        terms: Iterable[str] | None = None,
        kinds: tuple[str, ...] = (ADMITTED,),
        every_term: bool = False,
        tokens: list[Token] | None = None,
    ) -> list[Occurrence]:
        """Non-overlapping occurrences, scanning left to right, longest first.

        With ``every_term`` a span that renders several terms (an abbreviation
        admitted for both the short and the long name) is reported once per term;
        otherwise only for the first term in glossary order.
        """
        wanted = None if terms is None else set(terms)
        toks = tokenize(text) if tokens is None else tokens
        found: list[Occurrence] = []
        i = 0
        while i < len(toks):
            best: list[Occurrence] = []
            best_size = 0
            for entry in self._index.get(_key(toks[i].text), ()):
                if entry.size < best_size:
                    break
                if entry.kind not in kinds or (wanted is not None and entry.term not in wanted):
                    continue
                span = toks[i : i + entry.size]
                if len(span) < entry.size:
                    continue
                if not contiguous(text, span):
                    continue
                if best and not every_term:
                    continue
                forms = self.morph.match(entry.phrase, [t.text for t in span])
                if forms is None:
                    continue
                if any(o.term == entry.term for o in best):
                    continue
                best_size = entry.size
                start, end = span[0].start, span[-1].end
                best.append(
                    Occurrence(
                        entry.term,
                        entry.phrase,
                        entry.kind,
                        entry.rank,
                        start,
                        end,
                        text[start:end],
                        tuple(t.text for t in span),
                        forms,
                    )
                )
            if best:
                found.extend(best)
                i += best_size
            else:
                i += 1
        return found

    def near_misses(
        self,
        text: str,
        term_id: str,
        blocked: set[int],
        tokens: list[Token] | None = None,
    ) -> list[Occurrence]:
        """Windows of words that look like a misspelt admitted rendering of ``term_id``.

        Every word must be close to some form of the corresponding glossary word
        (difflib ratio ≥ 0.8), keep its capital letter, be at least four letters
        long and not be a dictionary word of its own ("Азербайджанские" is an
        adjective, not a misspelt "Азербайджан") unless it is spelt exactly; ``blocked`` token indices (words
        already matched) are skipped.
        """
        toks = tokenize(text) if tokens is None else tokens
        term = self.glossary.term(term_id)
        known = getattr(self.morph, "known", None)
        out: list[Occurrence] = []
        taken: set[int] = set(blocked)
        for rank, phrase in enumerate(term.admitted(self.lang)):
            bases = words(phrase)
            forms = self.morph.forms(phrase)
            n = len(bases)
            for i in range(len(toks) - n + 1):
                idx = range(i, i + n)
                if any(j in taken for j in idx):
                    continue
                span = toks[i : i + n]
                if not contiguous(text, span):
                    continue
                score = 1.0
                exact = True
                for tok, base, options in zip(span, bases, forms, strict=True):
                    t = fold(tok.text)
                    if t in options:
                        continue
                    exact = False
                    if (
                        len(t) < 4
                        or (base[:1].isupper() and not tok.text[:1].isupper())
                        or (known is not None and known(tok.text))
                    ):
                        score = 0.0
                        break
                    score = min(score, max(_ratio(t, o) for o in options))
                    if score < NEAR_RATIO:
                        break
                if exact or score < NEAR_RATIO:
                    continue
                forms_found = self.morph.match(phrase, [t.text for t in span])
                start, end = span[0].start, span[-1].end
                out.append(
                    Occurrence(
                        term_id,
                        phrase,
                        NEAR,
                        rank,
                        start,
                        end,
                        text[start:end],
                        tuple(t.text for t in span),
                        forms_found or _guess_forms(self.morph, phrase, span),
                    )
                )
                taken.update(idx)
        out.sort(key=lambda o: o.start)
        return out


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < NEAR_RATIO or matcher.quick_ratio() < NEAR_RATIO:
        return 0.0
    return matcher.ratio()


def _guess_forms(morph: Morphology, phrase: str, span: list[Token]) -> frozenset[Form]:
    """Read the case of a misspelt word from the closest correct form of each word."""
    closest: list[str] = []
    for tok, options in zip(span, morph.forms(phrase), strict=True):
        t = fold(tok.text)
        closest.append(max(sorted(options), key=lambda o, t=t: _ending_score(t, o)))
    return morph.match(phrase, closest) or ANY_FORM


def _ending_score(word: str, form: str) -> tuple[int, float]:
    """Prefer the form that shares the longest ending, then the most similar one."""
    shared = 0
    while shared < min(len(word), len(form)) and word[-1 - shared] == form[-1 - shared]:
        shared += 1
    return shared, difflib.SequenceMatcher(None, word, form).ratio()
