"""Language codes in TMX files, as CAT tools expect them.

Codes are BCP 47 tags handled by :mod:`align.langtags`: written with normalised
case and ``-`` (``en_gb`` -> ``en-GB``), never with an invented or replaced
region (``en`` stays ``en``: a region is the user's or the file's to give).
Reading is lenient: ``en`` matches ``en-US``, ``EN`` and ``en_GB``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

from align.langtags import (
    is_well_formed,
    language_subtag,
    normalize_tag,
    preferred_tag,
    tags_match,
)

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


@functools.lru_cache(maxsize=4096)
def same_tag(a: str, b: str | None) -> bool:
    """Do ``a`` and ``b`` name exactly the same language variant (``en`` = ``EN``, ``en`` != ``en-GB``)?

    Compared in their preferred form (``eng`` = ``en``, ``en-Latn`` = ``en``); a
    malformed code equals only the same string, case-insensitively.
    """
    if not b:
        return False
    try:
        return preferred_tag(a) == preferred_tag(b)
    except ValueError:
        return tags_match(a, b)  # malformed codes: the same string, case-insensitively


def pick_lang(wanted: str, langs: Sequence[str | None], skip: int | None = None) -> int | None:
    """The index of the ``langs`` entry that is ``wanted``: the same tag first, else a match.

    ``en`` picks ``en`` out of ``en-GB, en``, so an ``en`` -> ``en-GB`` memory reads
    back as written; ``en`` still picks ``en-US`` when no ``en`` is there. ``skip``
    is an index already taken (the source ``<tuv>`` when picking the target).
    """
    candidates = [(k, lang) for k, lang in enumerate(langs) if k != skip and lang]
    exact = next((k for k, lang in candidates if same_tag(wanted, lang)), None)
    if exact is not None:
        return exact
    return next((k for k, lang in candidates if lang_matches(wanted, lang)), None)


def same_language_problem(src: str, tgt: str, style: str = "region") -> str | None:
    """Why ``src`` and ``tgt`` cannot make a bilingual TMX/XLIFF, or None if they can.

    The one check every command writing a bilingual file from ``-s``/``-t`` shares:
    tags that are written the same (``en``/``EN``; ``en-US``/``en-GB`` under "plain"
    style) leave a reader no way to tell source from target. Region variants
    (``en`` -> ``en-GB``, ``en-US`` -> ``en-GB``) are a localisation memory and fine.
    """
    try:
        a, b = format_lang(src, style), format_lang(tgt, style)
    except ValueError:
        return None  # a bad tag is reported where it is used
    if not same_tag(a, b):
        return None
    how = "" if same_tag(src, tgt) else f" (--lang-style {style} writes {src} and {tgt} as {a})"
    return (
        f"source and target language are both {a}{how}: a bilingual translation memory "
        "needs two languages (a regional variant such as en -> en-GB is fine)"
    )
