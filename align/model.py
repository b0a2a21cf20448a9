"""Plain dataclasses shared by every stage: ingest → segment → translate → align → export.

Stages pass these around and never mutate another stage's objects; offsets always
refer to ``Document.text``, the cleaned text, so ids and spans stay stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["title", "lead", "question", "answer", "body"]


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


@dataclass(frozen=True)
class Segment:
    """A sentence-level unit with a stable id ``doc:paragraph:sentence`` (0-based).

    ``paragraph``/``index``: 0-based paragraph number and sentence number in it;
    ``start``/``end``: character offsets into ``Document.text`` (end exclusive);
    ``kind``/``turn``: copied from the paragraph (title, lead, question, answer...).
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


@dataclass
class Document:
    """A cleaned source document: paragraphs joined by blank lines form ``text``.

    ``lang``: BCP 47 code given at ingest (or ``auto``); ``removed``: the text of
    boilerplate blocks dropped, kept for review; ``encoding``: the detected one.
    """

    id: str
    lang: str
    paragraphs: list[Paragraph]
    source_path: str | None = None
    encoding: str | None = None
    removed: list[str] = field(default_factory=list)

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
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "removed": list(self.removed),
        }


@dataclass
class TranslationUnit:
    """One source/target pair on its way to a TMX or TSV file.

    ``props`` become ``<prop type="x-...">`` entries (keys without the ``x-``);
    ``note`` is a translator-facing remark. ``segtype`` is ``sentence`` unless a
    side holds several sentences (then ``paragraph``).
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
