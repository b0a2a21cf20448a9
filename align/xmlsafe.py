"""One definition of how untrusted XML (TMX, TBX, SRX) is parsed.

No DTD is loaded, no entity is expanded and nothing is fetched from the
network, so XXE and billion-laughs files cannot reach the file system, the
network or the memory limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from lxml import etree

from align.limits import xml_text_too_long

SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}


def safe_parser(**extra: Any) -> etree.XMLParser:
    return etree.XMLParser(**SAFE_OPTIONS, **extra)


# lxml appends the position to the message (", line 1, column 32"); the line is reported apart.
_POSITION = re.compile(r"(?:,? line \d+, column \d+)+$")
# libxml2's words for a text node over its size limit (huge_tree off, see align.limits).
_TEXT_TOO_LONG = "Text node too long"


def syntax_error(exc: etree.XMLSyntaxError) -> tuple[str, int | None]:
    """The parser's message (its first line, without lxml's position suffix) and line."""
    lines = (exc.msg or str(exc)).strip().splitlines()
    return _POSITION.sub("", lines[0].strip() if lines else "parse error"), exc.lineno


def malformed(msg: str, line: int | None) -> str:
    """The problem to report for a parser error ``msg`` at ``line``.

    A text node over libxml2's size limit is named as such (the file may be intact);
    anything else is "not well-formed XML".
    """
    if _TEXT_TOO_LONG in msg:
        return xml_text_too_long(line)
    return f"is not well-formed XML ({f'line {line}: ' if line else ''}{msg})"


def xml_problem(exc: etree.XMLSyntaxError) -> str:
    """:func:`malformed` for an exception from ``etree.fromstring``/``parse``."""
    return malformed(*syntax_error(exc))


# Characters XML 1.0 cannot carry at all, not even as character references (§2.2).
INVALID_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_invalid_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot store, or None."""
    m = INVALID_XML_CHARS.search(text)
    return m.group() if m else None


def replace_invalid_chars(text: str, replacement: str = "\ufffd") -> tuple[str, int]:
    """``text`` with every XML-invalid character replaced, and how many were."""
    return INVALID_XML_CHARS.subn(replacement, text)


#: What a writer does with a character XML cannot store: stop, or write U+FFFD.
InvalidChars = Literal["error", "replace"]


def check_invalid_chars_mode(mode: str) -> None:
    """Raise ``ValueError`` unless ``mode`` is an :data:`InvalidChars` value."""
    if mode not in ("error", "replace"):
        raise ValueError(f"invalid_chars must be 'error' or 'replace', not {mode!r}")


def storable(text: str, mode: str, refuse: Callable[[str], Exception]) -> tuple[str, int]:
    """``text`` as XML can store it, and how many characters were replaced.

    The one place every XML writer (TMX, XLIFF, TBX) decides: a clean text is
    returned as is; otherwise ``mode`` "error" raises ``refuse(first bad character)``
    and "replace" writes U+FFFD for each bad character.
    """
    ch = first_invalid_char(text)
    if ch is None:
        return text, 0
    check_invalid_chars_mode(mode)
    if mode == "error":
        raise refuse(ch)
    return replace_invalid_chars(text)


_ENTITY_DECL = re.compile(rb"<!ENTITY(?:\s+(?:%\s+)?([^\s>\"']+))?", re.IGNORECASE)


def entity_declarations(head: bytes) -> list[str]:
    """Names of the entities ``<!ENTITY …>`` declares in a file's first bytes.

    For the checks that must not depend on the parser: libxml2 2.13 and later
    stop a billion-laughs file with their own amplification error before the
    DOCTYPE can be inspected. UTF-16 files (with a byte order mark) are read too.
    """
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(codec, errors="replace").encode("utf-8")
    return [(m.group(1) or b"?").decode("utf-8", "replace") for m in _ENTITY_DECL.finditer(head)]


def declared_entities(root: etree._Element) -> list[str]:
    """Names of the entities an internal DOCTYPE declares (empty when none).

    Readers refuse such files rather than parse them with the entities silently
    dropped, which would change their content (a rule, a term) without a word.
    """
    dtd = root.getroottree().docinfo.internalDTD
    return [] if dtd is None else [e.name for e in dtd.iterentities()]
