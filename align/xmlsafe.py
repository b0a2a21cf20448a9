"""One definition of how untrusted XML (TMX, TBX, SRX) is parsed.

No DTD is loaded, no entity is expanded and nothing is fetched from the
network, so XXE and billion-laughs files cannot reach the file system, the
network or the memory limit.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}


def safe_parser(**extra: Any) -> etree.XMLParser:
    return etree.XMLParser(**SAFE_OPTIONS, **extra)


# Characters XML 1.0 cannot carry at all, not even as character references (§2.2).
INVALID_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_invalid_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot store, or None."""
    m = INVALID_XML_CHARS.search(text)
    return m.group() if m else None


def replace_invalid_chars(text: str, replacement: str = "\ufffd") -> tuple[str, int]:
    """``text`` with every XML-invalid character replaced, and how many were."""
    return INVALID_XML_CHARS.subn(replacement, text)


def declared_entities(root: etree._Element) -> list[str]:
    """Names of the entities an internal DOCTYPE declares (empty when none).

    Readers refuse such files rather than parse them with the entities silently
    dropped, which would change their content (a rule, a term) without a word.
    """
    dtd = root.getroottree().docinfo.internalDTD
    return [] if dtd is None else [e.name for e in dtd.iterentities()]
