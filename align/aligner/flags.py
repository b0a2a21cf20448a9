"""Why a bead needs a translator's eye: the reasons shown next to each flag.

Six kinds, each with a plain-language text: ``null`` (a line with no
counterpart), ``low`` (the aligner's calibrated probability that the bead is right is
below the review threshold, :mod:`align.aligner.calibration`), ``unsupported`` (a
language the embedding model was not trained on, :mod:`align.aligner.languages`, and a
probability short of a clear pair), ``length`` (one side far longer than this
document's usual ratio), ``language`` (a side not written in its language's
script, e.g. an untranslated English line in the Russian column) and
``glossary`` (a forbidden or missing term rendering, from
:class:`align.glossary.Checker`). ``align run``'s report and ``align review``
share them, so both give the same reason for the same bead.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from align.aligner.languages import covered
from align.text.script import expected_script

CLEAR_PAIR = 0.8  # a probability of being right above which a pair needs no second look
LENGTH_FACTOR = 2.2  # flagged when a side is this much longer than the document's usual ratio
LENGTH_MIN_CHARS = 25  # ... and the longer side has at least this many characters
_SCRIPT_CLASS = {
    "Latin": "A-Za-z\u00c0-\u024f",
    "Cyrillic": "\u0400-\u04ff",
    "Greek": "\u0370-\u03ff",
    "Arabic": "\u0600-\u06ff",
    "Armenian": "\u0530-\u058f",
}
_LETTER = re.compile(r"[^\W\d_]")
SCRIPT_SAMPLE = 80


@dataclass
class Reason:
    code: str  # null | low | unsupported | length | language | glossary
    text: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass
class GlossaryMarks:
    """Glossary spans of one bead: source terms (neutral) and target renderings with status."""

    src: list[tuple[int, int]] = field(default_factory=list)
    tgt: list[tuple[int, int, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fixable: bool = False  # a forbidden or misspelt rendering that glossary fix can replace


NO_MARKS = GlossaryMarks()


def embedding_supports(lang: str) -> bool:
    """True if the sentence encoder was trained on ``lang`` (:func:`languages.covered`)."""
    return covered(lang)


def unsupported_note(src_lang: str, tgt_lang: str) -> str | None:
    """A page-level note when the embedding model was not trained on a language."""
    missing = [x for x in (src_lang, tgt_lang) if not embedding_supports(x)]
    if not missing:
        return None
    return (
        f"unsupported language: the alignment model was not trained on {', '.join(missing)}; "
        "its confidence scores are less reliable, so check more than the flagged beads"
    )


class ScriptCheck:
    """Is a text written in the script of its language? (cheap regex counts, no model)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.script = expected_script(lang)
        cls = _SCRIPT_CLASS.get(self.script or "")
        self._own = re.compile(f"[{cls}]") if cls else None

    def mismatch(self, text: str) -> bool:
        """True when under half the letters of (the start of) ``text`` are in the script.

        The first :data:`SCRIPT_SAMPLE` characters decide: a line in the wrong
        language is wrong from its first words, and opening 20,000 beads stays fast.
        For a non-Latin script a sample that is mostly non-ASCII passes without a
        count (the mistake this catches is an untranslated Latin-script line).
        """
        if self._own is None:
            return False
        sample = text[:SCRIPT_SAMPLE]
        if self.script == "Latin":
            if sample.isascii():
                return False  # every ASCII letter is Latin
        elif len(sample.encode("ascii", "ignore")) * 2 < len(sample):
            return False  # mostly non-ASCII characters: no Latin-script line in disguise
        letters = len(_LETTER.findall(sample))
        if letters < 8:
            return False  # names, numbers, "OK": too little to tell
        return len(self._own.findall(sample)) < 0.5 * letters


def usual_ratio(pairs: Sequence[tuple[str, str]]) -> float:
    """Median target/source length ratio over the pairs with text on both sides."""
    ratios = [len(t) / len(s) for s, t in pairs if len(s) >= 10 and len(t) >= 10]
    return statistics.median(ratios) if ratios else 1.0


class Flagger:
    """Reasons for one document's beads (languages, usual length ratio, glossary checker)."""

    def __init__(
        self,
        src_lang: str,
        tgt_lang: str,
        ratio: float = 1.0,
        glossary=None,
        review_below: float | None = None,
    ) -> None:
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.ratio = ratio or 1.0
        self.scripts = {"src": ScriptCheck(src_lang), "tgt": ScriptCheck(tgt_lang)}
        self.unsupported = [x for x in (src_lang, tgt_lang) if not embedding_supports(x)]
        if review_below is None:  # the aligner's own threshold, so both flag the same beads
            from align.aligner.calibration import load

            review_below = load().threshold(bool(self.unsupported))
        self.review_below = review_below
        self.checker = None
        if glossary is not None:
            from align.glossary import Checker

            self.checker = Checker(glossary, src_lang, tgt_lang)

    def glossary(self, src: str, tgt: str) -> GlossaryMarks:
        """Glossary spans and problems of one bead (empty without a glossary); do not mutate."""
        if self.checker is None or not src:
            return NO_MARKS
        marks = GlossaryMarks()
        for f in self.checker.check(src, tgt):
            marks.src.append(tuple(f.source_span))
            if f.target_span:
                marks.tgt.append((f.target_span[0], f.target_span[1], f.status))
            if f.status == "forbidden" or (f.status == "missing" and f.found):
                marks.fixable = True
            if f.status == "forbidden":
                marks.problems.append(
                    f"glossary: “{f.found}” is a forbidden rendering of {f.source}; "
                    f"use “{f.expected}”"
                )
            elif f.status == "missing" and tgt:
                near = f" (near miss “{f.found}”)" if f.found else ""
                marks.problems.append(
                    f"glossary: {f.source} should be rendered “{f.expected}”{near}"
                )
        return marks

    def reasons(
        self, src: str, tgt: str, score: float | None, marks: GlossaryMarks | None = None
    ) -> list[Reason]:
        """Reasons to review a bead with joined texts ``src``/``tgt`` and aligner ``score``."""
        out: list[Reason] = []
        if not src or not tgt:
            missing = "target" if src else "source"
            out.append(Reason("null", f"unmatched: no {missing} line pairs with this one"))
        elif score is not None and score < self.review_below:
            out.append(
                Reason(
                    "low",
                    f"low confidence: probability {score:.4f} of being right "
                    f"(review below {self.review_below:.4f})",
                )
            )
        if self.unsupported and score is not None and self.review_below <= score < CLEAR_PAIR:
            out.append(
                Reason(
                    "unsupported",
                    f"unsupported language: the alignment model was not trained on "
                    f"{', '.join(self.unsupported)}, so probability {score:.2f} is not a clear pair",
                )
            )
        if src and tgt:
            longer = max(len(src), len(tgt))
            rel = (len(tgt) / len(src)) / self.ratio
            if longer >= LENGTH_MIN_CHARS and (rel > LENGTH_FACTOR or rel < 1 / LENGTH_FACTOR):
                side, factor = ("target", rel) if rel > 1 else ("source", 1 / rel)
                out.append(
                    Reason("length", f"length: the {side} is {factor:.1f}× longer than usual here")
                )
        for side, text in (("src", src), ("tgt", tgt)):
            check = self.scripts[side]
            if text and check.mismatch(text):
                name = "source" if side == "src" else "target"
                out.append(
                    Reason(
                        "language",
                        f"language: the {name} is mostly not in {check.script} script, "
                        f"as {check.lang} should be",
                    )
                )
        for problem in marks.problems if marks else []:
            out.append(Reason("glossary", problem))
        return out


def line_spans(texts: Sequence[str], spans: Sequence[tuple[Any, ...]]) -> list[list[Any]]:
    """Map spans over ``" ".join(texts)`` to ``[line, start, end, *rest]`` within each text.

    A span crossing a line boundary is cut at the boundary (each part kept).
    """
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    out: list[list[Any]] = []
    for span in spans:
        start, end, *rest = span
        for k, s in enumerate(starts):
            e = s + len(texts[k])
            a, b = max(start, s), min(end, e)
            if a < b:
                out.append([k, a - s, b - s, *rest])
    return out
