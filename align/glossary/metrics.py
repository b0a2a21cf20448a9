"""Term accuracy as in the WMT terminology task, for scoring MT output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from align.glossary.check import check_segments
from align.glossary.termbase import Glossary


@dataclass
class TermAccuracy:
    """``correct`` of ``total`` source-term occurrences rendered with an admitted term."""

    correct: int
    total: int

    @property
    def score(self) -> float:
        """Share of source-term occurrences rendered with an admitted term (1.0 if none)."""
        return self.correct / self.total if self.total else 1.0


def term_accuracy(
    glossary: Glossary,
    sources: Sequence[str],
    targets: Sequence[str],
    src_lang: str,
    tgt_lang: str,
) -> TermAccuracy:
    """Term accuracy of MT output, as in the WMT 2021 terminology task (Alam et al. 2021).

    Counts every glossary-term occurrence in ``sources`` and how many of them the
    line-aligned ``targets`` render with an admitted variant (any case form).

    Returns:
        TermAccuracy(correct, total); ``.score`` is correct/total (1.0 with no terms).

    Raises:
        ValueError: ``sources`` and ``targets`` differ in length.
        InputError: the glossary has no column for a language.
    """
    findings = check_segments(glossary, sources, targets, src_lang, tgt_lang)
    return TermAccuracy(sum(f.status == "ok" for f in findings), len(findings))
