"""Serialising documents and segments for files and other tools."""

from __future__ import annotations

import json
from pathlib import Path

from align.errors import InputError
from align.model import Document, Paragraph, Segment, content_from_json, record
from align.paths import check_readable


def document_json(doc: Document, segments: list[Segment] | None = None) -> str:
    data = doc.to_dict()
    data["text"] = doc.text
    if segments is not None:
        data["segments"] = [record(s) for s in segments]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def document_text(doc: Document) -> str:
    """Cleaned text: one paragraph per block, blank lines between, no dialogue dashes."""
    return doc.text + "\n"


def segments_lines(segments: list[Segment]) -> str:
    return "".join(s.text + "\n" for s in segments)


def load_document_json(path: str | Path) -> Document:
    """Read a document written by ``align ingest --format json``."""
    check_readable(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        paragraphs = [
            Paragraph(**{**p, "content": content_from_json(p.get("content"))})
            for p in data["paragraphs"]
        ]
        return Document(
            data["id"],
            data["lang"],
            paragraphs,
            data.get("source_path"),
            data.get("encoding"),
            list(data.get("removed", [])),
        )
    except RecursionError:
        raise InputError(path, "is not an align document JSON (nested too deeply)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"is not an align document JSON ({exc})") from None
