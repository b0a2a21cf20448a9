"""Turn a scraped page (plain text or HTML) into a clean, structured ``Document``.

The cleaning is rule-driven (see ``boilerplate``) and the structure follows the
conventions of news interviews: a title, a lead, then question/answer turns
introduced by dialogue dashes. The dashes become structure, not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.limits import check_segments
from align.model import Document, Inline, Paragraph, ParagraphKind, has_codes, slice_inline
from align.paths import check_input_file
from align.text.boilerplate import Rule, debris_rule, load_rules
from align.text.langid import LanguageGuess, guess_language
from align.text.script import dominant_script
from align.text.textio import decode, decode_html, read_bytes

# A dialogue dash at the start of a paragraph: en/em dash, or hyphen(s), before text.
_DASH = re.compile(r"^(?:[–—]|-{1,2})\s*(?=\S)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# What a page starts with: how ingest (and the line-file check, align.cli.inputkinds) sniff HTML.
HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_BLOCK_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "td",
    "th",
    "div",
    "section",
    "article",
}
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "svg",
    "template",
]
_TITLE_MAX = 300


@dataclass(frozen=True)
class Block:
    text: str
    hint: str = ""  # "title" or "caption" when the markup says so
    content: Inline | None = None  # text with inline codes (office documents); text is its view


def _clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def text_blocks(text: str) -> list[Block]:
    """Split plain text into blocks: blank-line separated paragraphs.

    A group of lines that all look like short UI strings stays as separate
    blocks (scrapers stack widgets one per line); other groups are hard-wrapped
    paragraphs and are joined.
    """
    blocks: list[Block] = []
    for group in re.split(r"\n\s*\n", text):
        lines = [_clean(line) for line in group.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = len(lines) > 1 and all(len(line) > 40 for line in lines[:-1])
        if wrapped:
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(line) for line in lines)
    return blocks


def html_blocks(text: str, path: str | Path | None = None) -> list[Block]:
    """Block-level text of an HTML page; page chrome elements are dropped outright."""
    import lxml.html
    from lxml import etree

    try:
        # Text is decoded already (textio.decode_html): tell libxml2 the bytes are
        # UTF-8, or it honours the page's <meta charset> or defaults to Latin-1
        # and decodes a second time (mojibake).
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"is not parseable HTML ({exc})") from None
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree() if el.getparent() is not None else None
    blocks: list[Block] = []
    title_el = root.find(".//title")
    has_h1 = root.find(".//h1") is not None
    if not has_h1 and title_el is not None and _clean(title_el.text_content()):
        blocks.append(Block(_clean(title_el.text_content()), "title"))
    body = root.find("body")
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
            continue  # a container: its leaf blocks are taken instead
        content = _clean(el.text_content())
        if not content:
            continue
        hint = "title" if el.tag == "h1" else "caption" if el.tag == "figcaption" else ""
        blocks.append(Block(content, hint))
    return blocks


def _split_dash(text: str) -> tuple[bool, str]:
    m = _DASH.match(text)
    return (True, text[m.end() :]) if m else (False, text)


def build_document(
    blocks: list[Block],
    doc_id: str,
    lang: str = "auto",
    rules: tuple[Rule, ...] | None = None,
    source_path: str | None = None,
    encoding: str | None = None,
) -> Document:
    """Clean ``blocks`` and give them structure: title, lead, question/answer turns."""
    rules = load_rules() if rules is None else rules
    substantial = " ".join(b.text for b in blocks if len(b.text.split()) >= 5)
    body_script = dominant_script(substantial or " ".join(b.text for b in blocks))

    kept: list[Block] = []
    removed: list[str] = []
    for block in blocks:
        rule = "caption" if block.hint == "caption" else debris_rule(block.text, body_script, rules)
        if rule:
            removed.append(f"{rule}: {block.text}")
        else:
            kept.append(block)
    if not kept:
        raise InputError(source_path, "has no text left after removing page debris")
    guess = None
    if lang == "auto":
        guess = body_language(kept, body_script)
        lang = guess.tag or "und"

    title_idx = next((i for i, b in enumerate(kept) if b.hint == "title"), None)
    if title_idx is None and len(kept) > 1 and len(kept[0].text) <= _TITLE_MAX:
        title_idx = 0
    interview = any(_split_dash(b.text)[0] for b in kept)

    paragraphs: list[Paragraph] = []
    offset, turn, last_kind = 0, 0, None
    for i, block in enumerate(kept):
        dashed, text = _split_dash(block.text)
        kind: ParagraphKind
        this_turn: int | None = None
        if i == title_idx:
            kind, text = "title", block.text
        elif not interview:
            kind = "body"
        elif dashed and not (last_kind == "question" and not text.endswith("?")):
            kind = "question"  # a dash opens a turn, unless it answers the question above
            turn += 1
        elif dashed or last_kind in ("question", "answer"):
            kind = "answer"
        else:
            kind = "lead"
        if kind in ("question", "answer"):
            this_turn = turn
        script = dominant_script(text)
        para_lang = lang if script in (None, body_script) else _other_language(text)
        content = None
        if has_codes(block.content):
            cut = len(block.text) - len(text)  # a dialogue dash taken off the front
            content = slice_inline(block.content, cut, len(block.text))  # type: ignore[arg-type]
        paragraphs.append(
            Paragraph(
                len(paragraphs),
                kind,
                text,
                para_lang,
                offset,
                offset + len(text),
                this_turn,
                content,
            )
        )
        offset += len(text) + 2
        last_kind = kind
    return Document(doc_id, lang, paragraphs, source_path, encoding, removed, guess)


def body_language(blocks: list[Block], body_script: str | None) -> LanguageGuess:
    """The language of a page's text (:func:`align.text.langid.guess_language`).

    Read from the blocks in the page's main script, the longer ones (five words or
    more) first, so a stray line in another script or language does not decide.
    """
    body = [b.text for b in blocks if dominant_script(b.text) in (None, body_script)]
    long = [t for t in body if len(t.split()) >= 5]
    return guess_language([*long, *(t for t in body if len(t.split()) < 5)])


def _other_language(text: str) -> str:
    """The language of a paragraph in another script than the page (a quote, a UI string)."""
    return guess_language([text]).tag or "und"


def ingest_text(
    text: str,
    doc_id: str = "doc",
    lang: str = "auto",
    html: bool | None = None,
    rules: tuple[Rule, ...] | None = None,
    source_path: str | None = None,
    encoding: str | None = None,
) -> Document:
    """Clean already-decoded text into a :class:`Document` (see :func:`ingest_file`).

    Args:
        text: the whole document as a string.
        doc_id: id used in segment ids (``doc:paragraph:sentence``).
        lang: BCP 47 code, or ``"auto"`` to guess it from the text (``Document.guess``).
        html: parse as HTML; ``None`` sniffs the markup.
        rules: boilerplate rules (``align.text.boilerplate.load_rules``); None: built-in.
        source_path, encoding: recorded in the Document and named in errors.

    Raises:
        InputError: no text is left after cleaning.
    """
    if html is None:
        html = bool(HTML_START.match(text))
    if not html:  # a giant line is refused before cleaning it (regexes over 50 MB take seconds)
        check_segments(source_path, text.split("\n"), "line")
    blocks = html_blocks(text, source_path) if html else text_blocks(text)
    if not blocks:
        raise InputError(source_path, "has no text")
    # Cleaning and SRX are superlinear in a paragraph's length: refuse a giant one up front.
    check_segments(source_path, (b.text for b in blocks), "paragraph")
    return build_document(blocks, doc_id, lang, rules, source_path, encoding)


def office_blocks(path: str | Path) -> list[Block]:
    """Blocks of a .docx/.odt/.pdf, run formatting kept as inline codes (see ``office``)."""
    from align.model import inline_text
    from align.text.office import office_paragraphs

    return [Block(inline_text(p.content), p.hint, p.content) for p in office_paragraphs(path)]


def ingest_file(
    path: str | Path, lang: str = "auto", rules_path: str | Path | None = None
) -> Document:
    """Read, decode and clean one plain-text or HTML file into a :class:`Document`.

    The encoding is detected (UTF-8/16 with or without BOM, cp1251, koi8-r, ... via
    charset-normalizer); web debris (language switchers, captions, share widgets) is
    dropped by the data-driven rules in ``align/data/boilerplate.json`` or ``rules_path``.
    The file is only ever read; ``path`` ``-`` reads standard input.

    ``.docx``, ``.odt`` and ``.pdf`` go through :mod:`align.text.office`.

    Args:
        path: the file; ``.html``/``.htm``/``.xhtml`` are parsed as HTML, office
            documents by suffix, others sniffed.
        lang: BCP 47 code of the text; ``"auto"``: guessed from the text
            (:func:`align.text.langid.guess_language`, kept in ``Document.guess``;
            paragraphs in another script get their own guess).
        rules_path: a boilerplate-rules JSON file replacing the built-in rules.

    Returns:
        A Document: ``id`` is the file name up to its first dot; paragraphs carry
        character offsets into ``Document.text``.

    Raises:
        InputError: missing file, a folder, empty or undecodable text, no text left.
    """
    from align.text.office import OFFICE_SUFFIXES

    p = Path(path)
    if p.suffix.lower() in OFFICE_SUFFIXES:
        check_input_file(p)  # the usual one-line error for a missing file or a folder
        return build_document(
            office_blocks(p),
            doc_id=p.name.split(".")[0] or "doc",
            lang=lang,
            # web-page debris rules would drop table cells such as "9:00"; only a user's apply
            rules=load_rules(rules_path) if rules_path else (),
            source_path=str(p),
            encoding=p.suffix.lower().lstrip("."),
        )
    data = read_bytes(p)
    html = p.suffix.lower() in (".html", ".htm", ".xhtml") or None
    sniffed = html or HTML_START.match(data[:1024].decode("latin-1"))
    decoded = decode_html(data, p) if sniffed else decode(data, p)
    return ingest_text(
        decoded.text,
        doc_id=p.name.split(".")[0] or "doc",
        lang=lang,
        html=html,
        rules=load_rules(rules_path) if rules_path else None,
        source_path=str(p),
        encoding=decoded.encoding,
    )
