"""The main job (``align run``): the seed interview through every stage.

Each stage reads what the previous one produced; all outputs are written
atomically, so an interrupted run never leaves half a file behind.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from align.documents import document_json, segments_lines
from align.errors import InputError
from align.fsutil import write_text_atomic
from align.ingest import ingest_file
from align.model import Document, Segment
from align.segment import segment_document


@dataclass
class RunConfig:
    """Paths and languages of a run; ``align run --config FILE`` overrides any field (TOML)."""

    source: str = "seeds/000_07d8ad3adaf52f90.txt"
    src_lang: str = "en"
    tgt_lang: str = "ru"
    name: str = "interview"
    reference: str = "seeds/interview.ru.txt"
    gold: str = "seeds/interview.en-ru.gold"
    glossary: str = "glossaries/interview.tsv"
    outputs: str = "outputs"
    mt_package: str | None = None  # a package name to use even if it is a fixture
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> RunConfig:
        if path is None:
            return cls()
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(path, f"is not a readable TOML config ({exc})") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(path, f"unknown setting(s): {', '.join(unknown)}")
        return cls(**data)

    def out(self, suffix: str) -> Path:
        return Path(self.outputs) / f"{self.name}.{suffix}"


@dataclass
class RunResult:
    document: Document
    segments: list[Segment]
    outputs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run(config: RunConfig) -> RunResult:
    doc = ingest_file(config.source, lang=config.src_lang)
    segments = segment_document(doc)
    result = RunResult(doc, segments)
    lines_path = config.out(f"{config.src_lang}.txt")
    json_path = config.out(f"{config.src_lang}.json")
    write_text_atomic(lines_path, segments_lines(segments))
    write_text_atomic(json_path, document_json(doc, segments))
    result.outputs += [lines_path, json_path]
    return result


def outline(result: RunResult) -> list[str]:
    doc = result.document
    return [
        f"title:     {doc.title}",
        f"turns:     {doc.turns} (questions with their answers)",
        f"sentences: {len(result.segments)} in {len(doc.paragraphs)} paragraphs",
        f"removed:   {len(doc.removed)} debris blocks",
    ]
