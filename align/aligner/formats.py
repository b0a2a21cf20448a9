"""Alignment output formats: vecalign, tsv, jsonl, and the units for tmx and xliff.

``vecalign`` keeps only indices (for scoring and for re-use with other tools);
``tsv`` and ``jsonl`` carry the texts so a translator can read them; ``tmx`` feeds
a CAT tool's translation memory (null beads are left out: half a unit is not a
translation). ``xliff`` (1.2) hands the pairs to a reviewer: accepted beads are
``translated``, flagged ones carry a review note, unmatched source lines are
units without a target, target-only lines are notes on the unit beside them;
unit ids are the TMX tuids. TMX and XLIFF keep the inline codes (bold, links)
of segments read from documents (``contents``), merged beads joining their lines'
codes. Writing a file in any of them is
the export stage's job (:func:`align.tmx.beads.write_alignment`, :func:`align.tmx.beads.to_xliff_units`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from align.aligner.beadio import format_vecalign
from align.model import (
    Bead,
    Inline,
    InlineCode,
    TranslationUnit,
    has_codes,
    inline_text,
    merge_text,
)

#: Each line's text with its inline codes (``None``: plain), or None for plain lines.
Contents = Sequence[Inline | None] | None

FORMATS = ("vecalign", "tsv", "jsonl", "tmx", "xliff")


def join_lines(lines: Sequence[str], idx: tuple[int, ...]) -> str:
    """The bead's side as one trimmed segment (blank lines add no stray spaces)."""
    return " ".join(text for i in idx if (text := lines[i].strip()))


def join_content(lines: Sequence[str], contents: Contents, idx: tuple[int, ...]) -> Inline | None:
    """The bead's side with its inline codes, or ``None`` when it has none.

    Lines are joined by a space as :func:`join_lines` joins them; when the codes'
    text does not match that (edge whitespace inside a code), the side stays plain.
    """
    if not contents:
        return None
    parts: list[str | InlineCode] = []
    for i in idx:
        if not (text := lines[i].strip()):
            continue
        if parts:
            parts.append(" ")
        parts.extend(contents[i] or (text,))
    joined = merge_text(parts)
    if has_codes(joined) and inline_text(joined) == join_lines(lines, idx):
        return joined
    return None


def tsv_cell(text: str) -> str:
    """A TSV cell: tabs and line breaks as spaces (one bead, one row)."""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> str:
    """``source<TAB>target<TAB>score<TAB>review`` per bead; multi-line sides joined by a space.

    ``review`` is the flag (``yes``/``no``, as ``x-review`` in the TMX), so a translator
    filtering a spreadsheet finds the flagged pairs; a reader of the first three
    columns reads them as before.
    """
    return "".join(
        f"{tsv_cell(join_lines(src, b.src))}\t{tsv_cell(join_lines(tgt, b.tgt))}\t{b.score:.4f}\t"
        f"{'yes' if b.review else 'no'}\n"
        for b in beads
    )


def to_jsonl(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> str:
    """One JSON object per bead: src, tgt (0-based indices), texts, score, review, kind."""
    out = []
    for b in beads:
        rec = {
            "src": list(b.src),
            "tgt": list(b.tgt),
            "src_text": join_lines(src, b.src),
            "tgt_text": join_lines(tgt, b.tgt),
            "score": round(b.score, 4),
            "review": b.review,
            "kind": b.kind,
        }
        out.append(json.dumps(rec, ensure_ascii=False) + "\n")
    return "".join(out)


def to_units(
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    src_content: Contents = None,
    tgt_content: Contents = None,
) -> list[TranslationUnit]:
    """TMX units for the beads with text on both sides (``*_content``: see :func:`join_content`)."""
    units = []
    for b in beads:
        if not b.src or not b.tgt:
            continue
        multi = len(b.src) > 1 or len(b.tgt) > 1
        units.append(
            TranslationUnit(
                source=join_lines(src, b.src),
                target=join_lines(tgt, b.tgt),
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                props={
                    "origin": "aligned",
                    "score": f"{b.score:.4f}",
                    "review": "yes" if b.review else "no",
                    "bead": b.kind,
                },
                segtype="paragraph" if multi else "sentence",
                source_content=join_content(src, src_content, b.src),
                target_content=join_content(tgt, tgt_content, b.tgt),
            )
        )
    return units


def render(fmt: str, beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> str:
    """Text of a non-TMX format."""
    if fmt == "vecalign":
        return format_vecalign(beads)
    if fmt == "tsv":
        return to_tsv(beads, src, tgt)
    if fmt == "jsonl":
        return to_jsonl(beads, src, tgt)
    raise ValueError(f"unknown alignment format {fmt!r}; choose one of {', '.join(FORMATS)}")
