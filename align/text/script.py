"""Writing-system detection, the cheap and robust part of language identification.

Pages mix an article in one language with UI strings in another; the script of
a block (Latin, Cyrillic, ...) is enough to tell them apart.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# Default language for a script when the user asks for --lang auto.
SCRIPT_LANG = {"Latin": "en", "Cyrillic": "ru", "Greek": "el", "Arabic": "ar", "Armenian": "hy"}
# The script each language code is written in, for checking a declared language.
LANG_SCRIPT = {
    "en": "Latin", "az": "Latin", "tr": "Latin", "de": "Latin", "fr": "Latin",
    "es": "Latin", "it": "Latin", "pl": "Latin", "pt": "Latin", "nl": "Latin",
    "ru": "Cyrillic", "uk": "Cyrillic", "be": "Cyrillic", "bg": "Cyrillic",
    "sr": "Cyrillic", "kk": "Cyrillic", "el": "Greek", "ar": "Arabic", "fa": "Arabic",
    "hy": "Armenian",
}  # fmt: skip


def char_script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0].title() if name else None


def dominant_script(text: str) -> str | None:
    counts = Counter(s for s in map(char_script, text) if s)
    return counts.most_common(1)[0][0] if counts else None


def guess_lang(text: str, default: str = "und") -> str:
    script = dominant_script(text)
    return SCRIPT_LANG.get(script or "", default)
