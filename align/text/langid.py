"""Which language is a text in, when the user did not say: align's one language guesser.

Every command that is not given a language asks :func:`guess_language`:
``ingest`` and ``segment`` (``-s auto``, the default: the guess picks the
sentence rules) and ``tmx export`` without ``-s``/``-t`` (through
:func:`detect_language`, which accepts only a confident guess, since a wrong
``xml:lang`` mislabels a whole translation memory).

Identification is ``py3langid`` (Lui & Baldwin 2012, "langid.py: An
Off-the-shelf Language Identification Tool", naive Bayes over byte n-grams;
BSD-3-Clause; the model ships inside the wheel, nothing is downloaded). Its
codes become BCP 47 tags through :mod:`align.langtags` (``azj`` -> ``az``), and
a language is only ever guessed for text written in its script: Latin text is
never Russian, whatever the n-grams say (transliterations, names), and a
language written in two scripts says which (Serbian in Latin: ``sr-Latn``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from align.text.script import dominant_script

# Below this normalised probability a guess is uncertain: said so, and not used for a TMX.
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 20_000
# py3langid labels that are no language a text can be in.
_NOT_LANGUAGES = frozenset({"zxx", "und", "mul", "mis"})
# The names dominant_script gives (Unicode character names) for each ISO 15924 script
# a language is written in (CLDR likely subtags via langcodes); others are not checked.
_SCRIPT_NAMES: dict[str, frozenset[str]] = {
    code: frozenset(names)
    for code, names in {
        "Latn": {"Latin"}, "Cyrl": {"Cyrillic"}, "Grek": {"Greek"}, "Arab": {"Arabic"},
        "Armn": {"Armenian"}, "Hebr": {"Hebrew"}, "Geor": {"Georgian"}, "Thai": {"Thai"},
        "Hans": {"Cjk"}, "Hant": {"Cjk"}, "Jpan": {"Cjk", "Hiragana", "Katakana"},
        "Kore": {"Hangul", "Cjk"}, "Deva": {"Devanagari"}, "Beng": {"Bengali"},
        "Taml": {"Tamil"}, "Telu": {"Telugu"}, "Knda": {"Kannada"}, "Mlym": {"Malayalam"},
        "Gujr": {"Gujarati"}, "Guru": {"Gurmukhi"}, "Orya": {"Oriya"}, "Sinh": {"Sinhala"},
        "Khmr": {"Khmer"}, "Laoo": {"Lao"}, "Mymr": {"Myanmar"}, "Ethi": {"Ethiopic"},
        "Tibt": {"Tibetan"},
    }.items()
}  # fmt: skip
# Languages py3langid tells apart unreliably: a guess in a code's own group never contradicts it.
_CONFUSABLE = (
    frozenset({"bs", "hr", "sr", "sh", "cnr"}),
    frozenset({"ms", "id", "zsm"}),
    frozenset({"no", "nb", "nn", "da"}),
)
# langcodes.tag_distance of two primary languages below which a guess never contradicts a code
MIN_DISTANCE = 20
# Languages also written in a script other than their default one: the tag then names it.
_OTHER_SCRIPTS: dict[tuple[str, str], str] = {
    ("sr", "Latin"): "Latn", ("bs", "Cyrillic"): "Cyrl", ("uz", "Cyrillic"): "Cyrl",
    ("az", "Cyrillic"): "Cyrl", ("kk", "Latin"): "Latn", ("tg", "Latin"): "Latn",
}  # fmt: skip


@dataclass(frozen=True)
class LanguageGuess:
    """What :func:`guess_language` found.

    ``tag``: a BCP 47 tag in its preferred form (``de``, ``uk``, ``sr-Latn``), or
    None when the text gives nothing to go by; ``probability``: py3langid's
    normalised probability of ``tag``; ``confident``: at least
    :data:`MIN_CONFIDENCE` and the language py3langid ranked first; ``reason``:
    why, in words (``"98% likely"``, ``"only 41% likely"``); ``runner_up``: the
    next most likely language in the same script, if any.
    """

    tag: str | None
    probability: float
    confident: bool
    reason: str
    runner_up: str | None = None

    def note(self, option: str = "-s") -> str:
        """One line for stderr saying what was guessed and how to set it instead."""
        how = f"give {option} CODE to set it"
        if self.tag is None:
            return f"language not guessed ({self.reason}); {how}"
        if self.confident:
            return f"language guessed from the text: {self.tag} ({self.reason}); {how}"
        nxt = f" (next: {self.runner_up})" if self.runner_up else ""
        return f"language uncertain: guessed {self.tag}, but {self.reason}{nxt}; {how}"


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


@functools.lru_cache(maxsize=256)
def _tag_in_script(code: str, script: str | None) -> str | None:
    """The BCP 47 tag for py3langid's ``code`` in text of ``script``; None if it is not
    written in that script (or is no language)."""
    from langcodes import Language

    from align.langtags import preferred_tag, primary_language, user_tag

    if code in _NOT_LANGUAGES:
        return None
    try:
        tag = user_tag(code)
    except ValueError:
        return None
    expected = _SCRIPT_NAMES.get(Language.get(tag).maximize().script or "")
    if script is None or expected is None or script in expected:
        return tag
    other = _OTHER_SCRIPTS.get((primary_language(tag), script))
    return preferred_tag(f"{tag}-{other}") if other else None


def guess_language(texts: Iterable[str]) -> LanguageGuess:
    """The language ``texts`` (one document's lines or paragraphs) are written in.

    The best guess is always given when there are letters, marked ``confident``
    or not: the first 20,000 characters are identified, and only languages
    written in the text's dominant script are considered. Never raises: no text,
    or none in letters, gives a :class:`LanguageGuess` whose ``tag`` is None.
    """
    sample = _sample(texts)
    if not sample:
        return LanguageGuess(None, 0.0, False, "there is no text")
    script = dominant_script(sample)
    if script is None:
        return LanguageGuess(None, 0.0, False, "the text has no letters")
    ranked = [(code, p) for code, p in _identifier().rank(sample) if code not in _NOT_LANGUAGES]
    fitting = [(tag, p) for code, p in ranked if (tag := _tag_in_script(code, script))]
    if not fitting:
        return LanguageGuess(None, 0.0, False, f"no language known in {script} script")
    tag, prob = fitting[0]
    runner_up = next((t for t, _ in fitting[1:] if t != tag), None)
    if _tag_in_script(ranked[0][0], script) is None:
        reason = f"the text looks like {ranked[0][0]} written in {script} script"
        return LanguageGuess(tag, prob, False, reason, runner_up)
    if prob < MIN_CONFIDENCE:
        return LanguageGuess(tag, prob, False, f"only {prob:.0%} likely", runner_up)
    return LanguageGuess(tag, prob, True, f"{prob:.0%} likely", runner_up)


def detect_language(texts: Iterable[str]) -> tuple[str | None, str]:
    """``(tag, reason)``: a confident :func:`guess_language`, or None and why not.

    For files whose language is written into the output (a TMX ``xml:lang``): an
    uncertain guess is not used, the caller asks the user instead.
    """
    guess = guess_language(texts)
    if guess.tag is None:
        return None, guess.reason
    if not guess.confident:
        if guess.reason.startswith("only"):
            return None, f"the best guess, {guess.tag}, is {guess.reason}"
        return None, guess.reason
    return guess.tag, guess.reason


def contradicts(declared: str, guess: LanguageGuess) -> bool:
    """True when a confident ``guess`` names another language than ``declared`` (a wrong code?).

    Regional variants and scripts of one language (``en``/``en-GB``, ``zh``/``zh-Hant``)
    never contradict, nor do languages the identifier confuses with each other
    (Bosnian/Croatian/Serbian, Malay/Indonesian, the Scandinavian ones); the two
    primary languages must also be at least :data:`MIN_DISTANCE` apart by
    ``langcodes.tag_distance`` (CLDR language matching: Ukrainian/Russian 24,
    Azerbaijani/Turkish 84, Norwegian Bokmål/Danish 12, Bosnian/Croatian 8).
    """
    import langcodes

    from align.langtags import primary_language

    if not guess.confident or guess.tag is None:
        return False
    mine, theirs = primary_language(declared), primary_language(guess.tag)
    if not mine or not theirs or mine == theirs:
        return False
    if any(mine in group and theirs in group for group in _CONFUSABLE):
        return False
    return langcodes.tag_distance(mine, theirs) >= MIN_DISTANCE


def misread(declared: str, texts: Iterable[str]) -> LanguageGuess | None:
    """The confident guess for ``texts`` when it :func:`contradicts` ``declared``, else None."""
    guess = guess_language(texts)
    return guess if contradicts(declared, guess) else None
