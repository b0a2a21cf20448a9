"""Write an alignment (beads) to a file in any of the aligner's formats, TMX included."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from align.aligner.formats import Contents, join_content, join_lines, render, to_units
from align.fsutil import write_text_atomic
from align.model import Bead, TranslationUnit
from align.tmx.writer import write_tmx
from align.xmlsafe import InvalidChars


def write_alignment(
    path: str | Path,
    fmt: str,
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    original: str | None = None,
    invalid_chars: InvalidChars = "error",
    src_content: Contents = None,
    tgt_content: Contents = None,
) -> int:
    """Write ``beads`` (indices into ``src``/``tgt`` lines) to ``path`` atomically.

    ``fmt`` is one of ``align.aligner.formats.FORMATS`` (vecalign, tsv, jsonl, tmx,
    xliff); TMX leaves null beads out; ``original`` names the source document in an
    XLIFF (default: the output file's name); ``invalid_chars`` ("error" or "replace") is
    for XML-invalid characters in a TMX or XLIFF. ``src_content``/``tgt_content`` give
    each line's inline codes (documents with formatting): a TMX or XLIFF keeps them,
    merged lines joined (:func:`align.aligner.formats.join_content`). Returns how many such characters
    were replaced (0 for the text formats, which store them as they are). Raises
    ValueError for another format and ``align.errors.OutputError`` when the file
    cannot be written.
    """
    if fmt == "xliff":
        from align.xliff import XliffFile, write_xliff

        units = to_xliff_units(beads, src, tgt, src_lang, tgt_lang, src_content, tgt_content)
        name = original or Path(path).name
        files = [XliffFile(name, src_lang, tgt_lang, units)]
        return write_xliff(path, files, "1.2", invalid_chars=invalid_chars).replaced_chars
    if fmt == "tmx":
        units = to_units(beads, src, tgt, src_lang, tgt_lang, src_content, tgt_content)
        stats = write_tmx(path, units, src_lang=src_lang, tgt_lang=tgt_lang,
                          invalid_chars=invalid_chars)  # fmt: skip
        return stats.replaced_chars
    write_text_atomic(path, render(fmt, beads, src, tgt))
    return 0


#: The note on the unit that carries a flagged target-only line (see :func:`to_xliff_units`).
ORPHAN_REVIEW = (
    "REVIEW: the aligner flagged a target-only line beside this unit: it may belong to this "
    "pair or a neighbour"
)


def to_xliff_units(
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    src_content: Contents = None,
    tgt_content: Contents = None,
) -> list[TranslationUnit]:
    """XLIFF units: pairs numbered like the TMX tuids (1, 2, ...), unmatched source
    lines as ``unmatched-<line>`` (1-based) without a target. A target-only line
    has no source to hang a unit on, so it goes into a note of the unit before it
    (or after it, at the start): a reviewer who finds a half-aligned sentence can
    still see, and paste, its other half. When the aligner flagged that line, the
    unit carrying it is flagged too (``needs-review-translation``, with a note
    saying why), so a reviewer filtering on the state finds it."""
    from align.xliff.drafts import FLAGGED_STATE, aligned_unit

    units: list[TranslationUnit] = []
    # Target-only lines waiting for a unit: (note, "target-only line N" when flagged).
    orphans: list[tuple[str, str | None]] = []
    number = 0

    def add_note(unit: TranslationUnit, lines: list[tuple[str, str | None]]) -> None:
        unit.note = "\n".join(filter(None, [unit.note, *(text for text, _ in lines)]))
        flagged = [label for _, label in lines if label]
        if flagged:
            unit.note += f"\n{ORPHAN_REVIEW} ({'; '.join(flagged)})"
            if unit.target:
                unit.state = FLAGGED_STATE

    for b in beads:
        if not b.src or not join_lines(src, b.src):
            if b.tgt and (text := join_lines(tgt, b.tgt)):
                lines = ", ".join(str(j + 1) for j in b.tgt)
                label = f"target-only line {lines}"
                orphan = (f"{label}, in no unit: {text}", label if b.review else None)
                if units:
                    add_note(units[-1], [orphan])
                else:
                    orphans.append(orphan)
            continue
        if b.tgt and join_lines(tgt, b.tgt):
            number += 1
            (unit,) = to_units([b], src, tgt, src_lang, tgt_lang, src_content, tgt_content)
            unit.tuid = str(number)
        else:
            unit = TranslationUnit(join_lines(src, b.src), "", src_lang, tgt_lang,
                                   tuid=f"unmatched-{b.src[0] + 1}",
                                   source_content=join_content(src, src_content, b.src))  # fmt: skip
        units.append(aligned_unit(unit, b.review))
        if orphans:
            add_note(units[-1], orphans)
            orphans = []
    return units
