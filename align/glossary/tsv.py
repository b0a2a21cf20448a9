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

from align.errors import InputError, warn
from align.fsutil import write_text_atomic
from align.glossary.termbase import LANG_CODE, Glossary, Term, slug
from align.text.textio import read_text


def _cell(text: str) -> list[str]:
    text = text.strip()
    return [v.strip() for v in text.split("|")] if text else []


def _csv_rows(text: str, delimiter: str, path: str | Path | None) -> list[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted cell may span lines).

    A quote that is never closed would swallow the rest of the file into one cell;
    it is refused, naming the line where the quoted cell starts.
    """
    rows: list[tuple[int, list[str]]] = []
    start = 1
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    strict = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            next(strict)
        except StopIteration:
            return rows
        except csv.Error as exc:  # only an unclosed quote is new; others read as before
            if "end of data" in str(exc):
                raise InputError(
                    path, f'line {start}: unclosed quote (the " opening a cell is never closed)'
                ) from None
        start = strict.line_num + 1


_GAPS_NAMED = 3  # rows named one by one; the rest are counted


def _warn_gaps(gaps: list[tuple[int, list[str]]], path: str | Path | None) -> None:
    """Warn about rows with an empty language cell: kept, but no term pair for that language.

    Termbases often lack a rendering in some language, so this is no error; a row the
    user meant to fill (``Baku`` with no tab before ``Баку``) is still pointed out.
    """
    for line_no, missing in gaps[:_GAPS_NAMED]:
        langs = ", ".join(missing)
        warn(
            path,
            f"line {line_no}: empty {langs} cell: the term is left out where {langs} is needed",
        )
    if len(gaps) > _GAPS_NAMED:
        more = ", ".join(str(line_no) for line_no, _ in gaps[_GAPS_NAMED:][:10])
        etc = ", …" if len(gaps) > _GAPS_NAMED + 10 else ""
        warn(path, f"{len(gaps) - _GAPS_NAMED} more rows lack a rendering (lines {more}{etc})")


def parse_tsv(text: str, path: str | Path | None = None, delimiter: str | None = None) -> Glossary:
    lines = text.split("\n")
    first = next((ln for ln in lines if ln.strip()), "")
    if delimiter is None:
        delimiter = "\t" if "\t" in first or "," not in first else ","
    if delimiter == "\t":
        rows = [(i, ln.removesuffix("\r").split("\t")) for i, ln in enumerate(lines, 1)]
    else:
        rows = _csv_rows(text, delimiter, path)
    numbered = [(line_no, row) for line_no, row in rows if any(c.strip() for c in row)]
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
    gaps: list[tuple[int, list[str]]] = []
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
        if missing := [lang for lang in languages if lang not in term.variants]:
            gaps.append((line_no, missing))
        raw_ids.append((line_no, term, term_id))
        terms.append(term)
    _warn_gaps(gaps, path)
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


def write_tsv(glossary: Glossary, path: str | Path, delimiter: str | None = None) -> None:
    """Write TSV, or CSV for ``delimiter=","`` (default: CSV for a ``.csv`` name, else TSV)."""
    glossary.validate()
    if delimiter is None:
        delimiter = "," if Path(path).suffix.lower() == ".csv" else "\t"
    write_text_atomic(path, format_tsv(glossary, delimiter))
