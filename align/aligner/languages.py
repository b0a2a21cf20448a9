"""Which languages the sentence encoder was trained on, and the once-per-process warning.

USE multilingual v3 (Yang et al. 2019, "Multilingual Universal Sentence Encoder
for Semantic Retrieval") was trained on 16 languages: ar, zh-CN, zh-TW, en, fr,
de, it, ja, ko, nl, pl, pt, es, th, tr, ru. Other languages still get vectors
(shared subword vocabulary), but pairs separate poorly (FLORES en–az: median
pair cosine 0.29 against 0.78 for en–ru). The aligner notices that from the
document itself, not from this list: it corrects hubness in full, learns a
target→source map from the document's clear pairs (``core._adaptation``) and
leans on length, anchors and transliterated names; this list decides the
warning, the stricter review threshold and whether ``respell`` applies.

A language close to one the encoder knows is also respelt as that relative
before it is embedded (``respell``).
"""

from __future__ import annotations

import sys

from align.aligner.respell import respelling
from align.langtags import primary_language

USE_M3 = frozenset({"ar", "zh", "en", "fr", "de", "it", "ja", "ko", "nl", "pl", "pt", "es", "th", "tr", "ru"})  # fmt: skip
_warned: set[str] = set()


def covered(lang: str) -> bool:
    """True if the encoder was trained on ``lang`` (any region/script of zh counts)."""
    return primary_language(lang) in USE_M3


def warn_uncovered(*langs: str) -> bool:
    """Print one stderr line per language not covered (once per process); True if any."""
    thin = False
    for lang in langs:
        if covered(lang):
            continue
        thin = True
        key = primary_language(lang)
        if key in _warned:
            continue
        _warned.add(key)
        respelt = respelling(lang)
        also = f" (read respelt as '{respelt.relative}', a related language)" if respelt else ""
        print(
            f"align: warning: the sentence encoder (USE-m3) was not trained on '{lang}'{also}; "
            "align leans more on length, numbers and names there and flags more beads for review",
            file=sys.stderr,
        )
    return thin
