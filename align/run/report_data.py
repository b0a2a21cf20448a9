"""Turn a run's results into the review report's rows."""

from __future__ import annotations

from typing import Any

from align.aligner.flags import Flagger, GlossaryMarks, usual_ratio
from align.run.report import ReportData, ReportRow
from align.tmx.reviewstate import reasons_for_flag


def build_report(result: Any, config: Any) -> ReportData:
    inputs = result.inputs
    by_bead: dict[int, list[Any]] = {}
    for f in result.findings:
        by_bead.setdefault(f.line, []).append(f)
    mt = result.mt.get(f"{config.src_lang}-{config.tgt_lang}")
    rows: list[ReportRow] = []
    texts = [
        (
            " ".join(inputs.segments[i].text for i in bead.src),
            " ".join(inputs.ref_segments[j].text for j in bead.tgt),
        )
        for bead in result.beads
    ]
    flagger = Flagger(config.src_lang, config.tgt_lang, usual_ratio(texts))
    for n, bead in enumerate(result.beads):
        row = ReportRow(
            src_ids=list(bead.src),
            tgt_ids=list(bead.tgt),
            src=" ".join(inputs.segments[i].text for i in bead.src),
            tgt=" ".join(inputs.ref_segments[j].text for j in bead.tgt),
            kind=bead.kind,
            score=bead.score,
            review=bead.review,
            mt=" ".join(mt[i] for i in bead.src) if mt is not None else None,
        )
        for f in by_bead.get(n, []):
            if f.source_span:
                row.src_terms.append((f.source_span[0], f.source_span[1], f.status))
            if f.target_span:
                row.tgt_terms.append((f.target_span[0], f.target_span[1], f.status))
            if f.status != "ok":
                found = f" (found “{f.found}”)" if f.found else ""
                row.findings.append(f"{f.status}: {f.source} → expected “{f.expected}”{found}")
        score = bead.score if bead.src and bead.tgt else None
        marks = GlossaryMarks(problems=[f"glossary: {x}" for x in row.findings])
        reasons = flagger.reasons(row.src, row.tgt, score, marks)
        row.reasons = [r.text for r in reasons_for_flag(reasons, bead.review, bead.score)]
        rows.append(row)
    flat_scores: dict[str, Any] = {}
    al = result.scores.get("alignment", {})
    gold = al.get("vs_gold")
    if gold:
        flat_scores["alignment strict F1"] = gold["f1_strict"]
        flat_scores["alignment lax F1"] = gold["f1_lax"]
    if al:
        flat_scores["beads by type"] = al["by_type"]
    gl = result.scores.get("reference_glossary")
    if gl:
        flat_scores["reference glossary"] = gl
    for name, sc in result.scores.get("mt", {}).items():
        for key in ("bleu", "chrf", "ter", "term_accuracy"):
            if sc.get(key) is not None:
                flat_scores[f"MT {name} {key}"] = sc[key]
    mt_label = (
        result.scores.get("mt", {}).get(f"{config.src_lang}-{config.tgt_lang}", {}).get("package")
    )
    return ReportData(
        title=inputs.document.title or inputs.document.id,
        src_lang=config.src_lang,
        tgt_lang=config.tgt_lang,
        rows=rows,
        n_src=len(inputs.segments),
        n_tgt=len(inputs.ref_segments),
        scores=flat_scores,
        notes=list(result.notes),
        mt_label=mt_label,
        fixture=result.fixture,
    )
