"""``align translate``: batch machine translation of files and folders, offline."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from align.cli import stopped_by
from align.cli.inputkinds import check_text_input
from align.cli.options import (
    any_path,
    check_lang_pair,
    check_srx_use,
    command,
    format_option,
    glossary_option,
    not_stdout,
    src_lang_option,
    tgt_lang_option,
)
from align.cli.xmlchars import (
    hint_invalid_chars,
    invalid_chars_mode,
    note_replaced,
    replace_invalid_chars_option,
)
from align.errors import AlignError, InputError, OutputError
from align.fsutil import TEMP_MARK, atomic_write, is_null_device
from align.interrupts import held
from align.limits import BEAM_RANGE, check_segments
from align.mt.engine import TranslationResult, Translator, mt_review, truncated_lines
from align.paths import (
    check_distinct,
    check_folder,
    check_output_dir,
    check_outputs,
    note_repeats,
    once_each,
)
from align.text.office import (  # always documents: ingested and segmented
    OFFICE_NAMES,
    OFFICE_SUFFIXES,
    splits_into_sentences,
)
from align.xmlsafe import InvalidChars

EXTENSIONS = {"txt": ".txt", "jsonl": ".jsonl", "tmx": ".tmx", "xliff": ".xlf"}
RAW_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", *OFFICE_SUFFIXES)


@dataclass
class Job:
    """One input file and where its translation goes."""

    path: Path
    rel: Path
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    contents: list[Any] = field(default_factory=list)  # inline codes per segment (office input)
    dest: Path | None = None


@dataclass(frozen=True)
class Skipped:
    """A file (or hidden folder) found in an input folder and not translated, and why."""

    path: Path
    reason: str


def is_own_output(f: Path, out_dir: Path | None, tgt: str | None) -> bool:
    """True for a file that ``align translate`` wrote into ``out_dir`` (``a.ru.txt``,
    ``a.ru.fixture.txt``): re-reading it would translate a translation."""
    if out_dir is None or tgt is None:
        return False
    try:
        f.resolve().relative_to(out_dir.resolve())
    except ValueError:
        return False
    name = f.name.lower()
    return ".fixture." in name or any(
        name.endswith(f".{tgt.lower()}{ext}") for ext in EXTENSIONS.values()
    )


def _skip_reason(f: Path, suffixes: tuple[str, ...], segment: bool) -> str | None:
    if f.suffix.lower() in suffixes:
        return None
    kind = f.suffix.lower() or "no extension"
    if not segment and f.suffix.lower() in RAW_SUFFIXES:
        return f"{kind} is a document: add --segment to clean and split it first"
    supported = "/".join(suffixes)
    return f"{kind} is not a format align translates (only {supported}); convert it first"


def discover(
    inputs: tuple[str, ...],
    segment: bool,
    out_dir: Path | None = None,
    tgt: str | None = None,
) -> tuple[list[Job], list[AlignError], list[Skipped]]:
    """Expand folders into their text files (sorted); missing inputs become errors.

    Everything in a folder that is not translated is returned in ``skipped`` with
    the reason (hidden, unsupported format, align's own output in ``out_dir``),
    so nothing is left out without a word. Files named explicitly are always used.
    """
    jobs: list[Job] = []
    errors: list[AlignError] = []
    skipped: list[Skipped] = []
    suffixes = RAW_SUFFIXES if segment else (".txt", *OFFICE_SUFFIXES)
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(p):
                here = Path(dirpath)
                for d in sorted(dirnames):
                    if d.startswith("."):
                        skipped.append(Skipped(here / d, "hidden folder"))
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    f = here / name
                    if name.startswith("."):
                        if TEMP_MARK not in name:  # align's own temp files: not worth a line
                            skipped.append(Skipped(f, "hidden file"))
                    elif not f.is_file():
                        skipped.append(Skipped(f, "not a regular file"))
                    elif is_own_output(f, out_dir, tgt):
                        skipped.append(Skipped(f, f"an output of align translate in {out_dir}"))
                    elif reason := _skip_reason(f, suffixes, segment):
                        skipped.append(Skipped(f, reason))
                    else:
                        found.append(f)
            if not found:
                errors.append(
                    InputError(p, f"folder has no {'/'.join(suffixes)} files to translate")
                )
            jobs.extend(Job(f, f.relative_to(p)) for f in sorted(found))
        elif p.exists():
            jobs.append(Job(p, Path(p.name)))
        else:
            errors.append(InputError(p, "no such file or folder"))
    return jobs, errors, skipped


def plan_outputs(
    jobs: list[Job], out_dir: Path, src: str, tgt: str, fmt: str, fixture: bool
) -> list[Path]:
    """Each job's output path, checked before any work: no two inputs share an output
    (both are named), and no output is one of the inputs or a folder."""
    if discards(out_dir):
        dests = [out_dir] * len(jobs)  # -o /dev/null: translate, time, check; no output files
    else:
        dests = [output_path(out_dir, j.rel, src, tgt, fmt, fixture) for j in jobs]
        check_distinct(zip((j.path for j in jobs), dests, strict=True))
    check_outputs([j.path for j in jobs], dests)
    return dests


def discards(out_dir: Path) -> bool:
    """True for ``-o /dev/null`` (the null device, by any name): every output goes there."""
    return is_null_device(out_dir)


def write_failure(dest: Path, exc: OSError | OutputError) -> OutputError:
    """A failed write (full disk, quota, I/O error) as a one-line error for that file."""
    why = (
        exc.problem
        if isinstance(exc, OutputError)
        else f"cannot be written ({exc.strerror or exc})"
    )
    return OutputError(dest, f"{why}; other files go on")


def load_segments(job: Job, lang: str, segment: bool, srx: str | None) -> None:
    """Fill job.ids/texts: one segment per line, or ingest + SRX segmentation."""
    check_text_input(job.path, segment, "translate")  # a TMX/XLIFF, or HTML without --segment
    if splits_into_sentences(job.path, segment):
        from align.text.ingest import ingest_file
        from align.text.segment import segment_document

        doc = ingest_file(job.path, lang=lang)
        segs = segment_document(doc, srx=srx)
        job.ids = [s.id for s in segs]
        job.texts = [s.text for s in segs]
        job.contents = [s.content for s in segs]
    else:
        from align.text.textio import read_lines

        job.texts = read_lines(job.path)
        stem = job.rel.with_suffix("").as_posix()
        job.ids = [f"{stem}:{i}" for i in range(1, len(job.texts) + 1)]
    if not any(t.strip() for t in job.texts):
        raise InputError(job.path, "has no text to translate")
    check_segments(job.path, job.texts, "segment" if segment else "line")


def output_path(out_dir: Path, rel: Path, src: str, tgt: str, fmt: str, fixture: bool) -> Path:
    """``docs/a.en.txt`` → ``OUT/docs/a.ru.txt``; fixture outputs get ``.fixture`` in the name.

    The language codes go into the name only once validated as BCP 47 tags, so a
    code can never carry a path (``../../x``) out of ``out_dir``.
    """
    from align.langtags import EXAMPLES, is_well_formed

    for code in (src, tgt):
        if not is_well_formed(code):
            raise OutputError(out_dir, f"language {code!r} is not {EXAMPLES}")
    stem = rel.name[: -len(rel.suffix)] if rel.suffix else rel.name
    if stem.endswith(f".{src}"):
        stem = stem[: -len(src) - 1]
    name = f"{stem}.{tgt}{'.fixture' if fixture else ''}{EXTENSIONS[fmt]}"
    return out_dir / rel.parent / name


def check_writable(out_dir: Path) -> Path | None:
    """Create the output folder, failing before any translation work when it cannot be written.

    Returns the topmost folder this made (``None``: ``out_dir`` existed), for
    :func:`remove_empty` to take away again when the run writes nothing.
    """
    if discards(out_dir):
        return None
    made = next((d for d in reversed([out_dir, *out_dir.parents]) if not d.exists()), None)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        remove_empty(made)
        raise OutputError(out_dir, f"output folder is not writable ({exc.strerror})") from None
    return made


def remove_empty(folder: Path | None) -> None:
    """Remove ``folder`` and its sub-folders if they hold no file (a run that wrote nothing)."""
    if folder is None or not folder.is_dir():
        return
    for d in [*sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True), folder]:
        with contextlib.suppress(OSError):  # not empty: something was written, keep it
            d.rmdir()


def read_inputs(
    jobs: list[Job], failures: list[AlignError], lang: str, segment: bool, srx: str | None
) -> list[Job]:
    """The jobs whose input reads and has text; each other one is reported and in ``failures``."""
    ready: list[Job] = []
    for job in jobs:
        try:
            load_segments(job, lang, segment, srx)
            ready.append(job)
        except AlignError as exc:
            failures.append(exc)
            report(exc)
    return ready


def record(job: Job, k: int, r: TranslationResult, src: str, tgt: str) -> dict[str, Any]:
    return {
        "id": job.ids[k],
        "source": r.source,
        "target": r.text,
        "src_lang": src,
        "tgt_lang": tgt,
        "score": r.score,
        "package": r.package,
        "origin": r.origin,
        "fixture": r.is_fixture,
        "cached": r.cached,
        "notes": r.notes,
        "glossary_changes": r.glossary_changes,
    }


def write_output(
    path: Path,
    fmt: str,
    job: Job,
    results: list[TranslationResult],
    tr: Translator,
    xliff_version: str = "1.2",
    glossary: Any = None,
    invalid_chars: InvalidChars = "error",
) -> int:
    """Write one output file; returns how many XML-invalid characters were replaced."""
    src, tgt = tr.from_code, tr.to_code
    if fmt == "xliff":
        from align.xliff.drafts import write_mt_xliff

        stats = write_mt_xliff(path, job.rel.as_posix(), job.ids, results, tr, xliff_version,
                               glossary, contents=job.contents,
                               invalid_chars=invalid_chars)  # fmt: skip
        return stats.replaced_chars
    if fmt == "txt":
        with atomic_write(path) as fh:
            for r in results:
                # one line per input line: no CR/LF inside (they end lines)
                fh.write(r.text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ") + "\n")
    elif fmt == "jsonl":
        with atomic_write(path) as fh:
            for k, r in enumerate(results):
                fh.write(json.dumps(record(job, k, r, src, tgt), ensure_ascii=False) + "\n")
    else:
        from align.model import TranslationUnit
        from align.tmx import write_tmx

        units = []
        for k, r in enumerate(results):
            props = {
                "origin": r.origin,
                "document": job.rel.as_posix(),
                "segment-id": job.ids[k],
            }
            if r.score is not None:
                props["score"] = f"{r.score:.4f}"
            if r.glossary_changes:
                props["glossary-changes"] = str(len(r.glossary_changes))
            review, note = mt_review(r, r.is_fixture)
            props.update(review)
            units.append(
                TranslationUnit(
                    source=r.source,
                    target=r.text,
                    src_lang=src,
                    tgt_lang=tgt,
                    props=props,
                    note=note,
                )
            )
        header = {"mt-package": tr.name}
        if tr.is_fixture:
            header["fixture"] = "true"
        return write_tmx(
            path,
            units,
            src_lang=src,
            tgt_lang=tgt,
            header_props=header,
            invalid_chars=invalid_chars,
        ).replaced_chars
    return 0


def warn_truncated(job: Job, results: list[TranslationResult], segment: bool, limit: int) -> None:
    """One stderr line per file naming the lines (or segments) whose translation was cut."""
    labels = job.ids if segment else [str(k) for k in range(1, len(results) + 1)]
    cut = truncated_lines(results, labels)
    if not cut:
        return
    shown = ", ".join(cut[:20]) + (f" and {len(cut) - 20} more" if len(cut) > 20 else "")
    what = "segment" if segment else "line"
    click.echo(
        f"align: warning: {job.path}: {what}{'s' if len(cut) > 1 else ''} {shown}: translation "
        f"cut at the decoding limit (--max-length {limit}); raise it or split those lines",
        err=True,
    )


def report(exc: AlignError) -> None:
    click.echo(f"align: error: {exc.message}", err=True)


def _load_glossary(path: str) -> Any:
    try:
        from align.glossary import fix_segment, load_glossary
    except ImportError:
        raise AlignError(
            path, "--glossary needs align.glossary (glossary fixing is not available yet)"
        ) from None
    del fix_segment
    return load_glossary(path)


@command("translate", f_was="--src-lang")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@src_lang_option("--from",
                 help="Source language (BCP 47 code, e.g. en); --from as in Argos.")  # fmt: skip
@tgt_lang_option("--to",
                 help="Target language (BCP 47 code, e.g. ru); --to as in Argos.")  # fmt: skip
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="outputs",
    show_default=True,
    type=any_path(),
    help="Output folder; sub-folders of input folders are kept. "
    "/dev/null writes no output files (to time a run or check the inputs); the segment "
    "cache is still written unless --no-cache.",
    callback=not_stdout("translate writes one file per input into a folder"),
)
@format_option(
    ["txt", "jsonl", "tmx", "xliff"],
    "txt",
    help="txt: one translated segment per line (lines match the input); "
    "jsonl: one record per segment with score and provenance; tmx: translation memory; "
    "xliff: drafts for post-editing in a CAT tool (one .xlf per input).",
)
@click.option(
    "--xliff-version",
    type=click.Choice(["1.2", "2.1"]),
    default="1.2",
    show_default=True,
    help="XLIFF version for --format xliff.",
)
@click.option(
    "--segment",
    is_flag=True,
    help="Inputs are raw documents (text or HTML): clean and split them into sentences first.",
)
@click.option("--srx", type=any_path(), metavar="FILE.srx",
              help="SRX 2.0 rules (e.g. exported from OmegaT) instead of the built-in rules: "
              f"for --segment and {OFFICE_NAMES} inputs.")  # fmt: skip
@click.option(
    "--beam",
    default=4,
    show_default=True,
    type=click.IntRange(*BEAM_RANGE),
    help="Beam size (1 = fastest, 4 = better).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 4096),
    help="Segments per model batch (default: batch by tokens, 4096 / sqrt(beam)).",
)
@click.option("--batch-tokens", type=click.IntRange(16), help="Source tokens per model batch.")
@click.option("--threads", type=click.IntRange(1, 256), help="CPU threads (default: all cores).")
@click.option(
    "--max-length",
    default=256,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="Longest output in tokens.",
)
@glossary_option(help="Glossary (TSV/CSV/TBX): fix names and terms in every translation.")
@click.option("--package", help="Use this installed package (by folder name), e.g. a test fixture.")
@click.option(
    "--allow-fixture",
    is_flag=True,
    help="Allow align's test fixture models (outputs are marked as not translations).",
)
@click.option(
    "--packages-dir",
    type=any_path(),
    help="Installed models folder (default: argostranslate's, see `align models path`).",
)
@click.option(
    "--cache-dir",
    type=any_path(),
    help="Translation cache folder (default: $ALIGN_CACHE_DIR, else ~/.cache/align).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
@click.option("--flush-every", default=512, hidden=True, type=click.IntRange(1))
@replace_invalid_chars_option("a TMX or XLIFF output (--format tmx, xliff)")
@click.option(
    "--cluster",
    "cluster_spec",
    metavar="SPEC",
    help="Translate on a Dask cluster: local, local:N (N worker processes here) or "
    "tcp://HOST:PORT (a running `dask scheduler`). Packages must exist on every worker.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 100000),
    help="Segments per chunk (a cluster task; default: about four model calls). "
    "Outputs are identical for the same chunk size, locally or on a cluster.",
)
def translate(
    inputs: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    out_dir: str,
    fmt: str,
    xliff_version: str,
    segment: bool,
    srx: str | None,
    beam: int,
    batch_size: int | None,
    batch_tokens: int | None,
    threads: int | None,
    max_length: int,
    glossary: str | None,
    package: str | None,
    allow_fixture: bool,
    packages_dir: str | None,
    cache_dir: str | None,
    no_cache: bool,
    flush_every: int,
    replace_invalid_chars: bool = False,
    cluster_spec: str | None = None,
    chunk_size: int | None = None,
) -> None:
    """Translate text files or whole folders offline with installed models.

    Each input .txt has one segment per line; the output has the same lines,
    translated. With --segment, raw pages are cleaned and split into sentences
    first. Outputs are named after the input with the target language:
    docs/a.en.txt becomes OUTPUT/a.ru.txt (".fixture" is added when a test
    model was used). A file named more than once (directly and through its
    folder, or by two spellings) is translated once, as first named.
    Finished segments are cached, so an interrupted run resumes where it
    stopped and a re-run is instant. If one file fails, the others are still
    translated and the command exits with code 2 at the end. Ctrl-C stops within
    about a second, keeps every finished segment and exits with code 130 (SIGTERM: 143).

    Example: align translate docs/ -s en -t ru -o outputs/ru -f jsonl
    """

    src, tgt = src_lang, tgt_lang
    if "-" in inputs:
        raise InputError(
            "-",
            "translate does not read standard input: name files or folders "
            "(it writes one output file per input)",
        )
    out = Path(out_dir)
    if fmt in ("tmx", "xliff"):
        check_lang_pair(src, tgt)
    if fmt == "tmx":
        try:
            import align.tmx  # noqa: F401
        except ImportError:
            raise AlignError(None, "--format tmx needs align.tmx (not available yet)") from None
    if not discards(out):
        check_output_dir(out)  # creatable; made only once inputs, cluster and model are ready
    check_folder(packages_dir, "models folder (--packages-dir)")
    check_folder(None if no_cache else cache_dir, "cache folder (--cache-dir)")
    if srx:
        from align.text.segment import load_rules

        load_rules(srx)  # a missing or broken SRX stops the run once, not once per input
    gloss = _load_glossary(glossary) if glossary else None
    if cluster_spec:
        from align.mt.cluster import parse_spec

        parse_spec(cluster_spec)  # a mistyped spec stops the run before any input is read
    jobs, failures, skipped = discover(inputs, segment, out, tgt)
    jobs, repeats = once_each(jobs, lambda job: job.path)
    note_repeats(repeats, "translated once", lambda job: job.path)
    check_srx_use(srx, [job.path for job in jobs], segment)
    for item in skipped:
        click.echo(f"align: skipped {item.path}: {item.reason}", err=True)
    for exc in failures:
        report(exc)
    jobs = read_inputs(jobs, failures, src, segment, srx)
    if not jobs:
        sys.exit(2)  # every input failed, each with its line; nothing to translate
    plan_outputs(jobs, out, src, tgt, fmt, False)  # collisions stop the run before any work
    with contextlib.ExitStack() as stack:
        runner = None
        if cluster_spec:
            from align.mt.cluster import ClusterRunner, open_client

            client = stack.enter_context(open_client(cluster_spec))
            runner = ClusterRunner(client, threads=threads or 1)
            workers = len(client.scheduler_info()["workers"])
            click.echo(f"align: cluster {client.scheduler.address}: {workers} worker(s)", err=True)
        tr = Translator.load(
            src,
            tgt,
            packages_dir,
            package=package,
            allow_fixture=allow_fixture,
            beam_size=beam,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            threads=threads,
            max_decoding_length=max_length,
            cache=not no_cache,
            cache_dir=cache_dir,
            cluster=runner,
        )
        tr.flush_every = flush_every
        tr.chunk_size = chunk_size
        dests = plan_outputs(jobs, out, src, tgt, fmt, tr.is_fixture)
        for job, dest in zip(jobs, dests, strict=True):
            job.dest = dest
        how = WriteSettings(
            fmt, xliff_version, invalid_chars_mode(replace_invalid_chars), max_length
        )
        run_jobs(tr, jobs, failures, skipped, out, how, gloss, segment)


@dataclass(frozen=True)
class WriteSettings:
    """How each output is written: format, XLIFF version, XML-invalid characters, limit."""

    fmt: str
    xliff_version: str = "1.2"
    invalid_chars: InvalidChars = "error"
    max_length: int = 256


def run_jobs(
    tr: Translator,
    jobs: list[Job],
    failures: list[AlignError],
    skipped: list[Skipped],
    out: Path,
    how: WriteSettings,
    gloss: Any,
    segment: bool,
) -> None:
    """Translate and write every job (its segments loaded) in order.

    Ctrl-C ends the command with code 130, SIGTERM with 143. The summary line is
    printed only when a file was written; an output folder this run made is
    removed again when nothing was written into it.
    """
    src, tgt = tr.from_code, tr.to_code
    if tr.is_fixture:
        click.echo(
            f"align: note: {tr.name} is a TEST FIXTURE; outputs are marked and are not "
            "translations",
            err=True,
        )
    made = check_writable(out)
    total = sum(len(j.texts) for j in jobs)
    written: list[Path] = []
    with tr, progress_bar(total, f"{src}→{tgt}") as bar:
        try:
            for job in jobs:
                try:
                    translate_job(tr, job, gloss, bar, out, how, segment, written)
                except AlignError as exc:
                    failures.append(exc)
                    report(exc)
        except KeyboardInterrupt as exc:  # Ctrl-C, or Terminated (SIGTERM)
            bar.close()
            remove_empty(made)  # before interrupted(), which may leave through os._exit
            interrupted(tr, written, exc)
        stats = dict(tr.stats)
    remove_empty(made)
    if written:
        click.echo(
            (f"skipped {len(skipped)} file(s) (listed above); " if skipped else "")
            + f"translated {len(written)} file(s), {total} segments "
            f"({segment_counts(stats)}) -> {out}"
            + (" [TEST FIXTURE output]" if tr.is_fixture else ""),
            err=True,
        )
    if failures:
        click.echo(f"align: {len(failures)} input(s) failed", err=True)
        sys.exit(2)


def segment_counts(stats: dict[str, int]) -> str:
    """How the segments were done, each counted once (a pivot's legs are not added up)."""
    text = f"{stats['by_model']} by the model, {stats['from_cache']} from cache"
    return text + (f", {stats['empty']} blank" if stats["empty"] else "")


def progress_bar(total: int, desc: str) -> Any:
    """Segments done, rate and ETA on stderr (only on a terminal), updated per batch."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="seg",
        desc=desc,
        file=sys.stderr,
        disable=None,
        mininterval=0.2,
        bar_format="{l_bar}{bar}| {n:.0f}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]",
    )


def translate_job(
    tr: Translator,
    job: Job,
    gloss: Any,
    bar: Any,
    out: Path,
    how: WriteSettings,
    segment: bool,
    written: list[Path],
) -> None:
    """Translate one input (the bar advances per finished batch), write it atomically
    and add it to ``written``.

    A write that fails (full disk, quota) fails this file only, with one line.
    """
    start = bar.n
    results = tr.translate_segments(job.texts, glossary=gloss, progress=bar.update)
    dest = job.dest or output_path(out, job.rel, tr.from_code, tr.to_code, how.fmt, tr.is_fixture)
    with held():  # an interrupt never finds a file written but not listed
        try:
            with hint_invalid_chars():
                replaced = write_output(dest, how.fmt, job, results, tr, how.xliff_version,
                                        gloss, how.invalid_chars)  # fmt: skip
        except (OSError, OutputError) as exc:  # full disk: this file fails, others go on
            raise write_failure(dest, exc) from None
        written.append(dest)
    note_replaced(dest, replaced)
    bar.n = start + len(job.texts)  # cached and empty segments included
    bar.refresh()
    warn_truncated(job, results, segment, how.max_length)


def interrupted(tr: Translator, written: list[Path], exc: KeyboardInterrupt) -> None:
    """Ctrl-C (exit 130) or SIGTERM (143): say what is kept and whether a rerun resumes.

    No partial output file is left (outputs are written atomically).
    """
    how, code = stopped_by(exc)
    done = tr.stats["translated"]  # per hop: a pivot's legs are counted apart
    what = "newly translated segment(s)" if len(tr.route) == 1 else "new pivot-leg translation(s)"
    if tr.cache:
        kept = (f"{done} {what} kept in {tr.cache.path}; rerun to resume "
                "(the same command skips finished segments)")  # fmt: skip
    else:
        kept = f"{done} {what} not kept (--no-cache); a rerun starts over"
    click.echo(f"align: {how}: {len(written)} file(s) written, {kept}", err=True)
    from align.mt.engine import has_abandoned_work

    if has_abandoned_work():
        # A CTranslate2 call cut short still runs and Python's exit would wait for
        # it; everything worth keeping is committed, so leave now.
        tr.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
