"""Enforcement: replace forbidden or misspelt renderings with the preferred term.

The replacement takes the case and number of the words it replaces (read from
the glossary phrase they matched), so "в Степанакерте" becomes "в Ханкенди" and
"Кавказского вестника" becomes "Вестника Кавказа". Only the matched span
changes; a term that is simply missing is reported, never inserted.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from align.glossary.check import Checker, Finding
from align.glossary.morph import get_morphology
from align.glossary.termbase import Glossary

_SENTENCE_END = re.compile(r"[.!?…]\s*$")
_OPENERS = " \t\"'«»„“”‘’([{–—-"


@dataclass
class Change:
    term: str
    before: str
    after: str
    span: tuple[int, int]


@dataclass
class FixResult:
    """``text``: the fixed target; ``changes``: each replacement (term id, ``before``,
    ``after``, ``span`` as character offsets into the *original* target); ``findings``:
    the check before fixing (missing terms are reported there, never inserted)."""

    text: str
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def starts_sentence(text: str, start: int) -> bool:
    """Is ``start`` the first word of a sentence (after quotes, dashes, brackets)?"""
    before = text[:start].rstrip(_OPENERS)
    return not before or _SENTENCE_END.search(before) is not None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class Fixer:
    def __init__(self, glossary: Glossary, src_lang: str, tgt_lang: str) -> None:
        self.checker = Checker(glossary, src_lang, tgt_lang)
        self.morph = get_morphology(self.checker.tgt_lang)

    def fix(self, source: str, target: str, line: int = 0) -> FixResult:
        analysed, spare = self.checker.analyse_all(source, target, line)
        todo = [
            (finding.term, finding.expected, occ)
            for finding, occ in analysed
            if occ is not None and finding.status != "ok" and finding.expected is not None
        ]
        seen: set[tuple[int, int]] = set()
        for occ in spare:
            if (occ.start, occ.end) not in seen:
                seen.add((occ.start, occ.end))
                todo.append((occ.term, self.checker.expected(occ.term), occ))
        edits: list[Change] = []
        for term, expected, occ in todo:
            if expected is None:
                continue
            after = self.morph.inflect(
                expected,
                like=occ.tokens,
                like_base=occ.phrase,
                forms=occ.forms,
                before=target[: occ.start],
            )
            if starts_sentence(target, occ.start):
                after = _capitalise(after)
            if after == occ.text:
                continue
            edits.append(Change(term, occ.text, after, (occ.start, occ.end)))
        text = target
        for change in sorted(edits, key=lambda c: c.span[0], reverse=True):
            a, b = change.span
            text = text[:a] + change.after + text[b:]
        edits.sort(key=lambda c: c.span[0])
        return FixResult(text, edits, [f for f, _ in analysed])


_FIXERS: OrderedDict[tuple[int, str, str], tuple[Glossary, int, Fixer]] = OrderedDict()


def _fixer(glossary: Glossary, src_lang: str, tgt_lang: str) -> Fixer:
    """Reuse the prepared matchers across calls (MT fixes segments one at a time).

    A loaded glossary is treated as read-only; edit it and the cache notices only
    a change in the number of terms, so build a new ``Fixer`` after editing one.
    """
    key = (id(glossary), src_lang, tgt_lang)
    hit = _FIXERS.get(key)
    if hit is not None and hit[0] is glossary and hit[1] == len(glossary.terms):
        _FIXERS.move_to_end(key)
        return hit[2]
    fixer = Fixer(glossary, src_lang, tgt_lang)
    _FIXERS[key] = (glossary, len(glossary.terms), fixer)
    while len(_FIXERS) > 8:
        _FIXERS.popitem(last=False)
    return fixer


def fix_segment(
    glossary: Glossary, source: str, target: str, src_lang: str, tgt_lang: str
) -> FixResult:
    """Replace forbidden or misspelt term renderings in ``target`` by the preferred one.

    The replacement takes the case and number of the words it replaces (pymorphy3
    inflection for Russian), so "в Степанакерте" becomes "в Ханкенди"; only matched
    spans change, and a term that is simply missing is never inserted.

    Returns:
        A FixResult; spans in ``changes`` are character offsets into ``target``.

    Raises:
        InputError: the glossary has no column for a language.
    """
    return _fixer(glossary, src_lang, tgt_lang).fix(source, target)
