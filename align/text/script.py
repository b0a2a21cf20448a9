"""Writing-system detection, the cheap and robust part of language identification.

Pages mix an article in one language with UI strings in another; the script of
a block (Latin, Cyrillic, ...) is enough to tell them apart. Which language a
text is in is :mod:`align.text.langid`'s question (a script names no language:
German, Turkish and English share one).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from align.langtags import primary_language, script_subtag

# The script each language code is written in, for checking a declared language.
LANG_SCRIPT = {
    "en": "Latin", "az": "Latin", "tr": "Latin", "de": "Latin", "fr": "Latin",
    "es": "Latin", "it": "Latin", "pl": "Latin", "pt": "Latin", "nl": "Latin",
    "ru": "Cyrillic", "uk": "Cyrillic", "be": "Cyrillic", "bg": "Cyrillic",
    "sr": "Cyrillic", "kk": "Cyrillic", "el": "Greek", "ar": "Arabic", "fa": "Arabic",
    "hy": "Armenian", "zh": "Cjk",
}  # fmt: skip
# BCP 47 script subtags (ISO 15924) by the name dominant_script reports.
SUBTAG_SCRIPT = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Armn": "Armenian",
    "Hans": "Cjk", "Hant": "Cjk", "Hani": "Cjk",
}  # fmt: skip


def expected_script(lang: str) -> str | None:
    """The script a text tagged ``lang`` is written in, or None when align does not know.

    A script subtag decides when there is one (``sr-Latn``: Latin, ``az-Cyrl``:
    Cyrillic, ``zho_Hans``: Cjk); otherwise the language does, however it is
    spelt (``ru``, ``ru-RU``, ``rus_Cyrl``: Cyrillic).
    """
    subtag = script_subtag(lang)
    if subtag:
        return SUBTAG_SCRIPT.get(subtag)
    return LANG_SCRIPT.get(primary_language(lang))


def char_script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0].title() if name else None


def dominant_script(text: str) -> str | None:
    counts = Counter(s for s in map(char_script, text) if s)
    return counts.most_common(1)[0][0] if counts else None
