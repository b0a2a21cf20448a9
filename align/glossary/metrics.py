"""Term accuracy as in the WMT terminology task, for scoring MT output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from align.glossary.check import check_segments
from align.glossary.termbase import Glossary


@dataclass
class TermAccuracy:
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
    findings = check_segments(glossary, sources, targets, src_lang, tgt_lang)
    return TermAccuracy(sum(f.status == "ok" for f in findings), len(findings))
