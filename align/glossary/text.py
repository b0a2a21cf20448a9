"""Tokens with character spans, and the normalisation every matcher shares.

Matching works on word tokens, not raw strings, so word boundaries, hyphen/space
variants ("Non-Aligned" = "Non Aligned") and punctuation around a term never
matter, while spans still point into the original text for reports and fixes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# What may stand between two words of one term: spaces, a hyphen, or a dot
# inside a name such as "News.Az".
_GAP = re.compile(r"\s+|\s*[-‐‑]\s*|\.")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def words(phrase: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(phrase)]


def joinable(text: str, left: Token, right: Token) -> bool:
    """Can ``left`` and ``right`` be consecutive words of one term?"""
    return _GAP.fullmatch(text[left.end : right.start]) is not None


def contiguous(text: str, span: list[Token]) -> bool:
    """Do the tokens of ``span`` follow each other as the words of one term?"""
    return all(joinable(text, a, b) for a, b in itertools.pairwise(span))


def separators(phrase: str) -> list[str]:
    """The text between consecutive words of ``phrase`` (to rebuild it after inflection)."""
    toks = tokenize(phrase)
    return [phrase[a.end : b.start] for a, b in itertools.pairwise(toks)]


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
