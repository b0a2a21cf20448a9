"""The termbase model: concepts with admitted and forbidden renderings per language.

One ``Term`` is one concept (a TBX ``termEntry``): for each language an ordered
list of admitted renderings (the first is preferred) and a list of forbidden
ones (known wrong variants, TBX ``deprecatedTerm-admn-sts``). Both file formats
load into this and are written from it, which is what makes conversion lossless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from align.errors import InputError
from align.langtags import tags_match
from align.paths import check_input_file

if TYPE_CHECKING:
    from align.glossary.fix import FixResult

LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# Characters a rendering may not contain: the TSV cell separator and line breaks.
_BAD_CHARS = re.compile(r"[|\t\r\n]")


@dataclass
class Term:
    """One concept: ``variants[lang]`` lists admitted renderings (the first is preferred),
    ``forbidden[lang]`` known wrong ones; ``id`` is unique in the glossary."""

    id: str
    variants: dict[str, list[str]] = field(default_factory=dict)
    forbidden: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""
    # Relational adjectives that also render the concept ("рождественский" for
    # Christmas) when the morphology cannot derive them; see ``morph.adjectives``.
    adjectives: dict[str, list[str]] = field(default_factory=dict)

    def admitted(self, lang: str) -> list[str]:
        return list(self.variants.get(lang, []))

    def preferred(self, lang: str) -> str | None:
        found = self.variants.get(lang)
        return found[0] if found else None

    def banned(self, lang: str) -> list[str]:
        return list(self.forbidden.get(lang, []))

    def adjective_forms(self, lang: str) -> list[str]:
        """Adjectives listed for ``lang`` (base form, e.g. "рождественский")."""
        return list(self.adjectives.get(lang, []))


@dataclass
class Glossary:
    """A termbase: language codes (BCP 47, in column order) and terms.

    Read with :func:`load_glossary`, write with :func:`save_glossary`. Also the
    post-editor ``align.mt.engine.Translator`` accepts (:meth:`fix_segment`).
    """

    languages: list[str]
    terms: list[Term]
    path: str | None = field(default=None, compare=False)

    def resolve(self, lang: str) -> str:
        """The glossary's own code for ``lang`` ("ru" finds a "ru-RU" column and back)."""
        if lang in self.languages:
            return lang
        # BCP 47 matching (align.langtags): "ru" finds "ru-RU" and "EN" finds "en",
        # but "en-GB" never takes an "en-US" column.
        for code in self.languages:
            if tags_match(lang, code):
                return code
        have = ", ".join(self.languages)
        raise InputError(self.path, f"has no '{lang}' column (it has {have})")

    def pairs(self, src_lang: str, tgt_lang: str) -> list[tuple[list[str], list[str]]]:
        """(admitted source renderings, admitted target renderings) of every term with both."""
        src, tgt = self.resolve(src_lang), self.resolve(tgt_lang)
        return [
            (t.admitted(src), t.admitted(tgt))
            for t in self.terms
            if t.variants.get(src) and t.variants.get(tgt)
        ]

    def fix_segment(self, source: str, target: str, src_lang: str, tgt_lang: str) -> FixResult:
        """Put this glossary's preferred renderings into ``target`` (see ``fix.fix_segment``).

        Makes a Glossary the post-editor ``align.mt.engine.Translator`` accepts, so the MT
        stage never imports the glossary stage.
        """
        from align.glossary.fix import fix_segment  # fix.py builds on this module

        return fix_segment(self, source, target, src_lang, tgt_lang)

    def term(self, term_id: str) -> Term:
        for t in self.terms:
            if t.id == term_id:
                return t
        raise KeyError(term_id)

    def validate(self) -> Glossary:
        """Raise InputError for what would make checks ambiguous; return self."""
        where = self.path
        if not self.languages:
            raise InputError(where, "has no language columns (expected codes such as en, ru)")
        for code in self.languages:
            if not LANG_CODE.match(code):
                raise InputError(where, f"'{code}' is not a language code")
        if len(set(self.languages)) != len(self.languages):
            raise InputError(where, "lists a language twice")
        ids: set[str] = set()
        seen: dict[tuple[str, str], str] = {}
        for term in self.terms:
            label = f"term '{term.id}'"
            if not term.id.strip():
                raise InputError(where, "a term has an empty id")
            if term.id in ids:
                raise InputError(where, f"duplicate term id '{term.id}'")
            ids.add(term.id)
            if not any(term.variants.values()):
                raise InputError(where, f"{label} is empty (no admitted rendering)")
            for kind, table in (
                ("admitted", term.variants),
                ("forbidden", term.forbidden),
                ("adjective", term.adjectives),
            ):
                for lang, items in table.items():
                    if lang not in self.languages:
                        raise InputError(where, f"{label} uses language '{lang}' not declared")
                    folded = [v.casefold() for v in items]
                    for v in items:
                        if not v.strip() or v != v.strip():
                            raise InputError(where, f"{label} has an empty {kind} rendering")
                        if _BAD_CHARS.search(v):
                            raise InputError(
                                where, f"{label}: '{v}' contains '|', a tab or a line break"
                            )
                    if len(set(folded)) != len(folded):
                        raise InputError(where, f"{label} lists a {lang} rendering twice")
            for lang in self.languages:
                clash = {v.casefold() for v in term.admitted(lang)} & {
                    v.casefold() for v in term.banned(lang)
                }
                if clash:
                    raise InputError(
                        where, f"{label}: '{sorted(clash)[0]}' is both admitted and forbidden"
                    )
                pref = term.preferred(lang)
                if pref is None:
                    continue
                key = (lang, pref.casefold())
                if key in seen:
                    raise InputError(
                        where, f"duplicate term: '{pref}' ({lang}) in '{seen[key]}' and '{term.id}'"
                    )
                seen[key] = term.id
        return self


def slug(text: str, taken: set[str]) -> str:
    """A readable, unique term id made from a rendering."""
    base = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_") or "term"
    if base[0].isdigit():
        base = "t-" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def load_glossary(path: str | Path) -> Glossary:
    """Read a termbase: ``.tsv``/``.csv`` (one row per term, language-code columns,
    ``|`` between variants, optional ``forbidden:LANG``, ``id``, ``note``) or ``.tbx``
    (TBX-Basic, ISO 30042, as OmegaT and memoQ write it).

    Returns:
        A validated Glossary.

    Raises:
        InputError: missing or unreadable file, unknown extension, no language
            columns, duplicate ids or conflicting renderings (names the file and row).
    """
    p = Path(path)
    check_input_file(p)  # a missing file or a folder is named as such, whatever its extension
    suffix = p.suffix.lower()
    if suffix in (".tsv", ".csv", ".tab", ".txt"):
        from align.glossary.tsv import read_tsv

        return read_tsv(p)
    if suffix in (".tbx", ".xml"):
        from align.glossary.tbx import read_tbx

        return read_tbx(p)
    raise InputError(p, "unknown glossary format (expected .tsv, .csv or .tbx)")


# What each glossary output format is written as, and the names that imply it.
GLOSSARY_FORMATS = ("tsv", "csv", "tbx")
_SUFFIX_FORMAT = {".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".csv": "csv",
                  ".tbx": "tbx", ".xml": "tbx"}  # fmt: skip


def glossary_format(path: str | Path, fmt: str | None = None) -> str:
    """``fmt`` when given, else the format ``path``'s extension names (tsv, csv or tbx).

    Raises:
        OutputError: neither says (``-o /dev/null``, ``terms.out``), or ``fmt`` is unknown.
    """
    from align.errors import OutputError

    if fmt is not None:
        if fmt not in GLOSSARY_FORMATS:
            raise OutputError(path, f"unknown glossary format {fmt!r} (expected tsv, csv or tbx)")
        return fmt
    found = _SUFFIX_FORMAT.get(Path(path).suffix.lower())
    if found is None:
        raise OutputError(
            path, "unknown glossary format: name it .tsv, .csv or .tbx, or give -f tsv, csv or tbx"
        )
    return found


def save_glossary(glossary: Glossary, path: str | Path, fmt: str | None = None) -> None:
    """Write ``glossary`` atomically as TSV, CSV or TBX (TBX-Basic, ISO 30042).

    ``fmt`` (``tsv``, ``csv``, ``tbx``) when given, else the extension decides
    (``.tsv``, ``.csv``, ``.tbx``), so a device such as ``/dev/null`` can be written.

    Raises:
        OutputError: no format known (:func:`glossary_format`) or the file cannot be written.
    """
    p = Path(path)
    kind = glossary_format(p, fmt)
    if kind == "tbx":
        from align.glossary.tbx import write_tbx

        write_tbx(glossary, p)
    else:
        from align.glossary.tsv import write_tsv

        write_tsv(glossary, p, "," if kind == "csv" else "\t")
