"""Read and write beads in vecalign's text format: ``[0, 1]:[0]:0.123`` per line.

The same format serves gold alignments (score optional) and aligner output, so
scoring and the aligner agree on one parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from align.errors import InputError
from align.model import Bead
from align.paths import check_readable
from align.text.textio import split_lines

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$")


def _indices(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.replace(" ", "").split(",") if x)


def parse_vecalign(text: str, path: str | Path | None = None) -> list[Bead]:
    """Beads of vecalign's text format (``[0, 1]:[0]:0.93``, one bead per line).

    Raises InputError (naming ``path``) for a line that is not a bead.
    """
    beads: list[Bead] = []
    for lineno, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if not m:
            raise InputError(path, f"line {lineno} is not a vecalign bead like '[0, 1]:[0]:0.5'")
        try:
            score = float(m.group(3)) if m.group(3) else 0.0
        except ValueError:
            raise InputError(path, f"line {lineno}: score {m.group(3)!r} is not a number") from None
        beads.append(Bead(_indices(m.group(1)), _indices(m.group(2)), score))
    return beads


def read_vecalign(path: str | Path) -> list[Bead]:
    """Read a vecalign alignment file (Thompson & Koehn 2019's format: ``[src]:[tgt]:score``).

    Returns:
        The beads in file order; indices are 0-based line numbers, a missing score is 0.0.

    Raises:
        InputError: missing file, a folder, not UTF-8, or a line that is not a bead.
    """
    p = Path(path)
    check_readable(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory, expected a vecalign alignment file") from None
    except UnicodeDecodeError:
        raise InputError(p, "is not UTF-8 text") from None
    return parse_vecalign(text, p)


def format_bead(bead: Bead) -> str:
    src = ", ".join(map(str, bead.src))
    tgt = ", ".join(map(str, bead.tgt))
    return f"[{src}]:[{tgt}]:{bead.score:.6f}"


def format_vecalign(beads: Iterable[Bead]) -> str:
    """vecalign's text format, one ``[0, 1]:[0]:0.930000`` line per bead (inverse of ``parse_vecalign``)."""
    return "".join(format_bead(b) + "\n" for b in beads)
