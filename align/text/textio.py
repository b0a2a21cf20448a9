"""Reading text files whatever their encoding, with clear errors for non-text input.

Web pages and legacy documents arrive as UTF-8, UTF-16 with a BOM, cp1251 or
koi8-r; we decode them once here so every later stage sees NFC Unicode with
``\\n`` line endings.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from align.errors import InputError
from align.limits import check_input_size, check_segments, max_input_bytes
from align.paths import check_input_file
from align.text.script import char_script

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy single-byte codepages of the languages we ingest, tried besides charset-normalizer's.
_FALLBACK_CODECS = ("cp1251", "koi8-r", "cp1252", "iso-8859-9")
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}\"'/\\|<>=+*&%$#@^~`-]+")
_PUNCT = set("’‘“”«»„–—…€№°·•")
# Control characters that never occur in real text; their presence means binary data.
_BINARY_CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}
_BINARY_RE = re.compile("[" + "".join(sorted(_BINARY_CONTROLS)) + "]")  # one C-speed scan


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def open_input(path: str | Path, expected: str = "a file", **kwargs) -> IO:
    """Open an input file, turning missing/directory/unreadable into one-line errors.

    ``kwargs`` go to ``Path.open`` (default binary); ``expected`` names what the
    directory error asks for, e.g. "a TMX file".
    """
    if str(path) == "-":
        return _stdin(**kwargs)
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, f"is a directory, expected {expected}")
    check_input_file(p)  # devices (/dev/zero) and FIFOs are refused, not read forever
    try:
        return p.open(**({"mode": "rb"} | kwargs))
    except OSError as exc:
        raise InputError(p, f"cannot be read ({exc.strerror or exc})") from None


STDIN = "-"


def _stdin(**kwargs) -> IO:
    """Standard input for a lone ``-``; a terminal is refused rather than waited on."""
    import io
    import sys

    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("-", "standard input is a terminal; pipe a file into it or name one")
    mode = kwargs.get("mode", "rb")
    limit = max_input_bytes()
    if hasattr(sys.stdin, "buffer"):
        data = sys.stdin.buffer.read(limit + 1)
    else:
        data = sys.stdin.read(limit + 1).encode()
    check_input_size("-", len(data))  # an endless pipe is refused, not read into memory
    if "b" in mode:
        return io.BytesIO(data)
    return io.StringIO(data.decode(kwargs.get("encoding") or "utf-8"))


def read_bytes(path: str | Path) -> bytes:
    """The whole file, refused up front when over the input limit (:mod:`align.limits`)."""
    with open_input(path) as fh:
        limit = max_input_bytes()
        if str(path) != STDIN:
            check_input_size(path, os.fstat(fh.fileno()).st_size)
        data = fh.read(limit + 1)
        check_input_size(path, len(data))
    if not data.strip():
        raise InputError(path, "is empty")
    return data


def decode(data: bytes, path: str | Path | None = None) -> DecodedText:
    """Decode bytes: BOM first, then strict UTF-8, then charset-normalizer's best guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec.replace("-sig", ""), path)
            except UnicodeDecodeError:
                raise InputError(path, f"has a {codec} byte-order mark but invalid bytes") from None
    if b"\x00" in data:
        raise InputError(path, "looks like binary data (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    candidates = [m.encoding for m in from_bytes(data)][:6] + list(_FALLBACK_CODECS)
    best: tuple[float, str, str] | None = None
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = plausibility(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < 0.5:
        raise InputError(path, "cannot be decoded: unknown text encoding")
    return _checked(best[2], best[1], path)


def plausibility(text: str) -> float:
    """Share of non-ASCII words that look like real words once decoded.

    charset-normalizer judges a mostly-English page with a few Cyrillic UI words
    by its ASCII bulk and happily picks cp1250; misdecoded words give themselves
    away: box-drawing symbols, Latin words made only of accented letters, or
    Cyrillic words with inverted case (koi8-r read as cp1251 and vice versa).
    """
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 1.0
    good = 0
    for word in words:
        letters = [ch for ch in word if ch.isalpha()]
        if not letters or any(
            not ch.isalpha() and ch not in _PUNCT for ch in word if ord(ch) > 127
        ):
            continue
        if not (word == word.lower() or word == word.upper() or word[1:] == word[1:].lower()):
            continue
        if all(char_script(ch) == "Latin" for ch in letters):
            good += sum(ch.isascii() for ch in letters) >= len(letters) / 2
        else:
            good += len({char_script(ch) for ch in letters}) == 1
    return good / len(words)


def _checked(text: str, encoding: str, path: str | Path | None) -> DecodedText:
    if _BINARY_RE.search(text):
        raise InputError(path, "looks like binary data (control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(path, "is empty")
    return DecodedText(text, encoding)


def read_text(path: str | Path) -> DecodedText:
    return decode(read_bytes(path), path)


def read_lines(path: str | Path) -> list[str]:
    """Read a line file (one segment per line) in any supported encoding.

    Trailing whitespace is dropped; empty lines are kept so indices match the file.
    A line over the segment limit (:mod:`align.limits`) is refused, naming it.
    """
    text = read_text(path).text
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    check_segments(path, lines)
    return [line.rstrip() for line in lines]
