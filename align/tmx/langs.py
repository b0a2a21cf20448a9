"""Language codes as CAT tools expect them.

OmegaT, Trados and memoQ match TMX languages loosely but not identically, so we
write one predictable style: ``en-US``/``ru-RU`` (region style, the default) or
plain ``en``/``ru``. Reading is always lenient: ``en`` matches ``en-US``,
``EN-us`` and ``en_GB``.
"""

from __future__ import annotations

import re
from typing import Literal

LangStyle = Literal["region", "plain"]
LANG_STYLES: tuple[str, ...] = ("region", "plain")

# The region a bare language code most often means in translation work. Codes not
# listed here are written without a region rather than guessed.
DEFAULT_REGIONS: dict[str, str] = {
    "ar": "SA", "bg": "BG", "be": "BY", "ca": "ES", "cs": "CZ", "da": "DK",
    "de": "DE", "el": "GR", "en": "US", "es": "ES", "et": "EE", "fa": "IR",
    "fi": "FI", "fr": "FR", "ga": "IE", "he": "IL", "hi": "IN", "hr": "HR",
    "hu": "HU", "hy": "AM", "id": "ID", "is": "IS", "it": "IT", "ja": "JP",
    "ka": "GE", "kk": "KZ", "ko": "KR", "lt": "LT", "lv": "LV", "mk": "MK",
    "ms": "MY", "nb": "NO", "nl": "NL", "nn": "NO", "pl": "PL", "pt": "PT",
    "ro": "RO", "ru": "RU", "sk": "SK", "sl": "SI", "sq": "AL", "sr": "RS",
    "sv": "SE", "th": "TH", "tr": "TR", "uk": "UA", "ur": "PK", "uz": "UZ",
    "vi": "VN", "zh": "CN",
}  # fmt: skip

_CODE = re.compile(r"^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")


def is_lang_code(code: str) -> bool:
    """True for BCP 47-like codes (``en``, ``en-US``, ``zh_Hant_TW``); ``*all*`` is not one."""
    return bool(_CODE.match(code or ""))


def split_code(code: str) -> list[str]:
    """Subtags, lower-cased, with ``_`` treated like ``-``: ``EN_us`` -> ``['en', 'us']``."""
    return code.replace("_", "-").lower().split("-")


def format_lang(code: str, style: str = "region") -> str:
    """Normalise ``code`` for writing: ``en`` -> ``en-US`` (region) or ``en`` (plain).

    Region style keeps an explicit region (``en-GB`` stays ``en-GB``) and only adds
    one from :data:`DEFAULT_REGIONS`; plain style keeps just the language subtag.
    Raises ``ValueError`` for something that is not a language code.
    """
    if style not in LANG_STYLES:
        raise ValueError(f"language style must be one of {', '.join(LANG_STYLES)}, not {style!r}")
    if not is_lang_code(code):
        raise ValueError(f"{code!r} is not a language code like 'en' or 'en-US'")
    parts = split_code(code)
    lang = parts[0]
    if style == "plain":
        return lang
    # Canonical casing: script subtags Title-case, regions upper-case.
    out = [lang]
    for sub in parts[1:]:
        if len(sub) == 4 and sub.isalpha():
            out.append(sub.title())
        elif len(sub) in (2, 3):
            out.append(sub.upper())
        else:
            out.append(sub)
    has_region = any(len(s) == 2 or (len(s) == 3 and s.isdigit()) for s in parts[1:])
    if not has_region and lang in DEFAULT_REGIONS and len(parts) == 1:
        out.append(DEFAULT_REGIONS[lang])
    return "-".join(out)


def lang_matches(wanted: str, actual: str | None) -> bool:
    """Does the file's ``actual`` code satisfy the asked-for ``wanted`` code?

    Every subtag the caller gave must be present in order: ``en`` matches
    ``en-US`` and ``EN-gb``; ``en-GB`` matches ``en-gb`` but not ``en-US``.
    """
    if not actual:
        return False
    want = split_code(wanted)
    have = split_code(actual)
    return have[: len(want)] == want
