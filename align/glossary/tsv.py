"""CSV/TSV termbases: one concept per row, one column per language.

Header: language codes (``en``, ``ru``, ``az`` …), optional ``forbidden:<code>``
columns, optional ``adj:<code>`` columns (relational adjectives that also render
the term, for the irregular ones morphology cannot derive: Christmas →
"рождественский"), optional ``id`` and ``note``. A cell lists renderings
separated by ``|``, the first being preferred.

TSV is the format's own convention: tab-separated, no quoting, so a cell
``"Kaspi" bank`` keeps its quotes. CSV keeps normal CSV quoting. The writer always emits the same canonical
column order (id, languages, forbidden columns in use, note if any), so a
file written by align survives TSV → TBX → TSV byte for byte.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from align.errors import InputError
from align.fsutil import write_text_atomic
from align.glossary.termbase import LANG_CODE, Glossary, Term, slug
from align.text.textio import read_text


def _cell(text: str) -> list[str]:
    text = text.strip()
    return [v.strip() for v in text.split("|")] if text else []


def parse_tsv(text: str, path: str | Path | None = None, delimiter: str | None = None) -> Glossary:
    lines = text.split("\n")
    first = next((ln for ln in lines if ln.strip()), "")
    if delimiter is None:
        delimiter = "\t" if "\t" in first or "," not in first else ","
    if delimiter == "\t":
        rows = [ln.removesuffix("\r").split("\t") for ln in text.split("\n")]
    else:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    numbered = [(i + 1, row) for i, row in enumerate(rows) if any(c.strip() for c in row)]
    if not numbered:
        raise InputError(path, "is empty")
    header_line, header = numbered[0]
    columns: list[tuple[str, str]] = []  # (kind, lang) with kind in lang|forbidden|id|note
    for name in (h.strip() for h in header):
        low = name.lower()
        if low == "id":
            columns.append(("id", ""))
        elif low in ("note", "notes"):
            columns.append(("note", ""))
        elif low.startswith("forbidden:") and LANG_CODE.match(name[10:].strip()):
            columns.append(("forbidden", name[10:].strip()))
        elif low.startswith("adj:") and LANG_CODE.match(name[4:].strip()):
            columns.append(("adj", name[4:].strip()))
        elif LANG_CODE.match(name):
            columns.append(("lang", name))
        else:
            raise InputError(
                path,
                f"line {header_line}: unknown column '{name}' "
                "(expected language codes such as en, ru, forbidden:<code>, adj:<code>, id, note)",
            )
    languages = [lang for kind, lang in columns if kind == "lang"]
    if not languages:
        raise InputError(path, "has no language columns (header needs codes such as en, ru)")
    for kind, lang in columns:
        if kind in ("forbidden", "adj") and lang not in languages:
            raise InputError(path, f"column {kind}:{lang} but no '{lang}' column")
    names = [f"{k}:{lang}" for k, lang in columns]
    if len(set(names)) != len(names):
        raise InputError(path, f"line {header_line}: a column appears twice")

    terms: list[Term] = []
    raw_ids: list[tuple[int, Term, str]] = []
    for line_no, row in numbered[1:]:
        if len(row) > len(columns):
            extra = [c for c in row[len(columns) :] if c.strip()]
            if extra:
                raise InputError(path, f"line {line_no}: more cells than header columns")
        term = Term(id="")
        term_id = ""
        for (kind, lang), value in zip(columns, row, strict=False):
            if kind == "id":
                term_id = value.strip()
            elif kind == "note":
                term.note = value.strip()
            else:
                items = _cell(value)
                if any(not v for v in items):
                    raise InputError(path, f"line {line_no}: empty rendering in '{value.strip()}'")
                if items:
                    table = {"lang": term.variants, "forbidden": term.forbidden}.get(
                        kind, term.adjectives
                    )
                    table[lang] = items
        if not any(term.variants.values()):
            raise InputError(path, f"line {line_no}: empty term (no rendering in any language)")
        raw_ids.append((line_no, term, term_id))
        terms.append(term)
    taken = {tid for _, _, tid in raw_ids if tid}
    seen: set[str] = set()
    for line_no, term, tid in raw_ids:
        if tid and tid in seen:
            raise InputError(path, f"line {line_no}: duplicate term id '{tid}'")
        seen.add(tid)
        if not tid:
            first = next(iter(v for lang in languages for v in term.variants.get(lang, [])))
            tid = slug(first, taken)
        term.id = tid
    # Order each term's languages as the header does, so equal glossaries compare equal.
    for term in terms:
        term.variants = {lg: term.variants[lg] for lg in languages if lg in term.variants}
        term.forbidden = {lg: term.forbidden[lg] for lg in languages if lg in term.forbidden}
        term.adjectives = {lg: term.adjectives[lg] for lg in languages if lg in term.adjectives}
    return Glossary(languages, terms, str(path) if path else None).validate()


def read_tsv(path: str | Path) -> Glossary:
    p = Path(path)
    text = read_text(p).text
    delimiter = "," if p.suffix.lower() == ".csv" else None
    return parse_tsv(text, p, delimiter)


def format_tsv(glossary: Glossary, delimiter: str = "\t") -> str:
    langs = glossary.languages
    banned = [lg for lg in langs if any(t.forbidden.get(lg) for t in glossary.terms)]
    adj = [lg for lg in langs if any(t.adjectives.get(lg) for t in glossary.terms)]
    has_note = any(t.note for t in glossary.terms)
    header = ["id", *langs, *(f"forbidden:{lg}" for lg in banned)]
    header += [f"adj:{lg}" for lg in adj] + (["note"] if has_note else [])
    rows = [header]
    for t in glossary.terms:
        row = [t.id, *("|".join(t.variants.get(lg, [])) for lg in langs)]
        row += ["|".join(t.forbidden.get(lg, [])) for lg in banned]
        row += ["|".join(t.adjectives.get(lg, [])) for lg in adj]
        if has_note:
            row.append(t.note)
        rows.append(row)
    if delimiter == "\t":
        # No quoting in TSV: a note's tabs and line breaks become spaces.
        return "".join("\t".join(" ".join(c.split()) for c in r) + "\n" for r in rows)
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_tsv(glossary: Glossary, path: str | Path) -> None:
    glossary.validate()
    delimiter = "," if Path(path).suffix.lower() == ".csv" else "\t"
    write_text_atomic(path, format_tsv(glossary, delimiter))
