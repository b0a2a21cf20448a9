"""``align ingest`` and ``align segment``."""

from __future__ import annotations

from pathlib import Path

import click

from align.cli.options import (
    any_path,
    command,
    emit,
    format_option,
    output_option,
    src_lang_option,
)
from align.paths import check_outputs
from align.text.documents import (
    document_json,
    document_text,
    load_document_json,
    segments_lines,
)
from align.text.ingest import ingest_file
from align.text.segment import segment_document


def load_any(path: str, lang: str):
    """An ingested document from a page, or from JSON written by ``align ingest``."""
    if path.endswith(".json"):
        return load_document_json(path)
    return ingest_file(path, lang=lang)


# What ``-s auto`` (the default) does, for both commands' help.
_AUTO_HELP = (
    "auto (the default) identifies it from the text (py3langid, offline) and says on "
    "stderr which language it took, and when it is unsure"
)


def note_language(doc, path: str) -> None:  # type: ignore[no-untyped-def]
    """One stderr note naming the language guessed for ``path`` (none when it was given)."""
    if doc.guess is not None:
        click.echo(f"align: note: {path}: {doc.guess.note('-s')}", err=True)


@command(renamed={"--lang": "--src-lang"})
@click.argument("file", metavar="FILE")
@src_lang_option(
    required=False,
    default="auto",
    auto="guess",
    help=f"Language of the text (BCP 47 code: en, de, ru, …); {_AUTO_HELP}.",
)
@format_option(["txt", "json"], "txt", help="txt: cleaned paragraphs; json: structure and offsets.")
@click.option(
    "--rules",
    type=str,
    default=None,
    help="Boilerplate rule file (JSON) instead of the bundled news-page rules.",
)
@output_option()
def ingest(file: str, src_lang: str, fmt: str, rules: str | None, output: str | None) -> None:
    """Clean a scraped page (plain text or HTML) and recover its structure.

    Detects the encoding (UTF-8, UTF-16, cp1251, koi8-r, …), removes web debris
    (language switchers, photo captions, site names, counters, share buttons,
    UI strings in another language) and marks the title, lead and interview
    turns. Dialogue dashes become question/answer structure. Without -s the
    language is identified from the text and named on stderr; give -s to set it.
    The input file is never modified. FILE - reads standard input.
    """
    check_outputs([file, rules], [output])
    doc = ingest_file(file, lang=src_lang, rules_path=rules)
    note_language(doc, file)
    emit(document_json(doc) if fmt == "json" else document_text(doc), output)


@command(renamed={"--lang": "--src-lang"})
@click.argument("file", metavar="FILE")
@src_lang_option(
    required=False,
    default="auto",
    auto="guess",
    help=f"Language for the SRX rules (BCP 47 code: en, de, ru, …); {_AUTO_HELP}. "
    "A JSON FILE keeps the languages align ingest gave it.",
)
@click.option(
    "--srx",
    type=any_path(),
    metavar="FILE.srx",
    default=None,
    help="SRX 2.0 rules file (e.g. exported from OmegaT) instead of the built-in rules.",
)
@format_option(["txt", "json"], "txt", help="txt: one sentence per line; json: ids and offsets.")
@output_option()
def segment(file: str, src_lang: str, srx: str | None, fmt: str, output: str | None) -> None:
    """Split a document into sentences with SRX rules, as CAT tools do.

    FILE is a page (cleaned first, as by `align ingest`) or JSON from
    `align ingest --format json`. Segments never cross paragraphs or interview
    turns; each has a stable id DOCUMENT:PARAGRAPH:SENTENCE and character
    offsets into the cleaned text. The sentence rules are the language's: without
    -s it is identified from the text and named on stderr (German "3. Oktober"
    and "Abs. 2" are not sentence ends); give -s to set it. FILE - reads
    standard input.

    Example: cat page.txt | align segment - -s en -f txt -o -
    """
    check_outputs([file, srx], [output])
    doc = load_any(file, src_lang)
    segments = segment_document(doc, srx=Path(srx) if srx else None)
    note_language(doc, file)
    emit(document_json(doc, segments) if fmt == "json" else segments_lines(segments), output)
