"""The main job (``align run``): the seed interview through every stage.

Inputs are all read and checked before anything is written, so a bad reference
or gold file stops the run with nothing half-done; outputs are written
atomically. Optional inputs that are absent skip their step with a note.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from align.aligner.beadio import format_vecalign, read_vecalign
from align.errors import AlignError, InputError, OutputError, warn
from align.fsutil import write_text_atomic
from align.langtags import user_tag
from align.limits import BEAM_RANGE, MAX_BEAD_RANGE
from align.model import Bead, Document, Segment, TranslationUnit
from align.paths import check_output_dir, check_readable
from align.text.documents import document_json, segments_lines
from align.text.ingest import ingest_file
from align.text.script import dominant_script, expected_script
from align.text.segment import segment_document

INSTALL_HINT = (
    "align models install FILE.argosmodel (offline) or align models install --online {src} {tgt}"
)


SEED = {
    "source": "seeds/000_07d8ad3adaf52f90.txt",
    "reference": "seeds/interview.ru.txt",
    "gold": "seeds/interview.en-ru.gold",
    "glossary": "glossaries/interview.tsv",
    "name": "interview",
}


def _key(default: Any, help: str, **kw: Any) -> Any:
    """A config key: its default and the one-line comment ``--print-config`` writes above it.

    ``check`` (optional) is the key's own check, see :func:`check_key`.
    """
    return field(default=default, metadata={"help": help, **kw})


_NOT_IN_FILE_NAMES = '/\\:*?"<>|'


def check_name(name: str) -> str:
    """``name`` if it can stem output file names (``NAME.en.txt``) inside the outputs folder.

    Raises ValueError for "", a path (``/``, ``\\``, ``..``), a hidden name (leading ``.``)
    and characters file systems refuse (``:*?"<>|`` on Windows, control characters).
    """
    bad = any(c in _NOT_IN_FILE_NAMES or unicodedata.category(c) == "Cc" for c in name)
    if bad or not name or name.startswith(".") or ".." in name:
        raise ValueError(
            f"{name!r} is not a plain file-name stem (not empty, not starting with '.', "
            f"no '..', no {' '.join(_NOT_IN_FILE_NAMES)} or control characters)"
        )
    return name


def check_source(path: str) -> str:
    """``path`` unless it is blank: ``""`` would read the current folder as the document."""
    if not path.strip():
        raise ValueError("must name a file")
    return path


def check_outputs(folder: str) -> str:
    """``folder`` unless it is ``-`` or blank: align run writes a folder of files."""
    if folder == "-":
        raise ValueError("align run writes a folder of files; give a folder")
    if not folder.strip():
        raise ValueError("must name a folder")
    return folder


def check_cluster(spec: str) -> str:
    """``spec`` if the MT stage can open it (:func:`align.mt.cluster.parse_spec`), known up front."""
    from align.mt.cluster import parse_spec

    try:
        parse_spec(spec)
    except AlignError:
        raise ValueError(f"{spec!r} is not local, local:N (N workers) or tcp://HOST:PORT") from None
    return spec


@dataclass
class RunConfig:
    """Every knob of ``align run``; ``--print-config`` writes it as TOML, ``--config`` reads it.

    Defaults run the seed interview. Optional paths (``reference``, ``gold``,
    ``glossary``, ``boilerplate_rules``, ``srx``, ``packages_dir``) take ``None``,
    written ``""`` in TOML.
    """

    source: str = _key(
        SEED["source"],
        "Document to process: plain text or HTML, any common encoding.",
        check=check_source,
    )
    reference: str | None = _key(
        SEED["reference"],
        'Human translation of the source, to align against ("": none; alignment, TMX and scores are skipped).',
        optional=True,
    )
    gold: str | None = _key(
        SEED["gold"],
        'Gold alignment in vecalign format, for alignment P/R/F1 ("": none).',
        optional=True,
    )
    glossary: str | None = _key(
        SEED["glossary"],
        'Termbase (TSV, CSV or TBX) checked in the reference, enforced in MT ("": none).',
        optional=True,
    )
    src_lang: str = _key("en", "Source language (BCP 47 code).", check=user_tag)
    tgt_lang: str = _key("ru", "Target language (BCP 47 code).", check=user_tag)
    name: str = _key(
        SEED["name"],
        "Stem of the output file names (NAME.en.txt, NAME.en-ru.tmx, ...).",
        check=check_name,
    )
    outputs: str = _key("outputs", "Output folder (created if missing).", check=check_outputs)
    skip_missing: bool = _key(
        True,
        "An absent reference, gold or glossary skips its step with a note (false: stop with an error).",
    )
    boilerplate_rules: str | None = _key(
        None,
        'Boilerplate rules JSON replacing align/data/boilerplate.json ("": the built-in rules).',
        optional=True,
    )
    srx: str | None = _key(
        None,
        "SRX 2.0 segmentation rules replacing align's own and LanguageTool's (\"\": built-in).",
        optional=True,
    )
    max_bead: int = _key(
        3,
        "Most sentences one side of an alignment bead may hold (1: only 1-1 and unmatched).",
        minimum=MAX_BEAD_RANGE[0],
        maximum=MAX_BEAD_RANGE[1],
    )
    review_below: float | None = _key(
        None,
        "Beads whose probability of being right (0..1) is below this are flagged for review; "
        '"" = the aligner\'s calibrated threshold.',
        optional=True,
        kind=float,
        minimum=0.0,
        maximum=1.0,
    )
    mt: bool = _key(
        True,
        "Machine-translate the source (and the reference back) when an Argos model is installed.",
    )
    mt_packages: list[str] = field(
        default_factory=list,
        metadata={
            "help": "Installed MT packages to use by name; the only way a test fixture is ever used."
        },
    )
    packages_dir: str | None = _key(
        None,
        'Argos packages folder ("": argostranslate\'s, see `align models path`).',
        optional=True,
    )
    beam_size: int = _key(
        4,
        "Beam size of the MT decoder (1: greedy, fastest).",
        minimum=BEAM_RANGE[0],
        maximum=BEAM_RANGE[1],
    )
    mt_cache: bool = _key(
        True, "Cache translations on disk ($ALIGN_CACHE_DIR, else ~/.cache/align) so reruns resume."
    )
    mt_glossary_fix: bool = _key(
        True, "Post-edit machine translations so glossary terms use the preferred rendering."
    )

    cluster: str | None = _key(
        None,
        'Translate on a Dask cluster: local, local:N or tcp://HOST:PORT ("": in this process).',
        optional=True,
        check=check_cluster,
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.metadata.get("optional") and getattr(self, f.name) == "":
                setattr(self, f.name, None)

    @classmethod
    def load(
        cls, path: str | Path | None, base: dict[str, Any] | None = None, **overrides: Any
    ) -> RunConfig:
        """Defaults, updated by ``base``, the TOML file at ``path``, then non-None ``overrides``.

        Raises InputError naming the file and the key for an unreadable file, an
        unknown key or a value of the wrong type.
        """
        data: dict[str, Any] = dict(base or {})
        if path is not None:
            data.update(read_config(path))
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def out(self, suffix: str) -> Path:
        return Path(self.outputs) / f"{self.name}.{suffix}"

    def owns(self, path: Path) -> bool:
        """True for files the run writes: NAME.* , scores.json and report.html in outputs."""
        return path.parent.resolve() == Path(self.outputs).resolve() and (
            path.name.startswith(f"{self.name}.") or path.name in ("scores.json", "report.html")
        )

    def check_paths(self) -> None:
        """Before any work: outputs is a folder that can be made, and no input is an output."""
        check_output_dir(self.outputs)
        for name in ("source", "reference", "gold", "glossary"):
            value = getattr(self, name)
            if value and Path(value).exists() and self.owns(Path(value)):
                raise OutputError(
                    value,
                    f"is the {name} input, but align run writes files named {self.name}.* in "
                    f"{self.outputs}; choose another outputs folder or name",
                )

    def to_toml(self) -> str:
        """The whole config as TOML, one comment line per key; ``read_config`` reads it back."""
        lines = [
            "# align run configuration: `align run --config FILE` reads this back.",
            "# Paths are relative to the folder align runs in.",
        ]
        for f in fields(self):
            value = getattr(self, f.name)
            lines += ["", f"# {f.metadata['help']}", f"{f.name} = {_toml_value(value)}"]
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    # A JSON string is a TOML basic string (both escape \" \\ and controls as \uXXXX).
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _expected(f: Any) -> tuple[type, ...]:
    default = f.default_factory() if f.default is MISSING else f.default
    if f.metadata.get("kind") is float:
        return (str, int, float)  # "" (None: the default rule) or a number
    if f.metadata.get("optional") or default is None:
        return (str,)
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, float):
        return (int, float)
    return (type(default),)


_KIND = {str: "a string", bool: "true or false", int: "an integer", float: "a number",
         list: "a list of strings"}  # fmt: skip


_FIELDS = {f.name: f for f in fields(RunConfig)}


def check_key(key: str, value: Any) -> Any:
    """``value`` of config key ``key`` through the key's own check, normalised (``eng`` -> ``en``).

    The one check of a key, for a value from a config file (:func:`read_config`) or from
    the command line (``align run -s``): a language must be a BCP 47 tag, ``name`` a plain
    file-name stem, ``outputs`` a folder, ``cluster`` a cluster spec; ``""`` of an optional
    key means none and passes. Raises ValueError with the problem.
    """
    meta = _FIELDS[key].metadata
    check: Callable[[Any], Any] | None = meta.get("check")
    return value if check is None or (meta.get("optional") and value == "") else check(value)


def read_config(path: str | Path) -> dict[str, Any]:
    """Read and check a run config TOML file (Python's tomllib); returns the keys it sets.

    Raises InputError (``FILE: problem``) for a missing or unreadable file, unreadable
    TOML, an unknown key, a value of the wrong type or out of range, or one that its
    key's check (:func:`check_key`) refuses. Values come back normalised.
    """
    check_readable(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"is not a readable TOML config ({exc})") from None
    for key, value in data.items():
        f = _FIELDS.get(key)
        if f is None:
            raise InputError(
                path, f"unknown key {key!r} (see `align run --print-config` for every key)"
            )
        types = _expected(f)
        ok = isinstance(value, types) and not (bool not in types and isinstance(value, bool))
        if ok and isinstance(value, list):
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            raise InputError(path, f"key {key!r} must be {_KIND[types[-1]]}, not {value!r}")
        if f.metadata.get("kind") is float and isinstance(value, str):
            if value:
                raise InputError(path, f'key {key!r} must be a number or "", not {value!r}')
            continue
        low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f">= {low}" if high is None else f"between {low} and {high}"
            raise InputError(path, f"key {key!r} must be {bounds}, not {value!r}")
        try:
            data[key] = check_key(key, value)
        except ValueError as exc:
            raise InputError(path, f"key {key!r}: {exc}") from None
    return data


def _load_boilerplate(path: str) -> object:
    from align.text.boilerplate import load_rules

    return load_rules(path)


def _load_srx(path: str) -> object:
    from align.text.segment import load_rules

    return load_rules(path)


# Files a run needs before any work, and the check that reads each (InputError if bad).
_NEEDED: dict[str, Callable[[str], object]] = {
    "source": check_readable,
    "boilerplate_rules": _load_boilerplate,
    "srx": _load_srx,
}


def check_files(config: RunConfig, origin: str | Path | None, keys: set[str]) -> None:
    """Read the source and rule files ``config`` names, before any work.

    An error about a file set by one of ``keys`` of the config file ``origin`` names
    that file and key first: ``c.toml: key 'srx': /tmp: is a directory, expected a file``.
    """
    for key, check in _NEEDED.items():
        value = getattr(config, key)
        if value is None:
            continue
        try:
            check(value)
        except InputError as exc:
            if key not in keys:
                raise
            raise InputError(origin, f"key {key!r}: {exc.message}") from None


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


def _check_language(doc: Document, lang: str, path: str, key: str) -> None:
    """Refuse a document in another script than ``lang``'s; warn if it reads as another language.

    The script check is an error (the run's outputs would be mislabelled
    throughout); the language guess (``align.text.langid``) only warns, since
    close languages share scripts and the guess can be wrong on short texts.
    """
    from align.text.langid import misread

    expected = expected_script(lang)
    found = dominant_script(doc.text)
    if expected and found and found != expected:
        raise InputError(path, f"is written in {found} script, not {lang} ({expected})")
    guess = misread(lang, [doc.text])
    if guess is not None:
        warn(
            path,
            f"{key} = {lang} but the text reads as {guess.tag} ({guess.reason}); "
            "check the language code",
        )


def _check_gold(gold: list[Bead], n_src: int, n_tgt: int, path: str) -> None:
    src = sorted(i for b in gold for i in b.src)
    tgt = sorted(j for b in gold for j in b.tgt)
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise InputError(
            path,
            f"does not match the documents: it covers {len(src)} of {n_src} source and "
            f"{len(tgt)} of {n_tgt} target sentences (each must appear exactly once)",
        )


def _optional(
    path: str | None, what: str, skipped: str, config: RunConfig, notes: list[str]
) -> bool:
    """True when an optional input is given and exists; else a note (or an error)."""
    if path is None:
        notes.append(f"no {what} given: {skipped} skipped")
        return False
    if Path(path).exists():
        return True
    if not config.skip_missing:
        raise InputError(path, f"no such file (the {what})")
    notes.append(f"{what} {path} not found: {skipped} skipped")
    return False


def load_inputs(config: RunConfig, notes: list[str]) -> Inputs:
    """Read and validate every input; nothing is written here.

    Raises InputError (``FILE: problem``) for an unreadable or wrong-language
    document, a gold alignment that does not cover both documents, and, with
    ``skip_missing = false``, a named optional input that does not exist.
    """
    doc = ingest_file(config.source, lang=config.src_lang, rules_path=config.boilerplate_rules)
    _check_language(doc, config.src_lang, config.source, "src_lang")
    inputs = Inputs(doc, segment_document(doc, config.srx))
    if _optional(config.glossary, "glossary", "glossary checks", config, notes):
        from align.glossary import load_glossary

        inputs.glossary = load_glossary(config.glossary)
    if _optional(config.reference, "reference", "alignment, TMX and scores", config, notes):
        ref = ingest_file(
            config.reference, lang=config.tgt_lang, rules_path=config.boilerplate_rules
        )
        _check_language(ref, config.tgt_lang, config.reference, "tgt_lang")
        inputs.reference, inputs.ref_segments = ref, segment_document(ref, config.srx)
    if inputs.reference and _optional(config.gold, "gold alignment", "alignment F1", config, notes):
        inputs.gold = read_vecalign(config.gold)
        _check_gold(inputs.gold, len(inputs.segments), len(inputs.ref_segments), config.gold)
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
    units = to_units(beads, src, tgt, config.src_lang, config.tgt_lang,
                     [s.content for s in inputs.segments],
                     [s.content for s in inputs.ref_segments])  # fmt: skip
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
    config.check_paths()
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
    if config.mt:
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
        src,
        tgt,
        config.src_lang,
        config.tgt_lang,
        glossary=inputs.glossary,
        max_bead=config.max_bead,
        review_below=config.review_below,
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
        f"title:      {doc.title or '(none found)'}",
        f"structure:  {doc.turns} interview turns, {len(doc.paragraphs)} paragraphs, "
        f"{len(doc.removed)} debris blocks removed",
        f"segments:   {len(result.inputs.segments)} {result.inputs.document.lang}"
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
