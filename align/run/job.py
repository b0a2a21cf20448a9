"""The main job (``align run``): the seed interview through every stage.

Inputs are all read and checked before anything is written, so a bad reference
or gold file stops the run with nothing half-done; outputs are written
atomically. Optional inputs that are absent skip their step with a note.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from align.aligner.beadio import format_vecalign, read_vecalign
from align.errors import InputError
from align.fsutil import write_text_atomic
from align.model import Bead, Document, Segment, TranslationUnit
from align.text.documents import document_json, segments_lines
from align.text.ingest import ingest_file
from align.text.script import LANG_SCRIPT, dominant_script
from align.text.segment import segment_document

INSTALL_HINT = (
    "align models install FILE.argosmodel (offline) or align models install --online {src} {tgt}"
)


@dataclass
class RunConfig:
    """Paths and languages of a run; ``align run --config FILE`` overrides any field (TOML)."""

    source: str = "seeds/000_07d8ad3adaf52f90.txt"
    src_lang: str = "en"
    tgt_lang: str = "ru"
    name: str = "interview"
    reference: str | None = "seeds/interview.ru.txt"
    gold: str | None = "seeds/interview.en-ru.gold"
    glossary: str | None = "glossaries/interview.tsv"
    outputs: str = "outputs"
    mt_packages: list[str] = field(default_factory=list)  # by name; the only way to use a fixture
    packages_dir: str | None = None
    cluster: str | None = None  # translate on a Dask cluster: local, local:N, tcp://HOST:PORT

    @classmethod
    def load(cls, path: str | Path | None, **overrides: Any) -> RunConfig:
        data: dict[str, Any] = {}
        if path is not None:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise InputError(path, f"is not a readable TOML config ({exc})") from None
            unknown = sorted(set(data) - {f.name for f in fields(cls)})
            if unknown:
                raise InputError(path, f"unknown setting(s): {', '.join(unknown)}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def out(self, suffix: str) -> Path:
        return Path(self.outputs) / f"{self.name}.{suffix}"


@dataclass
class Inputs:
    document: Document
    segments: list[Segment]
    reference: Document | None = None
    ref_segments: list[Segment] = field(default_factory=list)
    gold: list[Bead] | None = None
    glossary: Any = None


@dataclass
class RunResult:
    inputs: Inputs
    beads: list[Bead] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    mt: dict[str, list[str]] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fixture: bool = False


def _check_language(doc: Document, lang: str, path: str) -> None:
    expected = LANG_SCRIPT.get(lang)
    found = dominant_script(doc.text)
    if expected and found and found != expected:
        raise InputError(path, f"is written in {found} script, not {lang} ({expected})")


def _check_gold(gold: list[Bead], n_src: int, n_tgt: int, path: str) -> None:
    src = sorted(i for b in gold for i in b.src)
    tgt = sorted(j for b in gold for j in b.tgt)
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise InputError(
            path,
            f"does not match the documents: it covers {len(src)} of {n_src} source and "
            f"{len(tgt)} of {n_tgt} target sentences (each must appear exactly once)",
        )


def load_inputs(config: RunConfig, notes: list[str]) -> Inputs:
    """Read and validate every input; nothing is written here."""
    doc = ingest_file(config.source, lang=config.src_lang)
    _check_language(doc, config.src_lang, config.source)
    inputs = Inputs(doc, segment_document(doc))
    if config.glossary and Path(config.glossary).exists():
        from align.glossary import load_glossary

        inputs.glossary = load_glossary(config.glossary)
    elif config.glossary:
        notes.append(f"glossary {config.glossary} not found: glossary checks skipped")
    if config.reference and Path(config.reference).exists():
        ref = ingest_file(config.reference, lang=config.tgt_lang)
        _check_language(ref, config.tgt_lang, config.reference)
        inputs.reference, inputs.ref_segments = ref, segment_document(ref)
    else:
        notes.append(f"reference {config.reference} not found: alignment, TMX and scores skipped")
    if inputs.reference and config.gold and Path(config.gold).exists():
        inputs.gold = read_vecalign(config.gold)
        _check_gold(inputs.gold, len(inputs.segments), len(inputs.ref_segments), config.gold)
    elif inputs.reference:
        notes.append(f"gold alignment {config.gold} not found: alignment F1 skipped")
    return inputs


def _join(segments: list[Segment], ids: tuple[int, ...]) -> str:
    return " ".join(segments[i].text for i in ids)


def bead_units(
    inputs: Inputs, beads: list[Bead], config: RunConfig, findings_by_bead: dict[int, list[Any]]
) -> list[TranslationUnit]:
    """The aligner's TMX units, with the run's provenance: document, segment ids, glossary status."""
    from align.aligner.formats import to_units

    src = [s.text for s in inputs.segments]
    tgt = [s.text for s in inputs.ref_segments]
    units = to_units(beads, src, tgt, config.src_lang, config.tgt_lang)
    paired = [(n, b) for n, b in enumerate(beads) if b.src and b.tgt]
    for unit, (n, bead) in zip(units, paired, strict=True):
        statuses = sorted({f.status for f in findings_by_bead.get(n, [])})
        unit.tuid = f"{config.name}-{n + 1}"
        unit.props.update(
            {
                "translation": "human",
                "document": inputs.document.id,
                "source-segments": ",".join(inputs.segments[i].id for i in bead.src),
                "target-segments": ",".join(inputs.ref_segments[j].id for j in bead.tgt),
                "glossary": ",".join(statuses) if statuses else "none",
            }
        )
        if bead.review:
            unit.note = "Low alignment confidence: please check this pair."
    return units


def run(config: RunConfig) -> RunResult:
    notes: list[str] = []
    inputs = load_inputs(config, notes)
    result = RunResult(inputs, notes=notes)
    _write(result, config.out(f"{config.src_lang}.txt"), segments_lines(inputs.segments))
    _write(
        result,
        config.out(f"{config.src_lang}.json"),
        document_json(inputs.document, inputs.segments),
    )

    if inputs.reference is not None:
        _align_stage(result, config)
    if inputs.glossary is not None:
        from align.glossary import save_glossary

        tbx = config.out("tbx")
        save_glossary(inputs.glossary, tbx)
        result.outputs.append(tbx)
    from align.run.mt import mt_stage

    mt_stage(result, config)
    if result.scores.get("mt"):
        result.scores["fixture_model_used"] = result.fixture
    _write(
        result,
        Path(config.outputs) / "scores.json",
        json.dumps(result.scores, ensure_ascii=False, indent=2) + "\n",
    )
    if inputs.reference is not None:
        from align.run.report import write_report
        from align.run.report_data import build_report

        report_path = Path(config.outputs) / "report.html"
        write_report(report_path, build_report(result, config))
        result.outputs.append(report_path)
    return result


def _write(result: RunResult, path: Path, text: str) -> None:
    write_text_atomic(path, text)
    result.outputs.append(path)


def _align_stage(result: RunResult, config: RunConfig) -> None:
    from align.aligner import align as align_segments
    from align.tmx import write_tmx

    inputs = result.inputs
    src = [s.text for s in inputs.segments]
    tgt = [s.text for s in inputs.ref_segments]
    _write(result, config.out(f"{config.tgt_lang}.txt"), segments_lines(inputs.ref_segments))
    result.beads = align_segments(
        src, tgt, config.src_lang, config.tgt_lang, glossary=inputs.glossary
    )
    _write(
        result,
        config.out(f"{config.src_lang}-{config.tgt_lang}.align"),
        format_vecalign(result.beads),
    )

    findings_by_bead: dict[int, list[Any]] = {}
    if inputs.glossary is not None:
        from align.glossary import check_segments

        pairs = [
            (_join(inputs.segments, b.src), _join(inputs.ref_segments, b.tgt)) for b in result.beads
        ]
        result.findings = check_segments(
            inputs.glossary,
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            config.src_lang,
            config.tgt_lang,
        )
        for f in result.findings:
            findings_by_bead.setdefault(f.line, []).append(f)
        counts = {
            s: sum(f.status == s for f in result.findings) for s in ("ok", "forbidden", "missing")
        }
        result.scores["reference_glossary"] = counts

    tmx = config.out(f"{config.src_lang}-{config.tgt_lang}.tmx")
    write_tmx(
        tmx,
        bead_units(inputs, result.beads, config, findings_by_bead),
        src_lang=config.src_lang,
        tgt_lang=config.tgt_lang,
    )
    result.outputs.append(tmx)

    kinds: dict[str, int] = {}
    for b in result.beads:
        kinds[b.kind] = kinds.get(b.kind, 0) + 1
    result.scores["alignment"] = {
        "beads": len(result.beads),
        "by_type": kinds,
        "review": sum(b.review for b in result.beads),
    }
    if inputs.gold is not None:
        from align.aligner.evaluate import score_alignment

        result.scores["alignment"]["vs_gold"] = score_alignment(inputs.gold, result.beads)


def summary(result: RunResult) -> list[str]:
    doc = result.inputs.document
    lines = [
        f"title:      {doc.title}",
        f"structure:  {doc.turns} interview turns, {len(doc.paragraphs)} paragraphs, "
        f"{len(doc.removed)} debris blocks removed",
        f"segments:   {len(result.inputs.segments)} en"
        + (f", {len(result.inputs.ref_segments)} reference" if result.inputs.reference else ""),
    ]
    al = result.scores.get("alignment")
    if al:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(al["by_type"].items()))
        lines.append(f"beads:      {al['beads']} ({kinds}); {al['review']} flagged for review")
        gold = al.get("vs_gold")
        if gold:
            lines.append(f"alignment:  {_f1_line(gold)}")
    gl = result.scores.get("reference_glossary")
    if gl:
        lines.append(
            f"glossary:   reference has {gl['ok']} ok, {gl['forbidden']} forbidden, {gl['missing']} missing term renderings"
        )
    for name, sc in result.scores.get("mt", {}).items():
        label = sc["package"] + (" [TEST FIXTURE: not a translation]" if sc["fixture"] else "")
        lines.append(f"mt {name}:   {sc.get('summary', 'not scored')} ({label})")
    return lines


def _f1_line(gold: dict[str, Any]) -> str:
    types = ", ".join(f"{k} {v:.2f}" for k, v in sorted(gold["type_recall"].items()))
    return f"strict F1 {gold['f1_strict']:.3f}, lax F1 {gold['f1_lax']:.3f} vs gold; recall by type: {types}"
