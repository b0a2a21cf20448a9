"""Finding glossary terms in text: word-based, longest match first, morphology-aware.

The same matcher serves both sides: on the source side it finds which terms a
segment contains; on the target side it finds admitted and forbidden renderings
of those terms in any inflected form the language's morphology allows, plus
near misses (misspellings such as "Зангазура") for terms that are otherwise
missing. A term's relational adjectives (Россия → российский, derived by the
morphology or listed in the glossary's ``adj:<lang>`` column) count as admitted
renderings too. Terms are literal text: symbols in a term (C++, $) must be
found as written, and a term of symbols alone (".*") is searched as a string.

Letter case is ignored, with two exceptions: an abbreviation in capitals (ECO)
matches only capitals (``morph.case_fits``), and, in a matcher made with
``names=True`` (the source side of a check), a term written with a capital
initial is a name and matches only a capitalised word: the glossary's "Turkey"
is not the bird in "tasted a turkey". A capitalised term whose preferred rendering
in another language is in lower case ("President" → "президент") is a title, not
a name, and matches in any case, as does a term in lower case ("president"),
capitalised at the start of a sentence or not. In a segment without
any capital letter (lowercased text) capitals say nothing, so there case is
ignored.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from align.glossary.morph import ANY_FORM, Form, Morphology, get_morphology
from align.glossary.termbase import Glossary
from align.glossary.text import (
    Literal,
    Token,
    contiguous,
    fold,
    literal,
    same_literal,
    tokenize,
    visible,
    words,
)

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
    adjective: bool = False  # a relational adjective of the term (российский for Россия)


@dataclass(frozen=True)
class _Entry:
    term: str
    phrase: str
    kind: str
    rank: int
    size: int
    order: int
    adjective: bool = False
    shape: Literal | None = None  # set when the phrase has symbols that must match as written
    name: bool = False  # written with a capital initial ("Turkey"): a name


def _key(token: str) -> str:
    return fold(token)[:2]


class Matcher:
    """All renderings of a glossary in one language, indexed by their first letters.

    With ``names`` a phrase written with a capital initial matches only a word
    with a capital initial (the source side of a check: "Turkey", not "a turkey").
    """

    def __init__(
        self,
        glossary: Glossary,
        lang: str,
        morph: Morphology | None = None,
        names: bool = False,
    ) -> None:
        self.names = names
        self.lang = glossary.resolve(lang)
        self.morph = morph or get_morphology(self.lang)
        self.glossary = glossary
        self._index: dict[str, list[_Entry]] = {}
        self._symbols: list[_Entry] = []  # phrases without a word (".*"): string search
        order = 0
        for term in glossary.terms:
            admitted = term.admitted(self.lang)
            name = self.names and self._name(term)  # only read where names are matched
            for kind, phrases in (
                (ADMITTED, admitted),
                (FORBIDDEN, term.banned(self.lang)),
                (ADMITTED, self._adjectives(term, admitted)),
            ):
                adjective = kind == ADMITTED and phrases is not admitted
                base_rank = len(admitted) if adjective else 0
                for rank, phrase in enumerate(phrases, base_rank):
                    shape = literal(phrase)
                    size = len(words(phrase))
                    entry = _Entry(
                        term.id,
                        phrase,
                        kind,
                        rank,
                        size,
                        order,
                        adjective,
                        shape if shape.strict or not size else None,
                        bool(size) and name and words(phrase)[0][:1].isupper(),
                    )
                    order += 1
                    if not size:
                        if visible(phrase).strip():
                            self._symbols.append(entry)
                        continue
                    firsts = self.morph.forms(phrase)[0] | {fold(words(phrase)[0])}
                    for key in {f[:2] for f in firsts}:
                        self._index.setdefault(key, []).append(entry)
        for entries in self._index.values():
            entries.sort(key=lambda e: (-e.size, e.order))

    def _name(self, term) -> bool:  # type: ignore[no-untyped-def]
        """May the term be a name? Not when another language's preferred rendering
        is in lower case: "President" is a title written with a capital, as its
        "президент" shows, while "Turkey" → "Туреччина" is a name."""
        for lang in self.glossary.languages:
            first = words(term.preferred(lang) or "")[:1] if lang != self.lang else []
            if first and first[0][:1].islower():
                return False
        return True

    def _adjectives(self, term, admitted: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
        """The term's relational adjectives: listed ones, else derived ones; "-" turns them off."""
        listed = term.adjective_forms(self.lang)
        if listed == ["-"]:
            return []
        derive = getattr(self.morph, "adjectives", None)
        seen = {fold(p) for p in admitted}
        out: list[str] = []
        for adj in [*listed, *(a for p in admitted for a in (derive(p) if derive else ()))]:
            if fold(adj) not in seen:
                seen.add(fold(adj))
                out.append(adj)
        return out

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
        # Without a capital anywhere (lowercased text) case says nothing about names.
        cased = self.names and any(ch.isupper() for ch in text)
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
                if cased and entry.name and not span[0].text[:1].isupper():
                    continue  # "a turkey" is not the glossary's "Turkey"
                if entry.shape is None and not contiguous(text, span):
                    continue
                if best and not every_term:
                    continue
                forms = self.morph.match(entry.phrase, [t.text for t in span])
                if forms is None:
                    continue
                if any(o.term == entry.term for o in best):
                    continue
                start, end = span[0].start, span[-1].end
                if entry.shape is not None:
                    edges = _literal_span(text, span, entry.shape)
                    if edges is None:
                        continue
                    start, end = edges
                best_size = entry.size
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
                        entry.adjective,
                    )
                )
            if best:
                found.extend(best)
                i += best_size
            else:
                i += 1
        if self._symbols:
            found = self._find_symbols(text, found, wanted, kinds)
        return found

    def _find_symbols(self, text, found, wanted, kinds) -> list[Occurrence]:  # type: ignore[no-untyped-def]
        """Occurrences of word-less phrases (".*"), searched as literal strings."""
        low = text.casefold()
        extra: list[Occurrence] = []
        for entry in self._symbols:
            if entry.kind not in kinds or (wanted is not None and entry.term not in wanted):
                continue
            needle = visible(entry.phrase).strip().casefold()
            at = low.find(needle)
            while at >= 0:
                end = at + len(needle)
                clear = not any(o.start < end and at < o.end for o in [*found, *extra])
                if clear:
                    extra.append(
                        Occurrence(
                            entry.term,
                            entry.phrase,
                            entry.kind,
                            entry.rank,
                            at,
                            end,
                            text[at:end],
                            (),
                            ANY_FORM,
                        )
                    )
                at = low.find(needle, end)
        return sorted([*found, *extra], key=lambda o: o.start) if extra else found

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
        adjective, not a misspelt "Азербайджан") nor an adjective where the glossary
        word is a noun ("омикронный"), unless it is spelt exactly; ``blocked``
        token indices (words already matched) are skipped.
        """
        toks = tokenize(text) if tokens is None else tokens
        term = self.glossary.term(term_id)
        known = getattr(self.morph, "known", None)
        adjectival = getattr(self.morph, "adjectival", None)
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
                        # "омикронный" is an adjective, not a misspelt noun "омикрон"
                        or (
                            adjectival is not None and adjectival(tok.text) and not adjectival(base)
                        )
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


def _literal_span(text: str, span: list[Token], shape: Literal) -> tuple[int, int] | None:
    """Start and end of the words with the phrase's symbols around them, if present as written."""
    start, end = span[0].start, span[-1].end
    for (a, b), gap in zip(itertools.pairwise(span), shape.inner, strict=True):
        if not same_literal(text[a.end : b.start], gap):
            return None
    pre, post = shape.prefix, shape.suffix
    if pre and not same_literal(text[max(0, start - len(pre)) : start], pre):
        return None
    if post and not same_literal(text[end : end + len(post)], post):
        return None
    start -= len(pre)
    end += len(post)
    # "C++" must not match inside "C+++": the next character must not extend the symbols.
    if end < len(text) and post and not text[end].isspace() and text[end] == post[-1]:
        return None
    return start, end


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < NEAR_RATIO or matcher.quick_ratio() < NEAR_RATIO:
        return 0.0
    return matcher.ratio()


def _guess_forms(morph: Morphology, phrase: str, span: list[Token]) -> frozenset[Form]:
    """Read the case of a misspelt word from the closest correct form of each word.

    Only an ending of two letters or more shared with a correct form counts
    ("Зангизура" ~ "Зангезура"); otherwise the case is unknown (ANY_FORM).
    """
    closest: list[str] = []
    for tok, options in zip(span, morph.forms(phrase), strict=True):
        t = fold(tok.text)
        best = max(sorted(options), key=lambda o, t=t: _ending_score(t, o))
        if len(options) > 1 and _ending_score(t, best)[0] < 2:
            return ANY_FORM  # "Моравецки": no ending to read a case from
        closest.append(best)
    return morph.match(phrase, closest) or ANY_FORM


def _ending_score(word: str, form: str) -> tuple[int, float]:
    """Prefer the form that shares the longest ending, then the most similar one."""
    shared = 0
    while shared < min(len(word), len(form)) and word[-1 - shared] == form[-1 - shared]:
        shared += 1
    return shared, difflib.SequenceMatcher(None, word, form).ratio()
