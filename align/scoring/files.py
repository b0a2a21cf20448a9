"""Line files for scoring: one segment per line, all files parallel.

A count mismatch almost always means a file from another run or another
segmentation, and any score computed from it would be silently wrong, so we stop
and name the file that disagrees.

XLIFF files (``.xlf``/``.xliff``) are read by unit id instead of by line: the
MT draft XLIFF as ``--hyp`` and the post-edited XLIFF as ``--ref`` give HTER
(TER of the draft against its post-edit, Snover et al. 2006).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError, warn
from align.model import TranslationUnit
from align.text.textio import read_lines


@dataclass
class ScoringInputs:
    hyps: list[str]
    refs: list[list[str]]
    sources: list[str] | None = None
    compare: list[str] | None = None
    hter: bool = False  # hyp and every ref are XLIFF: TER is HTER
    skipped: int = 0  # XLIFF units left out because the reference target is empty
    fixture: bool = False  # a scored hypothesis unit is test fixture output, not a translation


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
    from align.xliff import is_xliff

    if is_xliff(hyp):
        return _xliff_inputs(hyp, refs, src, compare)
    hyps = read_lines(hyp)
    n = len(hyps)
    return ScoringInputs(
        hyps=hyps,
        refs=[_warn_empty_refs(r, _parallel(r, read_lines(r), hyp, n)) for r in refs],
        sources=None if src is None else _parallel(src, read_lines(src), hyp, n),
        compare=None if compare is None else _parallel(compare, read_lines(compare), hyp, n),
    )


def _by_id(path: str | Path) -> dict[str, TranslationUnit]:
    """XLIFF unit id → unit; ``original#id`` when the XLIFF has several ``<file>``s.

    Ids are unique within a ``<file>`` (the reader refuses a repeated one), so the
    file's name keeps units of different files apart and none is dropped.
    """
    from align.xliff import read_xliff

    files = read_xliff(path).files
    units: dict[str, TranslationUnit] = {}
    for k, f in enumerate(files, 1):
        prefix = f"{f.original or k}#" if len(files) > 1 else ""
        for u in f.units:
            key = f"{prefix}{u.tuid or ''}"
            if key in units:
                raise InputError(path, f"has two <file>s named {f.original!r} with unit {u.tuid!r}")
            units[key] = u
    return units


def _xliff_inputs(
    hyp: str | Path, refs: list[str | Path], src: str | Path | None, compare: str | Path | None
) -> ScoringInputs:
    """Draft XLIFF as hypothesis; references (XLIFF by unit id, or line files) for its units."""
    from align.xliff import is_xliff

    if src is not None:
        raise InputError(src, "is not needed with XLIFF input: the sources come from --hyp")
    draft = _by_id(hyp)
    ids = [i for i, u in draft.items() if u.target.strip()]
    if not ids:
        raise InputError(hyp, "has no unit with a target to score")
    ref_maps = []
    for r in refs:
        if not is_xliff(r):
            raise InputError(r, "must be an XLIFF too when --hyp is an XLIFF (units match by id)")
        ref_maps.append(_by_id(r))
        missing = [i for i in ids if i not in ref_maps[-1]]
        if missing:
            raise InputError(r, f"has no unit {missing[0]!r} (of {hyp}); is it the same job?")
    kept = [i for i in ids if all(m[i].target.strip() for m in ref_maps)]
    if not kept:
        raise InputError(refs[0], "has no translated unit to compare with the draft")
    sources = [draft[i].source for i in kept]
    other = None
    if compare is not None:
        if not is_xliff(compare):
            raise InputError(compare, "must be an XLIFF too when --hyp is an XLIFF")
        cmp_map = _by_id(compare)
        other = [cmp_map[i].target if i in cmp_map else "" for i in kept]
    return ScoringInputs(
        hyps=[draft[i].target for i in kept],
        refs=[[m[i].target for i in kept] for m in ref_maps],
        sources=sources,
        compare=other,
        hter=True,
        skipped=len(ids) - len(kept),
        fixture=any(draft[i].is_fixture for i in kept),
    )
