"""One definition of how untrusted XML (TMX, TBX, SRX) is parsed.

No DTD is loaded, no entity is expanded and nothing is fetched from the
network, so XXE and billion-laughs files cannot reach the file system, the
network or the memory limit.
"""

from __future__ import annotations

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


def declared_entities(root: etree._Element) -> list[str]:
    """Names of the entities an internal DOCTYPE declares (empty when none).

    Readers refuse such files rather than parse them with the entities silently
    dropped, which would change their content (a rule, a term) without a word.
    """
    dtd = root.getroottree().docinfo.internalDTD
    return [] if dtd is None else [e.name for e in dtd.iterentities()]
