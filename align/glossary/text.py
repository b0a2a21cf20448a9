"""Tokens with character spans, and the normalisation every matcher shares.

Matching works on word tokens, not raw strings, so word boundaries, hyphen/space
variants ("Non-Aligned" = "Non Aligned") and punctuation around a term never
matter, while spans still point into the original text for reports and fixes.
Invisible characters (zero-width space/joiners, word joiner, BOM, soft hyphen)
are ignored inside and between words, and any Unicode space (NBSP, thin space)
counts as a space, so ``Санкт-\u200bПетербург`` is one name.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# What may stand between two words of one term: spaces, a hyphen, or a dot
# inside a name such as "News.Az".
_GAP = re.compile(r"\s+|\s*[-‐‑]\s*|\.")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROP_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def visible(text: str) -> str:
    """``text`` without invisible characters (zero-width, soft hyphen)."""
    return text.translate(_DROP_INVISIBLE) if _HAS_INVISIBLE.search(text) else text


def tokenize(text: str) -> list[Token]:
    """Word tokens; a token's text has no invisible characters, its span is in ``text``."""
    if not _HAS_INVISIBLE.search(text):
        return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    where = [i for i, ch in enumerate(text) if ch not in INVISIBLE]
    clean = "".join(text[i] for i in where)
    return [
        Token(m.group(), where[m.start()], where[m.end() - 1] + 1) for m in _WORD.finditer(clean)
    ]


def words(phrase: str) -> list[str]:
    return list(_words(phrase))


@functools.lru_cache(maxsize=65536)
def _words(phrase: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _WORD.finditer(visible(phrase)))


def joinable(text: str, left: Token, right: Token) -> bool:
    """Can ``left`` and ``right`` be consecutive words of one term?"""
    return _GAP.fullmatch(visible(text[left.end : right.start])) is not None


def contiguous(text: str, span: list[Token]) -> bool:
    """Do the tokens of ``span`` follow each other as the words of one term?"""
    return all(joinable(text, a, b) for a, b in itertools.pairwise(span))


def separators(phrase: str) -> list[str]:
    """The text between consecutive words of ``phrase`` (to rebuild it after inflection)."""
    phrase = visible(phrase)
    toks = tokenize(phrase)
    return [phrase[a.end : b.start] for a, b in itertools.pairwise(toks)]


# Punctuation a term may carry without it being part of what must match: quotes,
# brackets, dashes, dots. Anything else that is not a letter, digit or space
# (C++, C#, $, *) is literal text the match must find as written.
_TYPOGRAPHIC = set(" -‐‑–—.,:;!?'’\"«»„“”‘()[]{}/")


@dataclass(frozen=True)
class Literal:
    """What a glossary phrase holds besides its words: text before, between and after."""

    prefix: str
    inner: tuple[str, ...]
    suffix: str

    @property
    def strict(self) -> bool:
        """Must the text around the words match as written (the phrase has symbols)?"""
        rest = self.prefix + "".join(self.inner) + self.suffix
        if any(_GAP.fullmatch(gap) is None for gap in self.inner):
            return True  # "AC/DC": words joined by something other than a space or hyphen
        return any(not ch.isalnum() and not ch.isspace() and ch not in _TYPOGRAPHIC for ch in rest)


def literal(phrase: str) -> Literal:
    phrase = visible(phrase).strip()
    toks = tokenize(phrase)
    if not toks:
        return Literal(phrase, (), "")
    inner = tuple(phrase[a.end : b.start] for a, b in itertools.pairwise(toks))
    return Literal(phrase[: toks[0].start], inner, phrase[toks[-1].end :])


def same_literal(a: str, b: str) -> bool:
    """Equal as literal text, up to case, invisible characters and runs of spaces."""
    return " ".join(visible(a).casefold().split()) == " ".join(visible(b).casefold().split())


@functools.lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Case-fold, unify apostrophes and ё/е, and drop accents on Latin letters only.

    Accents are dropped so "Erdogan" finds "Erdoğan"; Cyrillic letters are left
    alone (й is not и), and so are letters like Azerbaijani ə that are not
    accented Latin letters.
    """
    token = token.casefold().translate(_APOSTROPHES).replace("ё", "е")
    if token.isascii():
        return token
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", token):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def is_cyrillic(token: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in token)


def restore_case(form: str, model: str) -> str:
    """Give ``form`` the capitalisation pattern of ``model`` (its base form)."""
    if len(model) > 1 and model.isupper():
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
