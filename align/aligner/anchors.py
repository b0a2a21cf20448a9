"""Cheap lexical anchors that embeddings miss: numbers, names, glossary terms, '?'/'!'.

Short sentences ("Yes." / "Да.") embed poorly; a shared number, a proper name in
any two scripts (transliterated) or a glossary pair is strong evidence that two lines (or a merged
span) belong together. Each sentence's anchors are hashed into 64-bit masks so a
bead's evidence is a few vectorised bit operations, cheap enough for every cell
of the search band.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from anyascii import anyascii

_NUMBER = re.compile(r"\d+(?:[.,:/\u00a0\u202f ]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LATIN = re.compile(r"[A-Za-z]")
_CYR = re.compile(r"[\u0400-\u04ff]")

# spelling variants that transliteration does not settle, folded to one letter
_FOLD = [("kh", "h"), ("ph", "f"), ("ck", "k"), ("th", "t"), ("w", "v"), ("c", "k"),
         ("q", "k"), ("x", "ks"), ("y", "i"), ("j", "i"), ("z", "s")]  # fmt: skip
_VOWELS = set("aeiou")


def _bit(key: str) -> int:
    return 1 << (zlib.crc32(key.encode("utf-8")) & 63)


def name_key(word: str) -> str:
    """Script-neutral consonant skeleton: 'Washington'/'Вашингтон'/'Vaşinqton' -> 'vshn'.

    Any script is first romanised by ``anyascii`` (ISC licence, covers every
    Unicode script, pure Python, no dependencies; preferred to ``unidecode``,
    which is GPL and so not usable in an MIT package).
    """
    w = anyascii(word).lower()
    for a, b in _FOLD:
        w = w.replace(a, b)
    skel = w[:1] + "".join(ch for ch in w[1:] if ch not in _VOWELS and ch.isalpha())
    dedup = "".join(ch for k, ch in enumerate(skel) if k == 0 or ch != skel[k - 1])
    return dedup[:4]


def numbers(text: str) -> list[str]:
    """Digit strings with separators removed, so '1,5', '1.5' and '1 500' compare."""
    out = []
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m.group()).lstrip("0") or "0"
        out.append(digits)
    return out


def names(text: str) -> list[str]:
    """Name keys: capitalised words (a first word only if long), Latin words in other scripts."""
    words = _WORD.findall(text)
    cyr_text = bool(_CYR.search(text))
    keys = []
    for k, w in enumerate(words):
        latin_in_cyr = cyr_text and _LATIN.match(w) is not None
        # a sentence's first word is capitalised anyway: only long ones count
        capital = w[:1].isupper() and (k > 0 or len(w) >= 5)
        if capital or latin_in_cyr or (len(w) > 1 and w.isupper()):
            key = name_key(w)
            if len(key) >= 3:
                keys.append(key)
    return keys


def _stems(text: str, n: int = 5) -> set[str]:
    return {w.lower()[:n] for w in _WORD.findall(text)}


@dataclass
class Anchors:
    """Per-line anchor masks for one side of a document."""

    numbers: np.ndarray
    names: np.ndarray
    terms: np.ndarray
    punct: np.ndarray

    def span(self, starts: np.ndarray | int, size: int) -> Anchors:
        """OR of the masks of lines ``start .. start+size-1`` for every start."""
        s = np.asarray(starts)
        fields = []
        for arr in (self.numbers, self.names, self.terms, self.punct):
            acc = arr[s].copy()
            for k in range(1, size):
                acc |= arr[s + k]
            fields.append(acc)
        return Anchors(*fields)


def _term_masks(lines: Sequence[str], variants_per_term: Sequence[Sequence[str]]) -> np.ndarray:
    out = np.zeros(len(lines), dtype=np.uint64)
    if not variants_per_term:
        return out
    patterns = []
    for k, variants in enumerate(variants_per_term):
        for v in variants:
            stems = _stems(v)
            if stems:
                patterns.append((np.uint64(1 << (k & 63)), stems))
    for row, line in enumerate(lines):
        have = _stems(line)
        for bit, stems in patterns:
            if stems <= have:
                out[row] |= bit
    return out


def extract(lines: Sequence[str], term_variants: Sequence[Sequence[str]] = ()) -> Anchors:
    """Anchor masks for every line; ``term_variants[k]`` lists glossary term k's forms."""
    n = len(lines)
    nums = np.zeros(n, dtype=np.uint64)
    nams = np.zeros(n, dtype=np.uint64)
    punct = np.zeros(n, dtype=np.uint64)
    for row, line in enumerate(lines):
        mask = 0
        for d in numbers(line):
            mask |= _bit("n" + d)
        nums[row] = mask
        mask = 0
        for key in names(line):
            mask |= _bit(key)
        nams[row] = mask
        punct[row] = ("?" in line or "¿" in line) | ("!" in line) << 1
    return Anchors(nums, nams, _term_masks(lines, term_variants), punct)


@dataclass(frozen=True)
class AnchorWeights:
    numbers: float = 0.6
    names: float = 0.25
    terms: float = 0.3
    punct: float = 0.15


def score(src: Anchors, tgt: Anchors, w: AnchorWeights = AnchorWeights()) -> np.ndarray:
    """Evidence for a bead (positive = the sides share anchors, negative = conflict).

    Numbers and '?'/'!' count both ways (Dice − ½, scaled): a number on one side
    only is suspicious. Names and terms only add: names are found by a crude
    capitalisation rule, so a one-sided "name" is no evidence against a pair.
    """
    out = np.zeros(np.broadcast(src.numbers, tgt.numbers).shape, dtype=np.float64)
    for weight, a, b in ((w.numbers, src.numbers, tgt.numbers), (w.punct, src.punct, tgt.punct)):
        pa, pb = np.bitwise_count(a), np.bitwise_count(b)
        inter = np.bitwise_count(a & b)
        tot = (pa + pb).astype(np.float64)
        dice = np.where(tot > 0, 2.0 * inter / np.maximum(tot, 1), 0.5)
        out += weight * 2.0 * (dice - 0.5)
    for weight, a, b in ((w.names, src.names, tgt.names), (w.terms, src.terms, tgt.terms)):
        out += weight * np.minimum(np.bitwise_count(a & b), 2)
    return out
