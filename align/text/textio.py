"""Reading text files whatever their encoding, with clear errors for non-text input.

Web pages and legacy documents arrive as UTF-8, UTF-16 with a BOM, cp1251 or
koi8-r; we decode them once here so every later stage sees NFC Unicode with
``\\n`` line endings.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from align.errors import InputError, warn
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
# Control characters that never occur in real text; many of them mean binary data.
_BINARY_CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}
_BINARY_BYTES = tuple(ord(c) for c in sorted(_BINARY_CONTROLS))
_BINARY_RE = re.compile("[" + "".join(sorted(_BINARY_CONTROLS)) + "]")  # one C-speed scan
# Characters that some tools take for line ends or that XML cannot hold: inside a
# line they are text (lines end only at LF, CRLF or CR) and are reported.
IN_LINE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# Spaces trimmed from both ends of a segment (not the controls above: those are reported).
EDGE_SPACES = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"


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
    refuse_document(path, data)
    return data


# Documents that are not text, by their first bytes (.docx and .odt are ZIP archives).
_DOCUMENT_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .odt document?)"),
)


def refuse_document(path: str | Path, data: bytes) -> None:
    """Refuse a PDF or ZIP read as text, instead of printing its bytes as sentences.

    Documents are read by their file name's suffix (:mod:`align.text.office`); on
    standard input there is none, so the user is asked to name the file.
    """
    kind = next((k for magic, k in _DOCUMENT_MAGIC if data.startswith(magic)), None)
    if kind is None:
        return
    if str(path) == STDIN:
        raise InputError(path, f"standard input is {kind}; give the file by name instead "
                               "(documents are read by their .pdf, .docx or .odt suffix)")  # fmt: skip
    raise InputError(path, f"is {kind}, not text (documents are read by their .pdf, "
                           ".docx or .odt suffix)")  # fmt: skip


def decode(data: bytes, path: str | Path | None = None) -> DecodedText:
    """Decode bytes: BOM, then UTF-8, then charset-normalizer's best legacy guess.

    UTF-8 with a few broken sequences (a truncated ``\xe2\x80``, a stray byte in a
    file full of real UTF-8) stays UTF-8: the broken bytes become U+FFFD and a
    warning names each one's line and byte offset, instead of the whole file
    being re-decoded into mojibake by a legacy codepage.
    Raises ``InputError`` for binary data, empty text and undecodable bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec.replace("-sig", ""), path)
            except UnicodeDecodeError:
                raise InputError(path, f"has a {codec} byte-order mark but invalid bytes") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = _line_of(data, nul)
        raise InputError(path, f"looks like binary data, not text (line {line} has a NUL byte)")
    controls = sum(data.count(bytes([c])) for c in _BINARY_BYTES)
    if controls > max(8, len(data) // 50):
        raise InputError(path, "looks like binary data (control characters), not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    few = _few_stray_bytes(data)
    if few is not None:
        return DecodedText(few.text, few.encoding)
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        shown = "; ".join(
            f"line {_line_of(data, a)}, byte {a}: {' '.join(f'0x{b:02x}' for b in data[a:e])}"
            for a, e in bad[:5]
        )
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        warn(path, f"invalid UTF-8 replaced by U+FFFD at {shown}{more}")
        return _checked(text, "utf-8", path)
    guesses = [m.encoding for m in from_bytes(data)][:6]
    # Only encodings real documents use: charset-normalizer also proposes cp1006,
    # cp1125 and the like, which turn any short Cyrillic word into plausible junk.
    # On a tie the usual codepages win (the fallbacks first).
    candidates = list(_FALLBACK_CODECS) + [g for g in guesses if _common_codec(g)]
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


# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">,
# looked for in the first bytes as the HTML standard's encoding prescan does.
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 4096
# Labels the HTML standard maps to another decoder than Python's codec of that name.
_HTML_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
                "us-ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
                "utf-16be": "utf-8", "x-user-defined": "cp1252"}  # fmt: skip


def declared_html_charset(data: bytes) -> str | None:
    """The Python codec a page declares in a ``<meta>`` within its first 4 KiB, or None.

    Follows the HTML standard's label mapping where it differs from Python's
    (``iso-8859-1`` means windows-1252; a ``utf-16`` meta in a byte stream means UTF-8).
    Unknown labels are ignored (None).
    """
    m = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    label = _HTML_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, path: str | Path | None = None) -> DecodedText:
    """Decode a web page once: BOM, then its ``<meta>`` charset, then detection (:func:`decode`).

    A declared charset that the bytes contradict (invalid in it) is reported and
    detection decides instead.
    """
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        declared = declared_html_charset(data)
        if declared is not None:
            try:
                return _checked(data.decode(declared), declared, path)
            except UnicodeDecodeError as exc:
                warn(path, f"declares charset {declared} but byte {exc.start} is not valid in it; "
                           "detecting the encoding instead")  # fmt: skip
    return decode(data, path)


_COMMON_CODECS = frozenset(
    codecs.lookup(c).name
    for c in (
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
        "cp1258", "iso8859-1", "iso8859-2", "iso8859-4", "iso8859-5", "iso8859-7",
        "iso8859-9", "iso8859-13", "iso8859-15", "koi8-r", "koi8-u", "mac-cyrillic",
        "cp866", "mac-roman", "shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "gb2312",
        "big5", "euc_kr", "cp949", "cp874", "tis-620",
    )
)  # fmt: skip


def _common_codec(name: str) -> bool:
    try:
        return codecs.lookup(name).name in _COMMON_CODECS
    except LookupError:
        return False


def _few_stray_bytes(data: bytes) -> DecodedText | None:
    """ASCII text with up to three non-ASCII bytes: cp1252 if they read as such, else UTF-8.

    A lone ``0x96`` between words is a cp1252 dash and ``caf\xe9`` a cp1252 é;
    a byte that makes no sense in cp1252 (``Moscow \xff yesterday``) is a broken
    UTF-8 file, read as UTF-8 with U+FFFD and a warning, never as a random codepage.
    """
    # At most four matches scanned (C regex, not a Python loop over every byte).
    return _as_cp1252(data, [m.start() for m in itertools.islice(_NON_ASCII.finditer(data), 4)])


def _as_cp1252(data: bytes, stray: list[int]) -> DecodedText | None:
    """``data`` as cp1252 if its first (up to four) non-ASCII offsets ``stray`` all read so."""
    if not stray or len(stray) > 3:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(_cp1252_sense(text, i) for i in stray):
        return _checked(text, "cp1252", None)
    return None


def _cp1252_sense(text: str, i: int) -> bool:
    """Does ``text[i]`` read as cp1252 text: typographic punctuation, or a letter in a word?"""
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return ch in _PUNCT or (ch.isalpha() and (before.isalpha() or after.isalpha()))


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset; lines end at LF, CRLF or CR."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


_NON_ASCII = re.compile(rb"[\x80-\xff]")
_MAX_BAD_SPANS = 1000
_RECORD_BAD_UTF8 = "align-record-bad-utf8"
_BAD_SPANS: ContextVar[list[tuple[int, int]]] = ContextVar("_BAD_SPANS")


class _TooBroken(Exception):
    """More broken UTF-8 spans than a UTF-8 file with a few bad bytes has."""


def _record_bad_utf8(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: U+FFFD per broken span, recorded in ``_BAD_SPANS``.

    One decode pass (re-decoding the rest after each bad byte was quadratic);
    stops once the cap is passed, as cp1251 text hits it within a few lines.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = _BAD_SPANS.get()
    bad.append((exc.start, exc.end))
    if len(bad) > _MAX_BAD_SPANS:
        raise _TooBroken
    return "\ufffd", exc.end


codecs.register_error(_RECORD_BAD_UTF8, _record_bad_utf8)


def _mostly_utf8(data: bytes) -> tuple[str, list[tuple[int, int]]] | None:
    """UTF-8 text with its broken spans replaced, if the file is UTF-8 but for a few bytes.

    A span of two or more bytes is a truncated UTF-8 sequence (lead byte plus
    continuation bytes: no legacy single-byte text looks like that by chance); a
    file with at least two correctly encoded non-ASCII characters per broken span
    is UTF-8 too (legacy text forms a valid UTF-8 sequence by chance for about one
    letter in a hundred). cp1251/koi8-r text, where nearly every letter is a
    broken span, is neither and goes to detection. Returns None when not UTF-8.
    """
    bad: list[tuple[int, int]] = []
    token = _BAD_SPANS.set(bad)
    try:
        text = data.decode("utf-8", _RECORD_BAD_UTF8)
    except _TooBroken:
        return None
    finally:
        _BAD_SPANS.reset(token)
    return _utf8_verdict(text, bad)


def _utf8_verdict(
    text: str, bad: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]] | None:
    """``(text, bad)`` if UTF-8 decoded with the broken spans ``bad`` is still UTF-8 text."""
    good = sum(1 for ch in text if ord(ch) > 127) - len(bad)
    truncated = len(bad) <= 3 and all(e - a >= 2 for a, e in bad)
    # ASCII text but for a few stray bytes that are not cp1252 text (checked
    # first): an English file with a damaged byte, not a tiny legacy-encoded one.
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    stray = (
        len(bad) <= 3 and good == 0 and all(e - a == 1 for a, e in bad) and latin >= 10 * len(bad)
    )
    if truncated or stray or good >= 2 * len(bad):
        return text, bad
    return None


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
    good = 0.0
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
            if len({char_script(ch) for ch in letters}) == 1:
                # Running text is mostly lower case; a reading that turns it into
                # capitals (koi8-r taken for cp1251 and back inverts case) is worse.
                shouting = len(letters) > 1 and word == word.upper() and word != word.lower()
                good += 0.5 if shouting else 1.0
    return good / len(words)


def _checked(text: str, encoding: str, path: str | Path | None) -> DecodedText:
    controls = len(_BINARY_RE.findall(text))  # one C-speed scan
    if controls > max(8, len(text) // 50):
        raise InputError(path, "looks like binary data (control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(path, "is empty")
    return DecodedText(text, encoding)


def read_text(path: str | Path) -> DecodedText:
    return decode(read_bytes(path), path)


def split_lines(text: str) -> list[str]:
    """Lines of already-decoded text: breaks at LF, CRLF and CR only.

    Unlike ``str.splitlines``, VT, FF, FS/GS/RS, NEL, U+2028 and U+2029 stay
    inside their line. A final line break does not start an empty last line.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def describe_char(ch: str) -> str:
    """``U+000B LINE TABULATION``: code point and Unicode name (or alias for controls)."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "control character")
    return f"U+{ord(ch):04X} {name}"


_CONTROL_NAMES = {
    "\x0b": "LINE TABULATION (VT)",
    "\x0c": "FORM FEED (FF)",
    "\x1c": "FILE SEPARATOR",
    "\x1d": "GROUP SEPARATOR",
    "\x1e": "RECORD SEPARATOR",
    "\x1f": "UNIT SEPARATOR",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE (NEL)",
}


def report_controls(lines: list[str], path: str | Path | None) -> list[int]:
    """Warn once about control characters inside lines; return their 1-based line numbers."""
    found: dict[str, None] = {}
    where: list[int] = []
    for n, line in enumerate(lines, 1):
        hits = IN_LINE_CONTROLS.findall(line)
        if hits:
            where.append(n)
            found.update(dict.fromkeys(hits))
    if where:
        shown = ", ".join(map(str, where[:10])) + (" ..." if len(where) > 10 else "")
        kinds = ", ".join(describe_char(ch) for ch in list(found)[:4])
        warn(
            path,
            f"line{'s' if len(where) > 1 else ''} {shown}: {kinds} inside the line "
            "(kept as text: lines end only at LF, CRLF or CR)",
        )
    return where


def read_lines(path: str | Path) -> list[str]:
    """Read a line file (one segment per line) in any supported encoding.

    The one reader of line files for every command: lines end at LF, CRLF or CR
    (:func:`split_lines`); other control characters stay in their line and are
    reported on stderr (:func:`report_controls`). Spaces at both ends of a line
    are trimmed; blank lines are kept (as ``""``) so that index ``i`` is always
    line ``i + 1`` of the file. Raises ``InputError`` for missing, empty,
    binary or undecodable files.
    """
    raw = split_lines(read_text(path).text)
    check_segments(path, raw)  # a line over the segment limit (align.limits) is refused
    lines = [line.strip(EDGE_SPACES) for line in raw]
    report_controls(lines, path)
    return lines
