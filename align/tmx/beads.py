"""Write an alignment (beads) to a file in any of the aligner's formats, TMX included."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from align.aligner.formats import render, to_units
from align.fsutil import write_text_atomic
from align.model import Bead
from align.tmx.writer import write_tmx


def write_alignment(
    path: str | Path,
    fmt: str,
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
) -> None:
    """Write ``beads`` (indices into ``src``/``tgt`` lines) to ``path`` atomically.

    ``fmt`` is one of ``align.aligner.formats.FORMATS`` (vecalign, tsv, jsonl, tmx);
    TMX leaves null beads out. Raises ValueError for another format and
    ``align.errors.OutputError`` when the file cannot be written.
    """
    if fmt == "tmx":
        units = to_units(beads, src, tgt, src_lang, tgt_lang)
        write_tmx(path, units, src_lang=src_lang, tgt_lang=tgt_lang)
        return
    write_text_atomic(path, render(fmt, beads, src, tgt))
