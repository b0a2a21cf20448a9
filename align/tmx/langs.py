"""Language codes in TMX files, as CAT tools expect them.

Codes are BCP 47 tags handled by :mod:`align.langtags`: written with normalised
case and ``-`` (``en_gb`` -> ``en-GB``), never with an invented or replaced
region (``en`` stays ``en``: a region is the user's or the file's to give).
Reading is lenient: ``en`` matches ``en-US``, ``EN`` and ``en_GB``.
"""

from __future__ import annotations

from typing import Literal

from align.langtags import is_well_formed, language_subtag, normalize_tag, tags_match

LangStyle = Literal["region", "plain"]
LANG_STYLES: tuple[str, ...] = ("region", "plain")


def is_lang_code(code: str) -> bool:
    """True for well-formed BCP 47 tags (``en``, ``en-US``, ``zh_Hant_TW``); ``*all*`` is not one."""
    return is_well_formed(code or "")


def format_lang(code: str, style: str = "region") -> str:
    """Normalise ``code`` for writing.

    "region" style keeps every subtag given, normalised (``en_gb`` -> ``en-GB``,
    ``en`` -> ``en``); "plain" keeps only the language subtag (``en-GB`` -> ``en``).
    Raises ``ValueError`` for something that is not a language tag.
    """
    if style not in LANG_STYLES:
        raise ValueError(f"language style must be one of {', '.join(LANG_STYLES)}, not {style!r}")
    tag = normalize_tag(code)
    return language_subtag(tag) if style == "plain" else tag


def lang_matches(wanted: str, actual: str | None) -> bool:
    """Does the file's ``actual`` code satisfy the asked-for ``wanted`` code?

    See :func:`align.langtags.tags_match`: ``en`` matches ``en-US`` and
    ``EN_gb``; ``en-US`` matches ``EN``; ``en-GB`` does not match ``en-US``.
    """
    return tags_match(wanted, actual)
