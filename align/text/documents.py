"""Serialising documents and segments for files and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


# The keys ``align ingest --format json`` writes (``Document.to_dict``) and their JSON types;
# checked before use, so a hand-edited file fails with one line, never deep inside segmenting.
_DOC_KEYS: dict[str, tuple[type, ...]] = {"id": (str,), "lang": (str,), "paragraphs": (list,)}
_PARAGRAPH_KEYS: dict[str, tuple[type, ...]] = {
    "index": (int,), "kind": (str,), "text": (str,), "lang": (str,), "start": (int,),
    "end": (int,), "turn": (int, type(None)), "content": (list, type(None)),
}  # fmt: skip
_TYPE_NAMES = {str: "a string", int: "a whole number", list: "a list", type(None): "null"}


def _check_keys(obj: object, keys: dict[str, tuple[type, ...]], where: str) -> dict[str, Any]:
    """``obj`` as a dict whose ``keys`` (those present or required) hold their JSON types."""
    if not isinstance(obj, dict):
        raise ValueError(f"{where} is not a JSON object")
    for key, types in keys.items():
        value = obj.get(key)
        if key not in obj and type(None) not in types:
            raise ValueError(f"{where}: {key!r} is missing")
        if not isinstance(value, types) or isinstance(value, bool):  # JSON true is no number
            kinds = " or ".join(_TYPE_NAMES[t] for t in types)
            raise ValueError(f"{where}: {key!r} must be {kinds}")
    return obj


def _paragraph(raw: object, k: int) -> Paragraph:
    where = f"paragraph {k}"
    p = _check_keys(raw, _PARAGRAPH_KEYS, where)
    if any(not isinstance(part, str | dict) for part in p.get("content") or ()):
        raise ValueError(f"{where}: 'content' must hold strings and code objects")
    return Paragraph(**{**p, "content": content_from_json(p.get("content"))})


def load_document_json(path: str | Path) -> Document:
    """Read a document written by ``align ingest --format json``.

    Raises InputError (``FILE: problem``) when it is not JSON or its structure is not
    a document's: a missing key or a value of the wrong type names the paragraph.
    """
    check_readable(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        data = _check_keys(raw, _DOC_KEYS, "the document")
        paragraphs = [_paragraph(p, k) for k, p in enumerate(data["paragraphs"], 1)]
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
    except KeyError as exc:
        raise InputError(path, f"is not an align document JSON (no {exc} key)") from None
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(path, f"is not an align document JSON ({exc})") from None
