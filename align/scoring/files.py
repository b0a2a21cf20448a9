"""Line files for scoring: one segment per line, all files parallel.

A count mismatch almost always means a file from another run or another
segmentation, and any score computed from it would be silently wrong, so we stop
and name the file that disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError, warn
from align.text.textio import read_lines


@dataclass
class ScoringInputs:
    hyps: list[str]
    refs: list[list[str]]
    sources: list[str] | None = None
    compare: list[str] | None = None


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def _parallel(path: str | Path, lines: list[str], anchor: str | Path, n: int) -> list[str]:
    if len(lines) != n:
        raise InputError(
            path, f"has {len(lines)} lines but {anchor} has {n}; files must be parallel"
        )
    return lines


def _warn_empty_refs(path: str | Path, lines: list[str]) -> list[str]:
    """Warn once per reference file about empty lines (scored against nothing)."""
    empty = [i for i, line in enumerate(lines, 1) if not line.strip()]
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        warn(
            path,
            f"{'lines' if len(empty) > 1 else 'line'} {shown} of the reference "
            f"{'are' if len(empty) > 1 else 'is'} empty: "
            "those segments are scored against nothing",
        )
    return lines


def load_scoring_inputs(
    hyp: str | Path,
    refs: list[str | Path],
    src: str | Path | None = None,
    compare: str | Path | None = None,
) -> ScoringInputs:
    """Read the hypothesis and its parallel files, checking that line counts agree."""
    if not refs:
        raise InputError(hyp, "needs at least one reference file (--ref)")
    hyps = read_lines(hyp)
    n = len(hyps)
    return ScoringInputs(
        hyps=hyps,
        refs=[_warn_empty_refs(r, _parallel(r, read_lines(r), hyp, n)) for r in refs],
        sources=None if src is None else _parallel(src, read_lines(src), hyp, n),
        compare=None if compare is None else _parallel(compare, read_lines(compare), hyp, n),
    )
