"""Reading text files whatever their encoding, with clear errors for non-text input.

Web pages and legacy documents arrive as UTF-8, UTF-16 with a BOM, cp1251 or
koi8-r; we decode them once here so every later stage sees NFC Unicode with
``\\n`` line endings.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from align.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in real text; their presence means binary data.
_BINARY_CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, "is a directory, expected a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(p, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(p, "is empty")
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
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(path, "cannot be decoded: unknown text encoding")
    return _checked(str(best), best.encoding, path)


def _checked(text: str, encoding: str, path: str | Path | None) -> DecodedText:
    if any(ch in _BINARY_CONTROLS for ch in text):
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
    """
    text = read_text(path).text
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]
