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

from align.errors import AlignError, InputError, OutputError
from align.fsutil import atomic_write
from align.mt.engine import FIXTURE_NOTE, TranslationResult, Translator

EXTENSIONS = {"txt": ".txt", "jsonl": ".jsonl", "tmx": ".tmx"}
RAW_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")


@dataclass
class Job:
    """One input file and where its translation goes."""

    path: Path
    rel: Path
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def discover(inputs: tuple[str, ...], segment: bool) -> tuple[list[Job], list[AlignError]]:
    """Expand folders into their text files (sorted); missing inputs become errors."""
    jobs: list[Job] = []
    errors: list[AlignError] = []
    suffixes = RAW_SUFFIXES if segment else (".txt",)
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                errors.append(InputError(p, f"folder has no {'/'.join(suffixes)} files"))
            jobs.extend(Job(f, f.relative_to(p)) for f in found)
        elif p.exists():
            jobs.append(Job(p, Path(p.name)))
        else:
            errors.append(InputError(p, "no such file or folder"))
    return jobs, errors


def load_segments(job: Job, lang: str, segment: bool, srx: str | None) -> None:
    """Fill job.ids/texts: one segment per line, or ingest + SRX segmentation."""
    if segment:
        from align.text.ingest import ingest_file
        from align.text.segment import segment_document

        doc = ingest_file(job.path, lang=lang)
        segs = segment_document(doc, srx=srx)
        job.ids = [s.id for s in segs]
        job.texts = [s.text for s in segs]
    else:
        from align.text.textio import read_lines

        job.texts = read_lines(job.path)
        stem = job.rel.with_suffix("").as_posix()
        job.ids = [f"{stem}:{i}" for i in range(1, len(job.texts) + 1)]
    if not any(t.strip() for t in job.texts):
        raise InputError(job.path, "has no text to translate")


def output_path(out_dir: Path, rel: Path, src: str, tgt: str, fmt: str, fixture: bool) -> Path:
    """``docs/a.en.txt`` → ``OUT/docs/a.ru.txt``; fixture outputs get ``.fixture`` in the name."""
    stem = rel.name[: -len(rel.suffix)] if rel.suffix else rel.name
    if stem.endswith(f".{src}"):
        stem = stem[: -len(src) - 1]
    name = f"{stem}.{tgt}{'.fixture' if fixture else ''}{EXTENSIONS[fmt]}"
    return out_dir / rel.parent / name


def check_writable(out_dir: Path) -> None:
    """Fail before any translation work when the output folder cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise OutputError(out_dir, f"output folder is not writable ({exc.strerror})") from None


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
    path: Path, fmt: str, job: Job, results: list[TranslationResult], tr: Translator
) -> None:
    src, tgt = tr.from_code, tr.to_code
    if fmt == "txt":
        with atomic_write(path) as fh:
            for r in results:
                fh.write(r.text.replace("\n", " ") + "\n")
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
            if r.is_fixture:
                props["fixture"] = "true"
            units.append(
                TranslationUnit(
                    source=r.source,
                    target=r.text,
                    src_lang=src,
                    tgt_lang=tgt,
                    props=props,
                    note=FIXTURE_NOTE if r.is_fixture else None,
                )
            )
        header = {"mt-package": tr.name}
        if tr.is_fixture:
            header["fixture"] = "true"
        write_tmx(path, units, src_lang=src, tgt_lang=tgt, header_props=header)


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


@click.command("translate")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-f", "--from", "src", required=True, help="Source language code, e.g. en.")
@click.option("-t", "--to", "tgt", required=True, help="Target language code, e.g. ru.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder; sub-folders of input folders are kept.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "jsonl", "tmx"]),
    default="txt",
    show_default=True,
    help="txt: one translated segment per line (lines match the input); "
    "jsonl: one record per segment with score and provenance; tmx: translation memory.",
)
@click.option(
    "--segment",
    is_flag=True,
    help="Inputs are raw documents (text or HTML): clean and split them into sentences first.",
)
@click.option("--srx", type=click.Path(dir_okay=False), help="SRX rules for --segment.")
@click.option(
    "--beam",
    default=4,
    show_default=True,
    type=click.IntRange(1, 16),
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
@click.option(
    "--glossary",
    type=click.Path(dir_okay=False),
    help="Termbase (TSV/CSV/TBX): fix names and terms in every translation.",
)
@click.option("--package", help="Use this installed package (by folder name), e.g. a test fixture.")
@click.option(
    "--allow-fixture",
    is_flag=True,
    help="Allow align's test fixture models (outputs are marked as not translations).",
)
@click.option(
    "--packages-dir",
    type=click.Path(file_okay=False),
    help="Installed models folder (default: $ARGOS_PACKAGES_DIR or .models/packages).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Translation cache folder (default: $ALIGN_CACHE_DIR, else ~/.cache/align).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
@click.option("--flush-every", default=512, hidden=True, type=click.IntRange(1))
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
    src: str,
    tgt: str,
    out_dir: str,
    fmt: str,
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
    cluster_spec: str | None,
    chunk_size: int | None,
) -> None:
    """Translate text files or whole folders offline with installed models.

    Each input .txt has one segment per line; the output has the same lines,
    translated. With --segment, raw pages are cleaned and split into sentences
    first. Outputs are named after the input with the target language:
    docs/a.en.txt becomes OUTPUT/a.ru.txt (".fixture" is added when a test
    model was used). Finished segments are cached, so an interrupted run resumes where it
    stopped and a re-run is instant. If one file fails, the others are still
    translated and the command exits with code 2 at the end. Ctrl-C stops within
    about a second, keeps every finished segment and exits with code 130.

    Example: align translate docs/ --from en --to ru -o outputs/ru --format jsonl
    """
    out = Path(out_dir)
    if fmt == "tmx":
        try:
            import align.tmx  # noqa: F401
        except ImportError:
            raise AlignError(None, "--format tmx needs align.tmx (not available yet)") from None
    gloss = _load_glossary(glossary) if glossary else None
    check_writable(out)
    jobs, failures = discover(inputs, segment)
    for exc in failures:
        report(exc)
    with contextlib.ExitStack() as stack:
        runner = None
        if cluster_spec:
            from align.mt.cluster import ClusterRunner, open_client

            client = stack.enter_context(open_client(cluster_spec))
            runner = ClusterRunner(client, chunk_size=chunk_size, threads=threads or 1)
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
        run_jobs(tr, jobs, failures, out, fmt, gloss, segment, srx)


def run_jobs(
    tr: Translator,
    jobs: list[Job],
    failures: list[AlignError],
    out: Path,
    fmt: str,
    gloss: Any,
    segment: bool,
    srx: str | None,
) -> None:
    """Translate and write every job in order; Ctrl-C ends the command with code 130."""
    src, tgt = tr.from_code, tr.to_code
    if tr.is_fixture:
        click.echo(
            f"align: note: {tr.name} is a TEST FIXTURE; outputs are marked and are not "
            "translations",
            err=True,
        )
    ready: list[Job] = []
    for job in jobs:
        try:
            load_segments(job, src, segment, srx)
            ready.append(job)
        except AlignError as exc:
            failures.append(exc)
            report(exc)
    total = sum(len(j.texts) for j in ready)
    written: list[Path] = []
    with tr, progress_bar(total, f"{src}→{tgt}") as bar:
        try:
            for job in ready:
                try:
                    written.append(translate_job(tr, job, gloss, bar, out, fmt))
                except AlignError as exc:
                    failures.append(exc)
                    report(exc)
        except KeyboardInterrupt:
            bar.close()
            interrupted(tr, written, total)
        stats = dict(tr.stats)
    click.echo(
        f"translated {len(written)} file(s), {total} segments "
        f"({stats['translated']} by the model, {stats['cached']} from cache) -> {out}"
        + (" [TEST FIXTURE output]" if tr.is_fixture else ""),
        err=True,
    )
    if failures:
        click.echo(f"align: {len(failures)} input(s) failed", err=True)
        sys.exit(2)


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


def translate_job(tr: Translator, job: Job, gloss: Any, bar: Any, out: Path, fmt: str) -> Path:
    """Translate one input (the bar advances per finished batch) and write it atomically."""
    start = bar.n
    results = tr.translate_segments(job.texts, glossary=gloss, progress=bar.update)
    dest = output_path(out, job.rel, tr.from_code, tr.to_code, fmt, tr.is_fixture)
    write_output(dest, fmt, job, results, tr)
    bar.n = start + len(job.texts)  # cached and empty segments included
    bar.refresh()
    return dest


def interrupted(tr: Translator, written: list[Path], total: int) -> None:
    """Ctrl-C: say what is kept and how to resume, then exit 130 (no partial output file)."""
    kept = tr.stats["translated"]
    where = f" in {tr.cache.path}" if tr.cache else " nowhere (--no-cache)"
    click.echo(
        f"align: interrupted: {len(written)} file(s) written, {kept} newly translated "
        f"segment(s) kept{where}; rerun to resume (the same command skips finished segments)",
        err=True,
    )
    from align.mt.engine import has_abandoned_work

    if has_abandoned_work():
        # A CTranslate2 call cut short still runs and Python's exit would wait for
        # it; everything worth keeping is committed, so leave now.
        tr.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(130)
