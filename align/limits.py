"""Documented size limits: bounded memory, or a clear refusal before any work.

align reads whole text files (pages, line files) into memory and aligns and
translates segment by segment, so three figures bound what one run can take:

``ALIGN_MAX_INPUT_BYTES`` (default 256 MiB)
    Largest text file read whole (pages, line files, glossaries, JSONL). A book
    is about 1 MB; TMX files are streamed and not limited by this.
``ALIGN_MAX_SEGMENT_CHARS`` (default 100,000)
    Longest segment (one line of a line file, one sentence of a page) that is
    translated, aligned or written to TMX/XLIFF. About 40 pages of text; a
    longer "segment" is a file without line breaks, which no CAT tool can use.
    It also keeps every ``<seg>`` far below libxml2's 10 MB text-node limit,
    so align never writes a TMX that it (or a CAT tool) cannot read back.
``ALIGN_MAX_LINES`` (default 30,000)
    Most segments on one side of an alignment (``align align``). The search is
    banded (linear in the length), but each segment keeps its sentence
    embedding and those of the spans it may join: 20,000 one-line pairs peaked
    at 669 MiB (bench/limits_memory.py), so 30,000 (a 600-page book) stays
    near 1 GB.

One fixed figure is libxml2's: a text node of an XML input (TMX, TBX, XLIFF, SRX,
office XML) over 10,000,000 bytes is refused (:data:`XML_READ_TEXT_BYTES`), as
``huge_tree`` stays off for safety (:mod:`align.xmlsafe`).

The environment variables override the defaults (tests use small values). The
figures measured for these cases are in the README ("Safety and limits").
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from align.errors import InputError

DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_SEGMENT_CHARS = 100_000
DEFAULT_MAX_LINES = 30_000
# libxml2 refuses a text node over 10 MB unless huge_tree is on (align's readers keep it
# off); 1,000,000 characters is at most 4 MB of UTF-8, so whatever ALIGN_MAX_SEGMENT_CHARS
# says, a TMX/XLIFF/TBX writer never goes above this.
XML_TEXT_CAP = 1_000_000
# What the readers can take: libxml2's XML_MAX_TEXT_LENGTH, the longest text node it reads
# without huge_tree (which stays off, see align.xmlsafe).
XML_READ_TEXT_BYTES = 10_000_000
# Ranges (inclusive) of knobs the CLI options and the ``align run`` config share:
# ``align align --max-bead`` / ``max_bead``, ``align translate --beam`` / ``beam_size``.
MAX_BEAD_RANGE = (1, 4)
BEAM_RANGE = (1, 16)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(None, f"{name}={raw!r} is not a whole number") from None
    if value <= 0:
        raise InputError(None, f"{name} must be positive, not {value}")
    return value


def max_input_bytes() -> int:
    """Largest file (bytes) read whole; ``$ALIGN_MAX_INPUT_BYTES`` overrides."""
    return _env_int("ALIGN_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES)


def max_segment_chars() -> int:
    """Longest segment (characters); ``$ALIGN_MAX_SEGMENT_CHARS`` overrides."""
    return _env_int("ALIGN_MAX_SEGMENT_CHARS", DEFAULT_MAX_SEGMENT_CHARS)


def max_xml_text_chars() -> int:
    """Longest text a writer puts in one XML element: the segment limit, capped for libxml2."""
    return min(max_segment_chars(), XML_TEXT_CAP)


def xml_text_too_long(line: int | None) -> str:
    """The problem a reader reports for a text node over :data:`XML_READ_TEXT_BYTES`.

    Such a file may be well-formed: the text is refused for its size, not called corrupt.
    """
    where = f" (line {line})" if line else ""
    return (
        f"has a text node over {XML_READ_TEXT_BYTES:,} bytes{where}, more than align reads "
        f"safely from one XML element (segments are limited to {max_segment_chars():,} "
        "characters)"
    )


def max_lines() -> int:
    """Most segments per side of one alignment; ``$ALIGN_MAX_LINES`` overrides."""
    return _env_int("ALIGN_MAX_LINES", DEFAULT_MAX_LINES)


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def check_input_size(path: str | Path, size: int) -> None:
    """Raise InputError when a file of ``size`` bytes is over the input limit."""
    limit = max_input_bytes()
    if size > limit:
        raise InputError(
            path,
            f"is {_size(size)}, over the {_size(limit)} input limit "
            "(split it, or raise ALIGN_MAX_INPUT_BYTES)",
        )


def check_segments(path: str | Path | None, texts: Iterable[str], what: str = "line") -> None:
    """Raise InputError naming the first segment longer than the segment limit.

    ``what`` names the unit in the message ("line" → "line 3 has …", 1-based).
    """
    limit = max_segment_chars()
    for n, text in enumerate(texts, 1):
        if len(text) > limit:
            raise InputError(
                path,
                f"{what} {n} has {len(text):,} characters, over the {limit:,}-character "
                "segment limit (is the file missing line breaks? raise ALIGN_MAX_SEGMENT_CHARS)",
            )


def check_line_count(path: str | Path | None, count: int) -> None:
    """Raise InputError when one side of an alignment has too many segments."""
    limit = max_lines()
    if count > limit:
        raise InputError(
            path,
            f"has {count:,} segments, over the {limit:,} limit for one alignment "
            "(split the document, or raise ALIGN_MAX_LINES)",
        )
