"""Which language is a text in, when the user did not say.

Only used where a language must be written into a file (a TMX ``xml:lang``)
and none was given: a wrong guess there mislabels a whole translation memory,
so a guess is accepted only when it is confident *and* the text is written in
that language's script; otherwise the caller asks the user.

Identification is ``py3langid`` (Lui & Baldwin 2012, "langid.py: An
Off-the-shelf Language Identification Tool", naive Bayes over byte n-grams,
97 languages; the model ships inside the package, nothing is downloaded).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from align.text.script import dominant_script

# Below this normalised probability the guess is not used.
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 20_000


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _sample(texts: Iterable[str]) -> str:
    parts: list[str] = []
    size = 0
    for text in texts:
        text = text.strip()
        if text:
            parts.append(text)
            size += len(text) + 1
            if size >= SAMPLE_CHARS:
                break
    return "\n".join(parts)


def detect_language(texts: Iterable[str]) -> tuple[str | None, str]:
    """``(tag, reason)``: a BCP 47 language subtag, or None and why not.

    ``tag`` is given only when py3langid's probability is at least
    :data:`MIN_CONFIDENCE` and the text's dominant script is the script the
    language is written in (CLDR likely subtags via ``langcodes``).
    """
    from langcodes import Language

    sample = _sample(texts)
    if not sample:
        return None, "there is no text"
    lang, prob = _identifier().classify(sample)
    if prob < MIN_CONFIDENCE:
        return None, f"the best guess, {lang}, is only {prob:.0%} likely"
    script = dominant_script(sample)
    expected = Language.get(lang).maximize().script
    names = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic",
             "Armn": "Armenian", "Hebr": "Hebrew", "Geor": "Georgian", "Thai": "Thai"}  # fmt: skip
    if expected in names and script and script != names[expected]:
        return None, f"it looks like {lang} but is written in {script} script"
    return lang, f"{prob:.0%} likely"
