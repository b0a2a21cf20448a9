"""A self-contained HTML review report: what a translator opens after ``align run``.

One file, inline CSS and SVG, no scripts or network, so it can be mailed or
archived with the TM it describes. The page is the Jinja2 template
``align/run/templates/report.html``: flagged beads are listed at the top with
their reasons and can be shown alone (a CSS-only filter), source terms are
marked neutrally and only the target's problems as problems, and the layout
stacks at phone width. ``align review`` is the editable counterpart.
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from align.fsutil import write_text_atomic

# Glossary span: (start, end, status) with status ok | forbidden | missing.
Span = tuple[int, int, str]


@dataclass
class ReportRow:
    src_ids: list[int]
    tgt_ids: list[int]
    src: str
    tgt: str
    kind: str
    score: float
    review: bool
    mt: str | None = None
    src_terms: list[Span] = field(default_factory=list)
    tgt_terms: list[Span] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    # Why the bead is flagged (align.aligner.flags texts); empty: derived from review/findings.
    reasons: list[str] = field(default_factory=list)


@dataclass
class ReportData:
    title: str
    src_lang: str
    tgt_lang: str
    rows: list[ReportRow]
    n_src: int
    n_tgt: int
    scores: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    mt_label: str | None = None
    fixture: bool = False


_TITLES = {
    "term": "glossary term",
    "ok": "glossary: preferred rendering",
    "forbidden": "glossary problem: forbidden variant",
    "missing": "glossary problem: near miss of the preferred rendering",
}


def _marked(text: str, spans: list[Span], source: bool = False) -> Markup:
    """Escape ``text`` and wrap glossary spans in ``<mark class=status>``.

    Source spans are all ``term`` (a source term is never wrong in itself); target
    spans keep their status, so only the target shows problems.
    """
    out: list[str] = []
    pos = 0
    for start, end, status in sorted(spans):
        if start < pos or end > len(text) or start >= end:
            continue  # overlapping or stale span: leave the text unmarked there
        cls = "term" if source else status
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<mark class="{html.escape(cls)}" title="{html.escape(_TITLES.get(cls, cls))}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        pos = end
    out.append(html.escape(text[pos:]))
    return Markup("".join(out))


def _score_label(row: ReportRow) -> str:
    return f"score {row.score:.2f}" if row.src_ids and row.tgt_ids else "unmatched"


def path_svg(rows: list[ReportRow], n_src: int, n_tgt: int, size: int = 260) -> str:
    """The alignment path as a small SVG: source index across, target index down."""
    pad = 24
    sx = (size - 2 * pad) / max(n_src, 1)
    sy = (size - 2 * pad) / max(n_tgt, 1)
    points: list[str] = []
    dots: list[str] = []
    i = j = 0
    points.append(f"{pad:.1f},{pad:.1f}")
    for row in rows:
        i += len(row.src_ids)
        j += len(row.tgt_ids)
        x, y = pad + i * sx, pad + j * sy
        points.append(f"{x:.1f},{y:.1f}")
        colour = "#c0392b" if row.review else "#2c7a2c"
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}">'
            f"<title>{html.escape(row.kind)} {_score_label(row)}</title></circle>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="alignment path">'
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        'fill="none" stroke="#bbb"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{size - pad}" y2="{size - pad}" stroke="#ddd" '
        'stroke-dasharray="4 3"/>'
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#2c5aa0" stroke-width="1.5"/>'
        + "".join(dots)
        + f'<text x="{pad}" y="{size - 6}" font-size="11">source sentences ({n_src}) →</text>'
        f'<text x="12" y="{pad}" font-size="11" transform="rotate(90 12 {pad})">'
        f"target sentences ({n_tgt}) →</text></svg>"
    )


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.2f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _why(row: ReportRow) -> list[str]:
    """The row's reasons, or (for callers that give none) ones derived from its flags."""
    if row.reasons:
        return list(row.reasons)
    why: list[str] = []
    if not (row.src_ids and row.tgt_ids):
        why.append(
            f"unmatched: no {'target' if row.src_ids else 'source'} line pairs with this one"
        )
    elif row.review:
        why.append(f"low similarity: confidence {row.score:.2f}")
    return why + list(row.findings)


@functools.cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("align.run", "templates"), autoescape=select_autoescape(["html"])
    )
    return env.get_template("report.html")


def render(data: ReportData) -> str:
    """The report page for ``data`` as one HTML string (no scripts, no external resources)."""
    rows = []
    for n, row in enumerate(data.rows, 1):
        null = not (row.src_ids and row.tgt_ids)
        why = _why(row)
        flagged = bool(row.review or why)
        classes = " ".join(c for c, on in (("review", flagged), ("null", null)) if on)
        rows.append(
            {
                "n": n,
                "row": row,
                "null": null,
                "flagged": flagged,
                "why": why,
                "classes": classes,
                "src": _marked(row.src, row.src_terms, source=True),
                "tgt": _marked(row.tgt, row.tgt_terms),
            }
        )
    return _template().render(
        data=data,
        rows=rows,
        flagged=[r for r in rows if r["flagged"]],
        has_mt=any(r.mt is not None for r in data.rows),
        scores=[(k, _shown(v)) for k, v in data.scores.items()],
        svg=Markup(path_svg(data.rows, data.n_src, data.n_tgt)),
    )


def write_report(path, data: ReportData) -> None:
    write_text_atomic(path, render(data))
