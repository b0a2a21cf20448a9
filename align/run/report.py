"""A self-contained HTML review report: what a translator opens after ``align run``.

One file, inline CSS and SVG, no scripts or network, so it can be mailed or
archived with the TM it describes.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

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


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
.banner{background:#fff3cd;border:1px solid #e0b84d;padding:.5em 1em;margin:1em 0}
.panel{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}
table.scores td,table.scores th{padding:2px 10px;text-align:left}
table.beads{border-collapse:collapse;width:100%}
table.beads th,table.beads td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}
table.beads th{background:#f4f4f4;position:sticky;top:0}
tr.review td{background:#fff0f0}
tr.null td{background:#f3f3f3;color:#666}
td.num{white-space:nowrap;color:#555;font-size:.9em}
td.mt{color:#335;font-style:italic}
mark{padding:0 2px;border-radius:3px}
mark.ok{background:#d6f5d6}mark.forbidden{background:#ffc9c9;text-decoration:line-through}
mark.missing{background:#ffe8a3}
.legend span{margin-right:1em}
ul.findings{margin:0;padding-left:1.1em;font-size:.9em;color:#933}
"""


def _marked(text: str, spans: list[Span]) -> str:
    """Escape ``text`` and wrap glossary spans in ``<mark class=status>``."""
    out: list[str] = []
    pos = 0
    for start, end, status in sorted(spans):
        if start < pos or end > len(text) or start >= end:
            continue  # overlapping or stale span: leave the text unmarked there
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<mark class="{html.escape(status)}" title="glossary: {html.escape(status)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


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
            f"<title>{html.escape(row.kind)} score {row.score:.2f}</title></circle>"
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


def _scores_table(scores: dict[str, Any]) -> str:
    rows = []
    for key, value in scores.items():
        if isinstance(value, float):
            shown = f"{value:.3f}" if abs(value) < 10 else f"{value:.2f}"
        elif isinstance(value, dict):
            shown = html.escape(", ".join(f"{k}: {v}" for k, v in value.items()))
        elif isinstance(value, list):
            shown = html.escape(json.dumps(value, ensure_ascii=False))
        else:
            shown = html.escape(str(value))
        rows.append(f"<tr><th>{html.escape(key)}</th><td>{shown}</td></tr>")
    return '<table class="scores">' + "".join(rows) + "</table>"


def render(data: ReportData) -> str:
    has_mt = any(r.mt is not None for r in data.rows)
    head = [
        "<th>#</th><th>bead</th><th>score</th>",
        f"<th>{html.escape(data.src_lang)} (source)</th>",
        f"<th>{html.escape(data.tgt_lang)} (reference)</th>",
    ]
    if has_mt:
        head.append(
            f"<th>{html.escape(data.tgt_lang)} (MT: {html.escape(data.mt_label or '')})</th>"
        )
    head.append("<th>glossary</th>")
    body: list[str] = []
    for n, row in enumerate(data.rows, 1):
        classes = [
            c
            for c, on in (("review", row.review), ("null", not (row.src_ids and row.tgt_ids)))
            if on
        ]
        cls = f' class="{" ".join(classes)}"' if classes else ""
        cells = [
            f'<td class="num">{n}</td><td class="num">{html.escape(row.kind)}</td>',
            f'<td class="num">{row.score:.2f}{" ⚑" if row.review else ""}</td>',
            f'<td lang="{html.escape(data.src_lang)}">{_marked(row.src, row.src_terms)}</td>',
            f'<td lang="{html.escape(data.tgt_lang)}">{_marked(row.tgt, row.tgt_terms)}</td>',
        ]
        if has_mt:
            cells.append(
                f'<td class="mt" lang="{html.escape(data.tgt_lang)}">{html.escape(row.mt or "")}</td>'
            )
        findings = "".join(f"<li>{html.escape(f)}</li>" for f in row.findings)
        cells.append(f'<td><ul class="findings">{findings}</ul></td>' if findings else "<td></td>")
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    banner = ""
    if data.fixture:
        banner = (
            '<div class="banner fixture"><strong>Test fixture model.</strong> The MT column was '
            "produced by align's tiny built-in test model, not by a real translation model: it is "
            "not a translation.</div>"
        )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in data.notes)
    reviewed = sum(r.review for r in data.rows)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{html.escape(data.title)} — align report</title>'
        f"<style>{CSS}</style></head><body>"
        f"<h1>{html.escape(data.title)}</h1>{banner}"
        f"<p>{len(data.rows)} beads, {reviewed} flagged for review (⚑, red rows). "
        f"{data.n_src} {html.escape(data.src_lang)} and {data.n_tgt} {html.escape(data.tgt_lang)} sentences.</p>"
        '<div class="panel"><section id="scores"><h2>Scores</h2>'
        f"{_scores_table(data.scores)}</section>"
        f'<section id="path"><h2>Alignment path</h2>{path_svg(data.rows, data.n_src, data.n_tgt)}</section>'
        f'<section id="notes"><h2>Notes</h2><ul>{notes}</ul></section></div>'
        '<h2>Aligned segments</h2><p class="legend">Glossary terms: <span><mark class="ok">ok</mark></span>'
        '<span><mark class="forbidden">forbidden variant</mark></span>'
        '<span><mark class="missing">term without its rendering</mark></span></p>'
        f'<table class="beads"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        "</body></html>\n"
    )


def write_report(path, data: ReportData) -> None:
    write_text_atomic(path, render(data))
