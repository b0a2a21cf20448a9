"""Alignment output formats: vecalign, tsv, jsonl and tmx.

``vecalign`` keeps only indices (for scoring and for re-use with other tools);
``tsv`` and ``jsonl`` carry the texts so a translator can read them; ``tmx`` feeds
a CAT tool's translation memory (null beads are left out: half a unit is not a
translation).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from align.aligner.beadio import format_vecalign
from align.fsutil import write_text_atomic
from align.model import Bead, TranslationUnit

FORMATS = ("vecalign", "tsv", "jsonl", "tmx")


def _join(lines: Sequence[str], idx: tuple[int, ...]) -> str:
    """The bead's side as one trimmed segment (blank lines add no stray spaces)."""
    return " ".join(text for i in idx if (text := lines[i].strip()))


def _cell(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> str:
    """``source<TAB>target<TAB>score`` per bead; multi-line sides joined by a space."""
    return "".join(
        f"{_cell(_join(src, b.src))}\t{_cell(_join(tgt, b.tgt))}\t{b.score:.4f}\n" for b in beads
    )


def to_jsonl(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> str:
    """One JSON object per bead: src, tgt (0-based indices), texts, score, review, kind."""
    out = []
    for b in beads:
        rec = {
            "src": list(b.src),
            "tgt": list(b.tgt),
            "src_text": _join(src, b.src),
            "tgt_text": _join(tgt, b.tgt),
            "score": round(b.score, 4),
            "review": b.review,
            "kind": b.kind,
        }
        out.append(json.dumps(rec, ensure_ascii=False) + "\n")
    return "".join(out)


def to_units(
    beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
) -> list[TranslationUnit]:
    """TMX units for the beads with text on both sides."""
    units = []
    for b in beads:
        if not b.src or not b.tgt:
            continue
        multi = len(b.src) > 1 or len(b.tgt) > 1
        units.append(
            TranslationUnit(
                source=_join(src, b.src),
                target=_join(tgt, b.tgt),
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                props={
                    "origin": "aligned",
                    "score": f"{b.score:.2f}",
                    "review": "yes" if b.review else "no",
                    "bead": b.kind,
                },
                segtype="paragraph" if multi else "sentence",
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


def write_alignment(
    path: str | Path,
    fmt: str,
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    invalid_chars: str = "error",
) -> None:
    """Write beads to ``path`` atomically in ``fmt``.

    ``invalid_chars`` ("error" or "replace") is for XML-invalid characters in a TMX.
    """
    if fmt == "tmx":
        from align.tmx import write_tmx

        write_tmx(
            path,
            to_units(beads, src, tgt, src_lang, tgt_lang),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            invalid_chars=invalid_chars,  # type: ignore[arg-type]
        )
        return
    write_text_atomic(path, render(fmt, beads, src, tgt))
