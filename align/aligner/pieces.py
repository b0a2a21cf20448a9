"""Sentences inside a line, so a merge's short part can be matched against its own piece.

A translator who merges two sentences usually keeps both inside one line with
a sentence boundary between them ("Такое случается очень редко. К сожалению,
…"). The whole line's vector says little about the short half, but the half's
own piece does; ``core`` compares lines against the pieces of lines on the
other side, as evidence for a merge and against leaving the line out.

The split is deliberately light (no SRX): the pieces are evidence only, never
output, so an abbreviation that splits a piece costs nothing but a vector.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np

# end of a sentence: . ! ? … (optionally closing quotes/brackets) then space;
# CJK full stops need no space. A piece starting in lower case is glued back.
_END = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+|(?<=[。！？])")
MAX_PIECES = 4  # per line; longer lines keep their first pieces
MIN_CHARS = 8  # a shorter "sentence" is an abbreviation (Mr., Dr., No.) glued back


def _size(text: str) -> int:
    """Characters, an ideograph or kana counting three (about a word's worth)."""
    wide = sum(1 for c in text if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return len(text) + 2 * wide


def split(line: str) -> list[str]:
    """The sentences of ``line`` (``[line]`` if it has no inner boundary)."""
    parts: list[str] = []
    for piece in _END.split(line):
        piece = piece.strip()
        if not piece:
            continue
        if parts and (piece[0].islower() or _size(parts[-1]) < MIN_CHARS):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts if len(parts) > 1 else [line]


class Pieces:
    """Vectors of the inner sentences of one side's multi-sentence lines.

    ``row[i]`` is line ``i``'s row in ``vecs`` (−1: a single sentence);
    ``vecs`` is ``(rows, MAX_PIECES, dim)`` with zero vectors as padding, so a
    dot product with them is 0 and never the maximum of real evidence.
    """

    def __init__(self, row: np.ndarray, vecs: np.ndarray, lens: np.ndarray):
        self.row, self.vecs, self.lens = row, vecs, lens

    @classmethod
    def none(cls, n: int, dim: int) -> Pieces:
        return cls(
            np.full(n, -1), np.zeros((0, MAX_PIECES, dim), np.float32), np.zeros((0, MAX_PIECES))
        )

    @classmethod
    def build(
        cls,
        lines: Sequence[str],
        dim: int,
        encode: Callable[[list[str]], np.ndarray],
        only: Iterable[int] | None = None,
    ) -> Pieces:
        """Split the lines (``only`` these, if given); embed the pieces of those with several."""
        todo = range(len(lines)) if only is None else sorted(set(only))
        split_lines = [(i, split(lines[i])[:MAX_PIECES]) for i in todo]
        multi = [(i, ps) for i, ps in split_lines if len(ps) > 1]
        if not multi:
            return cls.none(len(lines), dim)
        texts = [p for _, ps in multi for p in ps]
        flat = encode(texts)
        row = np.full(len(lines), -1)
        vecs = np.zeros((len(multi), MAX_PIECES, dim), dtype=np.float32)
        lens = np.zeros((len(multi), MAX_PIECES))
        k = 0
        for r, (i, ps) in enumerate(multi):
            row[i] = r
            vecs[r, : len(ps)] = flat[k : k + len(ps)]
            lens[r, : len(ps)] = [len(p) for p in ps]
            k += len(ps)
        return cls(row, vecs, lens)

    def best(self, vecs: np.ndarray, rows: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """Max cosine of ``vecs[rows[k]]`` with any piece of line ``lines[k]`` (−1: none).

        Only the pairs whose line has pieces are gathered, so a call over a
        whole band costs little where few lines hold several sentences.
        """
        out = np.full(len(lines), -1.0)
        if not len(self.vecs):
            return out
        r = self.row[lines]
        (at,) = np.nonzero(r >= 0)
        for k in range(0, len(at), 4096):  # chunks keep the gathered pieces small
            sel = at[k : k + 4096]
            sims = np.einsum("kd,kpd->kp", vecs[rows[sel]], self.vecs[r[sel]])
            sims[self.lens[r[sel]] == 0] = -1.0
            out[sel] = sims.max(axis=1)
        return out
