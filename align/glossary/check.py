"""Term QA: for every source-term occurrence, is an admitted rendering in the target?

Statuses: ``ok`` (an admitted rendering, in any inflected form), ``forbidden`` (a
known wrong variant instead) and ``missing`` (neither). A missing term whose
target holds a near miss ("Зангазура" for Зангезур) carries that text in
``found`` with ``detail="misspelled"`` so a fixer can repair it; otherwise
``found`` is None. Each target span answers for at most one source occurrence,
so a term named twice in the source must be rendered twice.

Source terms match whole names only: "France" in "Hauts-de-France" or "Assam"
in "Assam Jatiya Parishad" is part of a longer name the glossary does not list,
so it is not an occurrence (see ``_name_occurrences``). A name's last word is its head,
though: a term after other capitalised words (first names: "Recep Tayyip
Erdoğan") is an occurrence when the target renders it; only its absence is
not reported, as "South Georgia" is not "Georgia".

A term written with a capital initial is a name and matches only capitalised
words (``Matcher(names=True)``): with "Turkey" in the glossary, "tasted a turkey"
has no occurrence, while "Turkey" and "TURKEY" are; a title the glossary
capitalises but renders in lower case ("President" → "президент") and a lowercase
term match in any case, at the start of a sentence too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from align.glossary.match import ADMITTED, FORBIDDEN, Matcher, Occurrence
from align.glossary.termbase import Glossary
from align.glossary.text import Token, joinable, tokenize

# Capitalised words that introduce a name without being part of it.
_TITLES = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady king queen prince princess
    president vice minister prime secretary chancellor senator governor mayor general
    colonel captain coach judge justice pope saint st the a an in on at of for to by from
    with and or but as after before since during under over between into about against
    says said via new old former late""".split()  # noqa: SIM905
)
_TITLE_CASE_SHARE = 0.85


def _is_name_word(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _name_occurrences(
    source: str, occurrences: list[Occurrence], target: str
) -> list[tuple[Occurrence, bool]]:
    """Occurrences that are whole names, each with whether other capitalised words (not
    titles such as President, not the sentence's first word) stand right before it,
    joined by spaces: a surname after first names or another name's head.

    An occurrence is dropped when it is only part of a longer capitalised name: a
    capitalised word follows it (Assam Jatiya Parishad), it is hyphen-linked to
    capitalised words (Hauts-de-France), or the translation copies the longer name
    verbatim (Haryali London); a neighbour that is itself a glossary term does not
    count (Russia-Ukraine). Capitalised words only *before* it do not make it part of
    another name: the last word is a name's head, and first names (Recep Tayyip
    Erdoğan) precede a surname; the check reports such a term only when the target
    renders it ("South Georgia" is not "Georgia"). In a title-case headline capitals
    say nothing, so there (and in an all-caps line) only a copied longer name counts.
    Lowercase occurrences are never dropped.
    """
    if not occurrences:
        return []
    toks = tokenize(source)
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = {t.end: i for i, t in enumerate(toks)}
    covered = {i for o in occurrences for i, t in enumerate(toks) if o.start <= t.start < o.end}
    alpha = [t for t in toks if t.text[:1].isalpha()]
    # In a title-case or all-caps headline ("TURKEY CLOSES BORDER") capitals say nothing.
    all_caps = (
        len(alpha) >= 2
        and any(ch.isupper() for ch in source)
        and not any(ch.islower() for ch in source)
    )
    title_case = all_caps or (
        len(alpha) >= 4
        and sum(t.text[:1].isupper() for t in alpha) >= _TITLE_CASE_SHARE * len(alpha)
    )
    kept: list[tuple[Occurrence, bool]] = []
    for occ in occurrences:
        first, last = starts.get(occ.start), ends.get(occ.end)
        if first is None or last is None or not occ.text[:1].isupper():
            kept.append((occ, False))
            continue
        left = _extend(source, toks, first, -1, covered)
        # A possessive ends the name: "Iran's Health Ministry", "Ardern's COVID response".
        possessive = toks[last].text.lower().endswith(("'s", "’s")) or source[
            occ.end : occ.end + 1
        ] in ("'", "’")
        right = last if possessive else _extend(source, toks, last, 1, covered)
        # A translation that copies the longer name verbatim (Haryali London) shows it is one.
        wide = _extend(source, toks, first, -1, covered, initial=True)
        longer = source[toks[wide].start : toks[right].end]
        copied = (wide, right) != (first, last) and longer in target
        if copied:
            continue
        if title_case:
            kept.append((occ, False))
            continue
        # Hyphen-linked words before it are one compound name with it (Hauts-de-France).
        hyphened = any("-" in source[toks[k].end : toks[k + 1].start] for k in range(left, first))
        if right != last or hyphened:
            continue
        kept.append((occ, left != first))
    return kept


def _extend(
    source: str, toks: list[Token], i: int, step: int, covered: set[int], initial: bool = False
) -> int:
    """Index of the farthest token the name at ``i`` extends to in direction ``step``."""
    j = i
    while 0 <= j + step < len(toks):
        a, b = (toks[j], toks[j + step]) if step > 0 else (toks[j + step], toks[j])
        if not joinable(source, a, b) or (j + step) in covered:
            break
        nxt = toks[j + step]
        hyphen = "-" in source[a.end : b.start]
        if hyphen:
            # Hauts-de-France: a hyphen chain with a capitalised word is one name.
            k, chain = j + step, []
            while 0 <= k < len(toks):
                chain.append(k)
                x, y = (toks[k], toks[k + step]) if step > 0 else (toks[k + step], toks[k])
                if not (0 <= k + step < len(toks)) or "-" not in source[x.end : y.start]:
                    break
                k += step
            if any(_is_name_word(toks[c]) and c not in covered for c in chain):
                j = chain[-1]
                continue
            break
        if not _is_name_word(nxt) or nxt.text.lower() in _TITLES:
            break
        if step < 0 and j + step == 0 and not initial:
            break  # the sentence's first word is capitalised anyway
        j += step
    return j


@dataclass
class Finding:
    """One source-term occurrence and how the target renders it.

    ``line``: 0-based segment index; ``term``: the term id; ``source``: the source
    words matched; ``expected``: the preferred target rendering; ``found``: what the
    target has (None if nothing); ``status``: ``ok`` (an admitted rendering),
    ``forbidden`` (a listed wrong one) or ``missing``; ``source_span``/``target_span``:
    ``(start, end)`` character offsets into the source / target segment.
    """

    line: int
    term: str
    source: str
    expected: str | None
    found: str | None
    status: str  # ok | forbidden | missing
    source_span: tuple[int, int]
    target_span: tuple[int, int] | None
    detail: str = ""


class Checker:
    """A glossary prepared for one language pair; reuse it across segments."""

    def __init__(self, glossary: Glossary, src_lang: str, tgt_lang: str) -> None:
        self.glossary = glossary
        # Source terms written with a capital initial are names: "Turkey", not "a turkey".
        self.src = Matcher(glossary, src_lang, names=True)
        self.tgt = Matcher(glossary, tgt_lang)
        self.tgt_lang = self.tgt.lang
        self._expected = {t.id: t.preferred(self.tgt_lang) for t in glossary.terms}

    def analyse(
        self, source: str, target: str, line: int = 0
    ) -> list[tuple[Finding, Occurrence | None]]:
        """Findings in source order, each with the target occurrence it rests on."""
        return self.analyse_all(source, target, line)[0]

    def analyse_all(
        self, source: str, target: str, line: int = 0
    ) -> tuple[list[tuple[Finding, Occurrence | None]], list[Occurrence]]:
        """Like ``analyse``, plus forbidden renderings left over once every source
        occurrence has its rendering (a translation that names a term more often
        than the source); a fixer replaces those too."""
        occurrences = [o for o in self.src.find(source) if self._expected.get(o.term) is not None]
        named = _name_occurrences(source, occurrences, target)
        occurrences = [occ for occ, _ in named]
        if not occurrences:
            return [], []
        present = {o.term for o in occurrences}
        tokens = tokenize(target)
        candidates = self.tgt.find(
            target, present, kinds=(ADMITTED, FORBIDDEN), every_term=True, tokens=tokens
        )
        used: set[tuple[int, int]] = set()
        assigned: list[Occurrence | None] = [None] * len(occurrences)

        def take(i: int, ok) -> bool:  # type: ignore[no-untyped-def]
            for cand in candidates:
                span = (cand.start, cand.end)
                if span not in used and cand.term == occurrences[i].term and ok(cand):
                    used.add(span)
                    assigned[i] = cand
                    return True
            return False

        passes = (
            lambda c: c.kind == ADMITTED and c.rank == 0,
            lambda c: c.kind == ADMITTED,
            lambda c: c.kind == FORBIDDEN,
        )
        for ok in passes:
            for i in range(len(occurrences)):
                if assigned[i] is None:
                    take(i, ok)
        # A rendering nested inside a longer one still counts for its own term:
        # "Russia's Minister of Emergency Situations" → "министр России по ЧС".
        for i in range(len(occurrences)):
            if assigned[i] is None:
                self._nested(i, occurrences, assigned, candidates, used, target)
        missing = [i for i in range(len(occurrences)) if assigned[i] is None]
        if missing:
            blocked = {
                k
                for k, tok in enumerate(tokens)
                if any(c.start <= tok.start < c.end for c in candidates)
            }
            near: dict[str, list[Occurrence]] = {}
            for i in missing:
                term = occurrences[i].term
                if term not in near:
                    near[term] = self.tgt.near_misses(target, term, blocked, tokens)
                for cand in near[term]:
                    span = (cand.start, cand.end)
                    if span not in used:
                        used.add(span)
                        assigned[i] = cand
                        break
        out: list[tuple[Finding, Occurrence | None]] = []
        for (occ, after), cand in zip(named, assigned, strict=True):
            if cand is None and after:
                continue  # maybe the head of another name (South Georgia): not reported missing
            if cand is None:
                status, detail = "missing", ""
            elif cand.kind == ADMITTED:
                status, detail = "ok", ""
            elif cand.kind == FORBIDDEN:
                status, detail = "forbidden", ""
            else:
                status, detail = "missing", "misspelled"
            finding = Finding(
                line=line,
                term=occ.term,
                source=occ.text,
                expected=self._expected[occ.term],
                found=None if cand is None else cand.text,
                status=status,
                source_span=(occ.start, occ.end),
                target_span=None if cand is None else (cand.start, cand.end),
                detail=detail,
            )
            out.append((finding, cand))
        taken = {(c.start, c.end) for c in assigned if c is not None}
        spare = [
            c
            for c in candidates
            if c.kind == FORBIDDEN
            and (c.start, c.end) not in taken
            and not any(a <= c.start < b for a, b in taken)
        ]
        return out, spare

    def _nested(self, i, occurrences, assigned, candidates, used, target) -> None:  # type: ignore[no-untyped-def]
        term = occurrences[i].term
        for outer in candidates:
            if outer.term == term:
                continue
            inner = self.tgt.find(target[outer.start : outer.end], [term])
            for cand in inner:
                shifted = replace(cand, start=cand.start + outer.start, end=cand.end + outer.start)
                span = (shifted.start, shifted.end)
                if span not in used:
                    used.add(span)
                    assigned[i] = shifted
                    return

    def expected(self, term_id: str) -> str | None:
        """The preferred target rendering of a term."""
        return self._expected.get(term_id)

    def check(self, source: str, target: str, line: int = 0) -> list[Finding]:
        return [f for f, _ in self.analyse(source, target, line)]


def check_segments(
    glossary: Glossary,
    sources: Sequence[str],
    targets: Sequence[str],
    src_lang: str,
    tgt_lang: str,
) -> list[Finding]:
    """Check each target segment for the glossary terms its source segment contains.

    Russian and Ukrainian (the languages of ``morph.INFLECTING``) are matched in any
    case and number, so "в Ханкенди", "Восточного Зангезура" and "щодо Сирії" count
    as admitted. Method: the
    term-check of CAT tools' QA (OmegaT's glossary, Xbench) with morphology added.

    Args:
        glossary: the termbase; sources, targets: line-aligned segments (same length).
        src_lang, tgt_lang: BCP 47 codes; each must match a glossary column.

    Returns:
        Findings in segment then source order; ``Finding.line`` is the 0-based index.

    Raises:
        ValueError: ``sources`` and ``targets`` differ in length.
        InputError: the glossary has no column for a language.
    """
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} source segments but {len(targets)} target segments")
    checker = Checker(glossary, src_lang, tgt_lang)
    findings: list[Finding] = []
    for line, (source, target) in enumerate(zip(sources, targets, strict=True)):
        findings.extend(checker.check(source, target, line))
    return findings
