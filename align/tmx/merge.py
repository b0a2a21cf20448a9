"""Merge several TMX files into one: identical pairs once, the best translation wins.

A translator collecting memories from several jobs wants one entry per source
segment. When two files disagree, the unit of higher standing wins whatever the
dates (:func:`~align.tmx.reviewstate.standing`: a rejected unit lowest, then an MT
draft, then a pair still to review, then a reviewed or human one; a fresh draft
is not a newer approval); among units of equal standing the most recently
created or changed one is the one they last approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from align.errors import InputError
from align.model import TranslationUnit
from align.tmx.langs import same_language_problem
from align.tmx.reader import RawUnit, guess_languages, iter_raw_units
from align.tmx.reviewstate import Standing, standing
from align.tmx.writer import write_tmx


@dataclass
class MergeStats:
    """Counts for the report: ``read`` units in, ``written`` out.

    ``duplicates`` were identical source+target pairs dropped; ``conflicts`` were
    same-source units with another target, resolved by :func:`merge_rank`.
    """

    files: int = 0
    read: int = 0
    duplicates: int = 0
    conflicts: int = 0
    written: int = 0
    skipped: int = 0


def merge_tmx(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    lang_style: str = "region",
) -> MergeStats:
    """Merge ``paths`` into ``out`` (written atomically, never one of the inputs).

    Languages default to the first file's ``srclang`` and its other language.
    Units are keyed by source text: identical pairs are kept once; on conflict
    the unit of higher standing wins (:func:`merge_rank`), then the newest
    ``changedate``/``creationdate``, ties going to the later file.
    Output order is the order sources first appeared.

    Returns:
        MergeStats: files and units read, written, duplicates dropped, conflicts resolved.

    Raises:
        InputError: no input, the output is one of the inputs, an input is not TMX.
        OutputError: ``out`` cannot be written (nothing is half-written).
    """
    if not paths:
        raise InputError(out, "nothing to merge: give at least one TMX file")
    out_path = Path(out)
    for p in paths:
        if Path(p).exists() and out_path.exists() and Path(p).resolve() == out_path.resolve():
            raise InputError(out, "the output must not be one of the inputs")
    if src_lang is None or tgt_lang is None:
        guessed_src, guessed_tgt = guess_languages(paths[0])
        src_lang = src_lang or guessed_src
        tgt_lang = tgt_lang or guessed_tgt
    if problem := same_language_problem(src_lang, tgt_lang, lang_style):
        raise InputError(paths[0], problem)
    stats = MergeStats(files=len(paths))
    kept: dict[str, tuple[TranslationUnit, tuple[Standing, str]]] = {}
    for path in paths:
        for raw in iter_raw_units(path, src_lang, tgt_lang):
            stats.read += 1
            key = raw.unit.source
            old = kept.get(key)
            rank = merge_rank(raw)
            if old is None:
                kept[key] = (raw.unit, rank)
                continue
            if old[0].target == raw.unit.target:
                stats.duplicates += 1
            else:
                stats.conflicts += 1
            if rank >= old[1]:
                kept[key] = (raw.unit, rank)
    # Input tuids may collide across files; number the merged units afresh.
    units = (_renumbered(unit) for unit, _ in kept.values())
    written = write_tmx(
        out_path,
        units,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        lang_style=lang_style,
        header_props={"merged-from": ", ".join(Path(p).name for p in paths)},
    )
    stats.written = written.written
    stats.skipped = written.skipped
    return stats


def merge_rank(raw: RawUnit) -> tuple[Standing, str]:
    """Sort key of a unit on conflict: its standing, then its newest date.

    Standing (:func:`~align.tmx.reviewstate.standing`), lowest first: rejected,
    an MT draft (``align translate -f tmx`` output, an unreviewed XLIFF state),
    a pair still to review (the aligner's flag), reviewed or human. So an MT
    draft never replaces a unit someone approved or wrote, however recent the
    draft, and a rejected unit never beats anything.
    """
    return standing(raw.unit.props), raw.newest


def _renumbered(unit: TranslationUnit) -> TranslationUnit:
    """A copy without tuid; inline codes travel along unchanged (TMX 1.4b §3.7)."""
    return replace(unit, tuid=None, props=dict(unit.props))
