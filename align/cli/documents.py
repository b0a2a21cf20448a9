"""``align ingest`` and ``align segment``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from align.fsutil import write_text_atomic
from align.paths import check_outputs
from align.text.documents import (
    document_json,
    document_text,
    load_document_json,
    segments_lines,
)
from align.text.ingest import ingest_file
from align.text.segment import segment_document


def emit(text: str, out: str | None) -> None:
    """Write to ``out`` atomically, or to stdout."""
    if out:
        write_text_atomic(out, text)
    else:
        sys.stdout.write(text)


def load_any(path: str, lang: str):
    """An ingested document from a page, or from JSON written by ``align ingest``."""
    if path.endswith(".json"):
        return load_document_json(path)
    return ingest_file(path, lang=lang)


@click.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--lang",
    default="auto",
    show_default=True,
    help="Language code of the body text (en, ru, …); auto guesses it from the script.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: cleaned paragraphs; json: structure and offsets.",
)
@click.option(
    "--rules",
    type=str,
    default=None,
    help="Boilerplate rule file (JSON) instead of the bundled news-page rules.",
)
@click.option("-o", "--output", "out", default=None, help="Output file (default: stdout).")
def ingest(file: str, lang: str, fmt: str, rules: str | None, out: str | None) -> None:
    """Clean a scraped page (plain text or HTML) and recover its structure.

    Detects the encoding (UTF-8, UTF-16, cp1251, koi8-r, …), removes web debris
    (language switchers, photo captions, site names, counters, share buttons,
    UI strings in another language) and marks the title, lead and interview
    turns. Dialogue dashes become question/answer structure. The input file is
    never modified.
    """
    check_outputs([file, rules], [out])
    doc = ingest_file(file, lang=lang, rules_path=rules)
    emit(document_json(doc) if fmt == "json" else document_text(doc), out)


@click.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--lang",
    default="auto",
    show_default=True,
    help="Language code for the SRX rules (en, ru, …); auto guesses it.",
)
@click.option(
    "--srx",
    type=str,
    default=None,
    help="SRX 2.0 rules file (e.g. exported from OmegaT) instead of the built-in rules.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["lines", "json"]),
    default="lines",
    show_default=True,
    help="lines: one sentence per line; json: ids and offsets.",
)
@click.option("-o", "--output", "out", default=None, help="Output file (default: stdout).")
def segment(file: str, lang: str, srx: str | None, fmt: str, out: str | None) -> None:
    """Split a document into sentences with SRX rules, as CAT tools do.

    FILE is a page (cleaned first, as by `align ingest`) or JSON from
    `align ingest --format json`. Segments never cross paragraphs or interview
    turns; each has a stable id DOCUMENT:PARAGRAPH:SENTENCE and character
    offsets into the cleaned text.
    """
    check_outputs([file, srx], [out])
    doc = load_any(file, lang)
    segments = segment_document(doc, srx=Path(srx) if srx else None)
    emit(document_json(doc, segments) if fmt == "json" else segments_lines(segments), out)
