"""Enforcement: replace forbidden or misspelt renderings with the glossary's term.

A change is made only when it is sure. The replacement takes the case and
number the sentence needs: read from the replaced words when they show it
("Уоспсу" → "Осам"), otherwise from the context (``syntax.governed``:
preposition, governing noun or verb, agreeing word, subject–verb agreement).
When the candidate forms would still render differently, nothing changes and
the span is reported in ``FixResult.declined`` with the reason and a suggestion,
so a reviewer can do it. Only the wrong part changes: a misspelt surname
("Трусс") becomes the admitted surname ("Трасс"), not the full name; a span that
is part of a longer name, or an original given in brackets after a correct
rendering ("Фрэнк Деберри (Frank DeBerry)"), is left alone. A form that is
itself an inflection of an admitted rendering is never replaced. A term that is
simply missing is reported, never inserted.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from align.glossary.check import Checker, Finding
from align.glossary.match import ADMITTED, FORBIDDEN, NEAR, Occurrence
from align.glossary.morph import ANY_FORM, CASES, Form, get_morphology
from align.glossary.syntax import governed, narrow, preposition_cases
from align.glossary.termbase import Glossary
from align.glossary.text import fold, is_cyrillic, words

_SENTENCE_END = re.compile(r"[.!?…]\s*$")
_OPENERS = " \t\"'«»„“”‘’([{–—-"
# Between a rendering and its original in brackets: "(", maybe a first name or two.
_GLOSS_GAP = re.compile(r"\s*\(\s*(?:[^\W\d_][\w'’.-]*\s+){0,3}")


UNDECIDED = "the context does not decide the case or number"
GUESSED = "the replaced words show no case and the name's declension is only guessed"


@dataclass
class Change:
    term: str
    before: str
    after: str
    span: tuple[int, int]


@dataclass
class Declined:
    """A wrong rendering the fixer did not change, with why and what it would suggest."""

    term: str
    text: str
    span: tuple[int, int]
    reason: str
    suggestion: str = ""


@dataclass
class FixResult:
    """``text``: the fixed target; ``changes``: each replacement (term id, ``before``,
    ``after``, ``span`` as character offsets into the *original* target); ``findings``:
    the check before fixing (missing terms are reported there, never inserted)."""

    text: str
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    declined: list[Declined] = field(default_factory=list)


def starts_sentence(text: str, start: int) -> bool:
    """Is ``start`` the first word of a sentence (after quotes, dashes, brackets)?"""
    before = text[:start].rstrip(_OPENERS)
    return not before or _SENTENCE_END.search(before) is not None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class Fixer:
    def __init__(self, glossary: Glossary, src_lang: str, tgt_lang: str) -> None:
        self.checker = Checker(glossary, src_lang, tgt_lang)
        self.glossary = glossary
        self.morph = get_morphology(self.checker.tgt_lang)

    def fix(self, source: str, target: str, line: int = 0) -> FixResult:
        analysed, spare = self.checker.analyse_all(source, target, line)
        ok_spans = [occ for f, occ in analysed if f.status == "ok" and occ is not None]
        todo = [
            (finding.term, occ, False)
            for finding, occ in analysed
            if occ is not None and finding.status != "ok" and finding.expected is not None
        ]
        seen: set[tuple[int, int]] = set()
        for occ in spare:
            if (occ.start, occ.end) not in seen:
                seen.add((occ.start, occ.end))
                todo.append((occ.term, occ, True))
        edits: list[Change] = []
        declined: list[Declined] = []
        for term, occ, is_spare in todo:
            outcome = self._plan(target, term, occ, ok_spans if is_spare else [])
            if isinstance(outcome, Change):
                edits.append(outcome)
            elif outcome is not None:
                declined.append(outcome)
        edits, doubled = _without_doubles(target, edits)
        declined += doubled
        text = target
        for change in sorted(edits, key=lambda c: c.span[0], reverse=True):
            a, b = change.span
            text = text[:a] + change.after + text[b:]
        edits.sort(key=lambda c: c.span[0])
        declined.sort(key=lambda d: d.span[0])
        return FixResult(text, edits, [f for f, _ in analysed], declined)

    # -- one span
    def _plan(
        self, target: str, term: str, occ: Occurrence, ok_spans: list[Occurrence]
    ) -> Change | Declined | None:
        span = (occ.start, occ.end)
        replacement = self._replacement(term, occ)
        if replacement is None:
            return None

        def decline(reason: str, suggestion: str = "") -> Declined:
            return Declined(term, occ.text, span, reason, suggestion)

        if self._admitted_form(target, term, occ):
            return None
        if any(_bracketed_after(target, ok, occ) for ok in ok_spans if ok.term == term):
            return decline("the original is given in brackets after a correct rendering")
        if len(words(replacement)) > len(occ.tokens) and _inside_longer_name(target, occ):
            return decline("only part of a longer name matched", replacement)
        after, reason = self._inflect(target, replacement, occ)
        if after is None:
            suggestion = self._render(replacement, _default_forms(occ))
            return decline(reason, suggestion)
        if starts_sentence(target, occ.start):
            after = _capitalise(after)
        if after == occ.text:
            return None
        return Change(term, occ.text, after, span)

    def _replacement(self, term: str, occ: Occurrence) -> str | None:
        """The admitted rendering to put in: the one a near miss resembles, else the first
        admitted one with as many words as the replaced span (only the wrong part
        changes), else the preferred one."""
        admitted = self.glossary.term(term).admitted(self.checker.tgt_lang)
        if not admitted:
            return None
        if occ.kind == NEAR:
            return occ.phrase
        size = len(occ.tokens)
        same = [a for a in admitted if len(words(a)) == size]
        return same[0] if same else admitted[0]

    def _admitted_form(self, target: str, term: str, occ: Occurrence) -> bool:
        """Is the span itself an inflected admitted rendering of ``term``?"""
        found = self.checker.tgt.find(target[occ.start : occ.end], [term], kinds=(ADMITTED,))
        return any(o.start == 0 and o.end == occ.end - occ.start for o in found)

    def _inflect(self, target: str, replacement: str, occ: Occurrence) -> tuple[str | None, str]:
        """``replacement`` in the form the sentence needs, or (None, why it is not sure)."""
        describe = getattr(self.morph, "describe", None)
        if describe is None:  # no morphology for this language: the phrase as written
            return replacement, ""
        person, plural, _ = describe(replacement)
        preferred = self.glossary.term(occ.term).preferred(self.checker.tgt_lang) or replacement
        if (
            describe(preferred)[2]
            and len(words(replacement)) == 1
            and replacement[-1] not in "аяАЯ"
        ):
            return replacement, ""  # her surname alone (Бербок) does not decline either
        forms = _default_forms(occ)
        before = target[: occ.start]
        if preposition_cases(before, self.checker.tgt_lang) is None:
            # The locative exists only after a preposition.
            forms = frozenset(f for f in forms if f[0] != "loct") or forms
        cases = governed(before, target[occ.end :], plural, person, self.checker.tgt_lang)
        narrowed = narrow(forms, cases)
        guessed = getattr(self.morph, "guessed", None)
        foreign = not all(map(is_cyrillic, occ.tokens)) or (
            guessed is not None and guessed(occ.phrase)
        )
        undeclined = foreign and fold(" ".join(occ.tokens)) == fold(" ".join(words(occ.phrase)))
        if cases and undeclined and not any(f[0] in cases for f in forms):
            # A foreign name (Latin, or a declension only guessed) in its base form
            # where the sentence needs another case: the translation left it
            # undeclined (шкипер «Уоспс»), so the context decides.
            wanted = cases[:1] if isinstance(cases, tuple) else cases
            narrowed = frozenset((c, "sing") for c in wanted)
        forms = narrowed
        rendered = {self._render(replacement, frozenset({f})) for f in forms}
        if len(rendered) != 1:
            return None, UNDECIDED
        after = rendered.pop()
        if (
            (occ.forms == ANY_FORM or len(occ.forms) >= len(CASES))
            and after != replacement
            and guessed is not None
            and guessed(replacement)
        ):
            # The replaced words show no case and the name's declension is only a
            # guess (a transliteration the dictionary lacks): not sure, so not changed.
            return None, GUESSED
        return after, ""

    def _render(self, phrase: str, forms: frozenset[Form]) -> str:
        render = getattr(self.morph, "render", None)
        return render(phrase, forms) if render is not None else phrase


def _default_forms(occ: Occurrence) -> frozenset[Form]:
    """The forms the replaced words show; a form they cannot show is read as singular.

    A misspelling's ending is a guess only when it is shared with a correct form;
    an original in its base form may be one the translation left undeclined (see
    ``Fixer._inflect``).
    """
    all_sing = frozenset((c, "sing") for c in CASES)
    if occ.kind in (FORBIDDEN, NEAR) and occ.forms and len(occ.forms) < len(CASES) * 2:
        return occ.forms
    return all_sing


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)[ \u00a0]+$")
_WORD_AFTER = re.compile(r"[ \u00a0]+([^\W\d_][\w'’-]*)")
REPEATS = "the correct rendering already stands next to it"


def _without_doubles(target: str, edits: list[Change]) -> tuple[list[Change], list[Declined]]:
    """Drop edits whose new words would repeat the word beside them ("Осы Осы").

    The translation already has the right rendering there (the wrong one is a
    stray repeat or a gloss); the neighbour is read in the text as it will be
    after the other edits, so two adjacent wrong renderings are not both fixed
    into a doubled word.
    """
    kept: list[Change] = []
    dropped: list[Declined] = []
    ordered = sorted(edits, key=lambda c: c.span[0])

    def touching(a: int, b: int) -> bool:
        return target[a:b].strip(" \u00a0") == ""

    for k, change in enumerate(ordered):
        a, b = change.span
        new = words(change.after)
        if not new:
            kept.append(change)
            continue
        if kept and touching(kept[-1].span[1], a):
            left = (words(kept[-1].after) or [""])[-1]
        else:
            m = _WORD_BEFORE.search(target[:a])
            left = m.group(1) if m else ""
        if k + 1 < len(ordered) and touching(b, ordered[k + 1].span[0]):
            right = (words(ordered[k + 1].after) or [""])[0]
        else:
            m = _WORD_AFTER.match(target[b:])
            right = m.group(1) if m else ""
        if fold(left) == fold(new[0]) or fold(right) == fold(new[-1]):
            dropped.append(Declined(change.term, change.before, change.span, REPEATS, change.after))
        else:
            kept.append(change)
    return kept, dropped


def _bracketed_after(text: str, ok: Occurrence, occ: Occurrence) -> bool:
    """Is ``occ`` in brackets right after the correct rendering ``ok`` (a gloss)?"""
    if ok.end > occ.start:
        return False
    return _GLOSS_GAP.fullmatch(text[ok.end : occ.start]) is not None


def _inside_longer_name(text: str, occ: Occurrence) -> bool:
    """Does a capitalised word stand right next to the span (it is part of a longer name)?"""
    before = _WORD_BEFORE.search(text[: occ.start])
    after = _WORD_AFTER.match(text[occ.end :])
    for m in (before, after):
        if m is not None and m.group(1)[:1].isupper() and not starts_sentence(text, m.start(1)):
            return True
    return False


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
    inflection for Russian and Ukrainian), so "в Степанакерте" becomes "в Ханкенди"; only matched
    spans change, and a term that is simply missing is never inserted.

    Returns:
        A FixResult; spans in ``changes`` are character offsets into ``target``.

    Raises:
        InputError: the glossary has no column for a language.
    """
    return _fixer(glossary, src_lang, tgt_lang).fix(source, target)
