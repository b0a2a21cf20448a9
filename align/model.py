"""Plain dataclasses shared by every stage: ingest → segment → translate → align → export.

Stages pass these around and never mutate another stage's objects; offsets always
refer to ``Document.text``, the cleaned text, so ids and spans stay stable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeAlias

ParagraphKind = Literal["title", "lead", "question", "answer", "body"]
CodeRole = Literal["begin", "end", "placeholder", "isolated"]


@dataclass(frozen=True)
class InlineCode:
    """One inline element of a segment: formatting or markup that is not text.

    One model for every format (TMX 1.4b §3.7, XLIFF 1.2 §2.5, XLIFF 2.1 §4.7 and
    run formatting of office documents). ``role``: ``begin``/``end`` open and close
    a span (TMX ``<bpt>``/``<ept>``/``<hi>``, XLIFF ``<g>``, ``<bx/>``/``<ex/>``,
    ``<pc>``, ``<sc/>``/``<ec/>``, a bold run); ``placeholder`` stands alone
    (``<ph>``, ``<ut>``, ``<x/>``); ``isolated`` is one end of a span whose other
    end is in another segment (``<it>``). ``element`` is the element it was read
    from, ``attrs`` its attributes and ``native`` its content as an XML fragment
    (the native code, e.g. ``&lt;b&gt;``), so a writer of the same format puts it
    back unchanged. ``pair`` links a begin to its end (TMX ``i``, XLIFF ``rid``);
    ``None`` pairs by nesting. ``fmt`` names the format read (``tmx``,
    ``xliff-1.2``, ``xliff-2``, ``docx``, ``odt``): a writer reuses ``element`` and
    ``attrs`` only for its own format.
    """

    role: CodeRole
    element: str
    attrs: tuple[tuple[str, str], ...] = ()
    native: str = ""
    pair: str | None = None
    fmt: str = ""

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)


#: A segment's content with its inline codes, in document order.
Inline: TypeAlias = tuple["str | InlineCode", ...]

_WORD_CHAR = re.compile(r"\w")


def _separates(code: InlineCode) -> bool:
    """Placeholders and isolated codes (a line break, an image) separate words;
    span codes (bold, a link) may sit inside a word (``<b>B</b>aku``)."""
    return code.role in ("placeholder", "isolated")


def inline_layout(content: Sequence[str | InlineCode]) -> tuple[str, list[tuple[int, InlineCode]]]:
    """The text view of ``content`` and each code's offset in it.

    The text view is the text without codes, plus one space where a placeholder
    or isolated code stood between two word characters (``Baku<ph/>is`` →
    ``Baku is``), so word matching, scoring and alignment see separate words.
    """
    out: list[str] = []
    codes: list[tuple[int, InlineCode]] = []
    length = 0
    pending = False  # a separating code since the last text
    last = ""
    for part in content:
        if isinstance(part, InlineCode):
            codes.append((length, part))
            pending = pending or _separates(part)
            continue
        if not part:
            continue
        if pending and last and _WORD_CHAR.match(last) and _WORD_CHAR.match(part[0]):
            out.append(" ")
            length += 1
        pending = False
        out.append(part)
        length += len(part)
        last = part[-1]
    return "".join(out), codes


def inline_text(content: Sequence[str | InlineCode]) -> str:
    """The text view of ``content`` (see :func:`inline_layout`)."""
    return inline_layout(content)[0]


def slice_inline(content: Sequence[str | InlineCode], start: int, end: int) -> Inline:
    """The part of ``content`` between text-view offsets ``start`` and ``end``.

    Codes at either edge are included (segments are separated by whitespace, so
    a code at a boundary belongs to the sentence it touches); a begin whose end
    falls outside is left for the writer to turn into an isolated code.
    """
    parts: list[str | InlineCode] = []
    pos = 0
    pending = False
    last = ""
    for part in content:
        if isinstance(part, InlineCode):
            if start <= pos <= end:
                parts.append(part)
            pending = pending or _separates(part)
            continue
        if not part:
            continue
        if pending and last and _WORD_CHAR.match(last) and _WORD_CHAR.match(part[0]):
            pos += 1  # the boundary space belongs to no part
        pending = False
        a, b = max(start, pos), min(end, pos + len(part))
        if a < b:
            parts.append(part[a - pos : b - pos])
        pos += len(part)
        last = part[-1]
    return merge_text(parts)


def merge_text(parts: Sequence[str | InlineCode]) -> Inline:
    """Join adjacent strings and drop empty ones (a canonical form for comparing)."""
    out: list[str | InlineCode] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return tuple(out)


def has_codes(content: Sequence[str | InlineCode] | None) -> bool:
    return content is not None and any(isinstance(p, InlineCode) for p in content)


@dataclass(frozen=True)
class Paragraph:
    """One block of the cleaned document.

    ``turn`` numbers interview turns (a question and the answer paragraphs that
    follow it share a turn number); it is ``None`` outside the interview part.
    ``start``/``end`` are character offsets into ``Document.text``.
    """

    index: int
    kind: ParagraphKind
    text: str
    lang: str
    start: int
    end: int
    turn: int | None = None
    content: Inline | None = None  # text with inline codes (office documents); text is its view


@dataclass(frozen=True)
class Segment:
    """A sentence-level unit with a stable id ``doc:paragraph:sentence`` (0-based).

    ``paragraph``/``index``: 0-based paragraph number and sentence number in it;
    ``start``/``end``: character offsets into ``Document.text`` (end exclusive);
    ``kind``/``turn``: copied from the paragraph (title, lead, question, answer...).
    ``content`` holds the text with its inline codes when the input had any
    (``text`` is then its text view, see :func:`inline_text`).
    """

    id: str
    text: str
    lang: str
    paragraph: int
    index: int
    start: int
    end: int
    kind: ParagraphKind = "body"
    turn: int | None = None
    content: Inline | None = None


@dataclass
class Document:
    """A cleaned source document: paragraphs joined by blank lines form ``text``.

    ``lang``: BCP 47 code given at ingest, or the one guessed for ``auto`` (``und``
    when nothing could be guessed); ``guess``: that guess
    (:class:`align.text.langid.LanguageGuess`), None when the language was given;
    ``removed``: the text of boilerplate blocks dropped, kept for review;
    ``encoding``: the detected one.
    """

    id: str
    lang: str
    paragraphs: list[Paragraph]
    source_path: str | None = None
    encoding: str | None = None
    removed: list[str] = field(default_factory=list)
    guess: Any = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def title(self) -> str | None:
        return next((p.text for p in self.paragraphs if p.kind == "title"), None)

    @property
    def turns(self) -> int:
        return len({p.turn for p in self.paragraphs if p.turn is not None})

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "source_path": self.source_path,
            "encoding": self.encoding,
            "title": self.title,
            "turns": self.turns,
            "paragraphs": [record(p) for p in self.paragraphs],
            "removed": list(self.removed),
        }


def record(item: Paragraph | Segment) -> dict[str, Any]:
    """A paragraph or segment as a JSON-ready dict; ``content`` only when it has codes."""
    data = asdict(item)
    if item.content is None:
        data.pop("content")
    return data


def content_from_json(data: Any) -> Inline | None:
    """Inverse of :func:`record` for ``content``: strings and code dicts."""
    if data is None:
        return None
    parts: list[str | InlineCode] = []
    for part in data:
        if isinstance(part, str):
            parts.append(part)
        else:
            attrs = tuple((str(k), str(v)) for k, v in part.get("attrs", ()))
            parts.append(InlineCode(part["role"], part["element"], attrs,
                                    part.get("native", ""), part.get("pair"),
                                    part.get("fmt", "")))  # fmt: skip
    return tuple(parts)


@dataclass
class TranslationUnit:
    """One source/target pair on its way to a TMX or TSV file.

    ``props`` become ``<prop type="x-...">`` entries (keys without the ``x-``);
    ``note`` is a translator-facing remark. ``segtype`` is ``sentence`` unless a
    side holds several sentences (then ``paragraph``).

    ``source``/``target`` are plain text views that every text consumer reads.
    ``source_content``/``target_content`` keep the inline codes read from a TMX
    or XLIFF (``None``: plain text); writers use them while their text view
    still equals ``source``/``target``, so an edited text never gets stale codes.
    ``state`` is the XLIFF target state when read from or written to XLIFF.
    """

    source: str
    target: str
    src_lang: str
    tgt_lang: str
    tuid: str | None = None
    props: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    segtype: Literal["sentence", "paragraph"] = "sentence"
    creationdate: str | None = None
    source_content: Inline | None = None
    target_content: Inline | None = None
    state: str | None = None

    def content(self, side: Literal["source", "target"]) -> Inline:
        """``side`` with its codes, or as one plain string if the codes no longer fit its text."""
        text = self.source if side == "source" else self.target
        stored = self.source_content if side == "source" else self.target_content
        if stored is not None and inline_text(stored) == text:
            return stored
        return (text,) if text else ()

    @property
    def is_fixture(self) -> bool:
        """Made by a test fixture model, not a translation: its readers set ``fixture=true``."""
        return self.props.get("fixture") == "true"


@dataclass(frozen=True)
class Bead:
    """One alignment bead: source line indices, target line indices (0-based).

    Either side may be empty (a 1-0 or 0-1 null bead). ``review`` marks beads a
    translator should look at (low confidence or null).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    review: bool = False

    @property
    def kind(self) -> str:
        """Bead type as ``"<n>-<m>"``, e.g. ``"1-1"``, ``"2-1"``, ``"1-0"``."""
        return f"{len(self.src)}-{len(self.tgt)}"
