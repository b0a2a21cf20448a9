"""``align align``: pair the sentences of two language versions of a document."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from align.cli import stopped_by
from align.cli.inputkinds import check_text_input
from align.cli.options import (
    any_path,
    check_lang_pair,
    check_srx_use,
    command,
    counted,
    format_option,
    glossary_option,
    is_stdout,
    output_option,
    refused,
    src_lang_option,
    tgt_lang_option,
)
from align.cli.xmlchars import (
    hint_invalid_chars,
    invalid_chars_mode,
    note_replaced,
    replace_invalid_chars_option,
)
from align.errors import AlignError, InputError, OutputError, warn
from align.interrupts import held
from align.limits import MAX_BEAD_RANGE, check_line_count, check_segments
from align.model import Inline
from align.paths import check_inputs, check_outputs, same_file
from align.text.office import OFFICE_NAMES, splits_into_sentences

_SUFFIX = {"tmx": "tmx", "xliff": "xlf"}
# The output names that imply a format; the other XLIFF names (align.xliff.XLIFF_SUFFIXES:
# .sdlxliff, .mqxliff, .xlf2) are the CAT tools' own formats, which align does not write.
_EXT_FORMAT = {".tmx": "tmx", ".tmx.gz": "tmx", ".tsv": "tsv", ".jsonl": "jsonl",
               ".align": "vecalign", ".xlf": "xliff", ".xliff": "xliff"}  # fmt: skip
# Plain-text names that imply no format but fit the default (vecalign text).
_TEXT_SUFFIXES = (".txt",)


def read_lines(path: str | Path) -> list[str]:
    """One segment per line (:func:`align.text.textio.read_lines`); blank files are errors."""
    from align.text import textio

    lines = textio.read_lines(path)
    if not any(lines):
        raise InputError(path, "is empty; there is nothing to align")
    return lines


@dataclass
class _Side:
    """One side's segments; ``contents`` their inline codes when a document had any."""

    lines: list[str]
    contents: list[Inline | None] | None = None


def _segments(path: str | Path, lang: str, segment: bool, srx: str | None = None) -> _Side:
    """Segments of one side, within the documented limits (align.limits).

    ``srx``: the user's SRX rules for documents (None: the built-in ones).
    """
    from align.model import has_codes

    check_text_input(path, segment, "align")  # a TMX/XLIFF, or HTML without --segment
    if not splits_into_sentences(path, segment):
        lines = read_lines(path)  # refuses over-long lines itself
        check_line_count(path, len(lines))
        return _Side(lines)
    from align.text.ingest import ingest_file
    from align.text.segment import segment_document

    found = segment_document(ingest_file(path, lang), srx=srx)
    segs = [s.text for s in found]
    if not segs:
        raise InputError(path, "has no sentences after segmentation; there is nothing to align")
    check_line_count(path, len(segs))
    check_segments(path, segs, "segment")
    contents = [s.content for s in found]
    return _Side(segs, contents if any(map(has_codes, contents)) else None)


def _warn_language(path: str, lines: list[str], lang: str, option: str) -> None:
    """Warn when a file's text contradicts its declared language (swapped files, a wrong code).

    First the script (Cyrillic text given as ``-t az``), then the language
    guesser (``align.text.langid``): Azerbaijani given as ``-t tr`` or Ukrainian
    as ``-t ru`` is read as the wrong language, and the aligner then neither
    warns that its encoder lacks the real one nor adapts to it (on a FLORES
    slice the user trial measured 41 wrong beads with ``-t tr`` and 15 with
    ``-t az``). Only a warning: the user's code is kept, since it also names
    the glossary column and the TMX language.
    """
    from align.aligner.languages import covered
    from align.text.langid import misread
    from align.text.script import dominant_script, expected_script

    expected = expected_script(lang)
    found = dominant_script(" ".join(lines[:200]))
    if expected and found and found != expected:
        click.echo(
            f"align: warning: {path}: {option} {lang} but the text is mostly {found} script; "
            "check the language codes and the file order",
            err=True,
        )
        return
    guess = misread(lang, lines)
    if guess is None:
        return
    lacks = (
        f"; the sentence encoder was not trained on {guess.tag}, which align adapts to "
        f"only when told ({option} {guess.tag})"
        if not covered(guess.tag) and covered(lang)
        else ""
    )
    click.echo(
        f"align: warning: {path}: {option} {lang} but the text reads as {guess.tag} "
        f"({guess.reason}); check the language code{lacks}",
        err=True,
    )


def _implied_format(out: str | None) -> str | None:
    """The format the output file's extension names, if any (any XLIFF name: xliff)."""
    from align.xliff import is_xliff

    if not out:
        return None
    name = Path(out).name.lower()
    found = next((f for ext, f in _EXT_FORMAT.items() if name.endswith(ext)), None)
    return found or ("xliff" if is_xliff(out) else None)


def _format_for(fmt: str | None, out: str | None) -> str:
    """``fmt``, else the one ``out``'s name implies, else vecalign.

    Raises:
        OutputError: no ``fmt`` and ``out`` is named for a CAT tool's own XLIFF
            (``.sdlxliff``, ``.mqxliff``, ``.xlf2``): align writes plain XLIFF 1.2;
            or ``out``'s extension names no format align knows (``out.weird.xml``),
            which used to get vecalign text silently.
    """
    if fmt is None and not is_stdout(out) and _implied_format(out) is None:
        suffix = Path(out).suffix.lower()  # type: ignore[arg-type]
        if suffix and suffix not in _TEXT_SUFFIXES:
            known = ", ".join(_EXT_FORMAT)
            raise OutputError(
                out,
                f"align does not know the extension {suffix}: name the output {known} "
                "(or .txt/no extension for vecalign), or give -f FORMAT",
            )
    if fmt is None and _implied_format(out) == "xliff":
        suffix = Path(out).suffix.lower()  # type: ignore[arg-type]
        if suffix not in (".xlf", ".xliff"):
            raise OutputError(
                out,
                f"align writes plain XLIFF 1.2, not the {suffix} format: name the output "
                ".xlf or .xliff (-f xliff writes plain XLIFF under any name)",
            )
    return fmt or _implied_format(out) or "vecalign"


class _Job:
    """Shared state of one command run: languages, model, glossary, options."""

    def __init__(self, src_lang, tgt_lang, glossary, max_bead, review_below, cache, segment):
        from align.aligner.embed import CachedEmbedder, UseEmbedder

        self.invalid_chars = "error"
        self.srx: str | None = None  # SRX rules for documents (--srx)

        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.glossary = glossary
        self.max_bead, self.review_below, self.segment = max_bead, review_below, segment
        self.embedder = CachedEmbedder(UseEmbedder(), disk=cache, progress=True)

    def read(self, src_path: str, tgt_path: str) -> tuple[_Side, _Side]:
        """Both sides' segments, with a warning when a file's text contradicts its language."""
        src = _segments(src_path, self.src_lang, self.segment, self.srx)
        tgt = _segments(tgt_path, self.tgt_lang, self.segment, self.srx)
        _warn_language(src_path, src.lines, self.src_lang, "--src-lang")
        _warn_language(tgt_path, tgt.lines, self.tgt_lang, "--tgt-lang")
        return src, tgt

    def compute(self, src: list[str], tgt: list[str]) -> list:
        from align.aligner import align

        return align(
            src,
            tgt,
            self.src_lang,
            self.tgt_lang,
            glossary=self.glossary,
            max_bead=self.max_bead,
            embedder=self.embedder,
            review_below=self.review_below,
        )

    def write(
        self,
        beads: list,
        src: _Side,
        tgt: _Side,
        fmt: str,
        out: str | None,
        original: str | None = None,
    ) -> _Tally:
        """Write beads to ``out`` (None/``-``: stdout); ``original`` names the source document."""
        from align.aligner.formats import render
        from align.tmx.beads import write_alignment

        if is_stdout(out):
            sys.stdout.write(render(fmt, beads, src.lines, tgt.lines))
            sys.stdout.flush()
        else:
            with hint_invalid_chars():
                replaced = write_alignment(out, fmt, beads, src.lines, tgt.lines, self.src_lang,
                                           self.tgt_lang, original=original,
                                           invalid_chars=self.invalid_chars,
                                           src_content=src.contents,
                                           tgt_content=tgt.contents)  # fmt: skip
            note_replaced(out, replaced)
        return _Tally(
            Counter(b.kind for b in beads),
            sum(b.review for b in beads),
            # a translation unit needs both sides
            sum(1 for b in beads if not (b.src and b.tgt)) if fmt == "tmx" else 0,
        )


@dataclass
class _Tally:
    """Beads written for a pair (or a whole batch): by kind, flagged, left out of a TMX."""

    kinds: Counter = field(default_factory=Counter)
    review: int = 0
    left_out: int = 0

    def add(self, other: _Tally) -> None:
        self.kinds.update(other.kinds)
        self.review += other.review
        self.left_out += other.left_out

    def beads(self) -> str:
        return counted(sum(self.kinds.values()), "bead")

    def summary(self) -> str:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(self.kinds.items()))
        line = f"{self.beads()} ({kinds}); {self.review} flagged for review"
        if self.left_out:
            line += (
                f"; {self.left_out} unmatched left out of the TMX "
                "(use -f xliff or jsonl to see them)"
            )
        return line


def _read_batch(path: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The pairs of a batch file, and for each where it is ("pairs.tsv line 3: ")."""
    base = Path(path).parent
    jobs = []
    where = []
    for k, raw in enumerate(read_lines(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise InputError(path, f"line {k}: expected SRC<TAB>TGT<TAB>OUT")
        jobs.append(tuple(str(base / p.strip()) for p in parts))
        where.append(f"{path} line {k}: ")
    if not jobs:
        raise InputError(path, "lists no file pairs")
    return jobs, where  # type: ignore[return-value]


def _at_line(exc: AlignError, pairs: list[tuple[str, str, str]], where: list[str]) -> AlignError:
    """``exc`` about an output, prefixed with the --batch line that names it (the last such)."""
    for (_, _, out), at in zip(reversed(pairs), reversed(where), strict=True):
        if at and exc.path is not None and str(Path(out)) == exc.path:
            return type(exc)(None, f"{at}{exc.message}")
    return exc


def _check_distinct(pairs: list[tuple[str, str, str]], where: list[str]) -> None:
    """Refuse a pair whose SRC and TGT are one file (same name, a link, another spelling).

    Raises:
        InputError: ``where`` (a --batch line) then the TGT named, SRC in brackets if spelt
            differently.
    """
    for (s, t, _), at in zip(pairs, where, strict=True):
        if "-" not in (s, t) and same_file(s, t):
            other = "" if s == t else f" ({s})"
            raise InputError(None, f"{at}{t}: SRC and TGT are the same file{other}")


@command(name="align")
@click.argument("src", required=False, type=any_path())
@click.argument("tgt", required=False, type=any_path())
@src_lang_option()
@tgt_lang_option()
@format_option(
    ["vecalign", "tsv", "jsonl", "tmx", "xliff"],
    None,
    help="Output format (default: from the -o extension .tmx/.tmx.gz, .tsv, .jsonl, "
    ".xlf/.xliff, .align; else vecalign). xliff is plain XLIFF 1.2: an -o named .sdlxliff, "
    ".mqxliff or .xlf2 needs -f xliff.",
)
@output_option()
@glossary_option(help="Glossary (TSV/CSV/TBX) whose term pairs help match sentences.")
@click.option(
    "--segment", is_flag=True, help="Inputs are documents: clean and split into sentences first."
)
@click.option("--srx", type=any_path(), metavar="FILE.srx", default=None,
              help="SRX 2.0 rules (e.g. exported from OmegaT) to split documents with, instead "
              f"of the built-in rules: for --segment and {OFFICE_NAMES} inputs.")  # fmt: skip
@click.option("--batch", type=any_path(), default=None,
              help="Align many pairs: a file of SRC<TAB>TGT<TAB>OUT lines (paths relative to it).")  # fmt: skip
@click.option("--max-bead", type=click.IntRange(*MAX_BEAD_RANGE), default=3, show_default=True,
              help="Most sentences one side of a pair may hold (1: only 1-1 and unmatched lines).")  # fmt: skip
@click.option("--review-below", type=click.FloatRange(0, 1), default=None,
              help="Flag beads whose probability of being right is below this for review "
                   "(default: the calibrated threshold, chosen to hold 98% of the wrong beads of the "
                   "tuning sets while flagging at most 10% of beads, 30% where a language is "
                   "uncovered).")  # fmt: skip
@click.option("--no-cache", is_flag=True,
              help="Don't use the embedding cache ($ALIGN_CACHE_DIR, default ~/.cache/align).")  # fmt: skip
@replace_invalid_chars_option("a TMX or XLIFF output")
@click.option("--cluster", "cluster_spec", metavar="SPEC", default=None,
              help="With --batch: align the pairs on a Dask cluster: local, local:N or "
              "tcp://HOST:PORT (a running `dask scheduler`).")  # fmt: skip
def align_cmd(src, tgt, src_lang, tgt_lang, fmt, output, glossary, segment, batch, max_bead,
              review_below, no_cache, cluster_spec=None, replace_invalid_chars=False,
              srx=None):  # fmt: skip
    """Align SRC and TGT, two translations of one text, sentence by sentence.

    SRC and TGT hold one sentence per line (or, with --segment, are whole
    documents); either may be - for standard input. The result pairs lines
    1-1, merges where one version joined or split sentences (2-1, 1-2, ...),
    and leaves lines with no counterpart unmatched (1-0 / 0-1). Every bead
    gets the probability that it is right (calibrated on the benchmark);
    unlikely ones are flagged for review. A language the sentence encoder was
    not trained on (e.g. az, uk) gets a warning on stderr, once, and more
    flags; Azerbaijani and Ukrainian are read respelt in the alphabet of a
    related language it knows (Turkish, Russian).

    \b
    Formats:
      vecalign  [0, 1]:[0]:0.93 per pair, 0-based line numbers
      tsv       source, target, confidence, review flag (yes/no)
      jsonl     line numbers, texts, confidence, review flag, pair type
      tmx       translation memory for OmegaT/Trados/memoQ (needs -o)
      xliff     XLIFF 1.2 for review in a CAT tool (needs -o); flagged pairs
                are needs-review-translation, the others translated
    tmx and xliff keep the inline codes (bold, links...) of .docx/.odt inputs.

    \b
    Examples:
      align align article.en.txt article.ru.txt -s en -t ru -o article.tmx
      align align a.en a.ru -s en -t ru -f jsonl -g terms.tsv
      align align --batch pairs.tsv -s en -t ru -f tsv
    """
    if batch and (src or tgt):
        raise click.UsageError("give either SRC and TGT or --batch, not both")
    if batch and not is_stdout(output):
        raise click.UsageError("-o does not apply to --batch: the batch file names each output")
    if src == "-" and tgt == "-":
        raise click.UsageError("SRC and TGT cannot both be standard input (-)")
    if not batch and not (src and tgt):
        raise click.UsageError("give SRC and TGT files (or --batch PAIRS.tsv)")
    check_inputs([batch, src, tgt, glossary])
    if srx:
        from align.text.segment import load_rules

        load_rules(srx)  # a missing or broken SRX stops the run before any input is read
    pairs, where = _read_batch(batch) if batch else ([(src, tgt, output)], [""])
    _check_distinct(pairs, where)
    check_srx_use(srx, [p for s, t, _ in pairs for p in (s, t)], segment)
    formats = [_format_for(fmt, out) for _, _, out in pairs]  # every name checked, before work
    if any(f in ("tmx", "xliff") for f in formats):
        check_lang_pair(src_lang, tgt_lang)
    try:
        check_outputs([batch, glossary, srx, *(p for s, t, _ in pairs for p in (s, t))],
                      [out for _, _, out in pairs])  # fmt: skip
    except AlignError as exc:
        raise _at_line(exc, pairs, where) from None
    if cluster_spec and not batch:
        raise click.UsageError("--cluster works with --batch PAIRS.tsv")
    gloss = None
    if glossary:
        from align.glossary import load_glossary

        gloss = load_glossary(glossary)
    job = _Job(src_lang, tgt_lang, gloss, max_bead, review_below, not no_cache, segment)
    job.invalid_chars = invalid_chars_mode(replace_invalid_chars)
    job.srx = srx
    for (_, _, out), at in zip(pairs, where, strict=True):
        implied = _implied_format(out)
        if fmt and implied and implied != fmt:  # -f wins, as its help says; say so
            warn(None, f"{at}{out}: writing {fmt}, although the extension says {implied}")
    if not batch:
        fmt = _format_for(fmt, output)
        if fmt in ("tmx", "xliff") and is_stdout(output):
            raise refused(f"--format {fmt}", f"needs an output file (-o FILE.{_SUFFIX[fmt]})")
        _single(job, src, tgt, fmt, output, not no_cache)
        return
    jobs = pairs
    bar = _PairBar(len(jobs))
    totals = _Tally()
    try:
        if cluster_spec:
            failed = _batch_on_cluster(
                job, jobs, where, fmt, cluster_spec, glossary, not no_cache, bar, totals
            )
        else:
            failed = _batch_here(job, jobs, where, fmt, bar, totals)
    except KeyboardInterrupt as exc:  # Ctrl-C (130), or Terminated by SIGTERM (143)
        bar.close()
        how, code = stopped_by(exc)
        click.echo(
            f"align: {how}: {bar.n} of {len(jobs)} pairs done (outputs written whole); "
            + _rerun(not no_cache),
            err=True,
        )
        sys.exit(code)
    bar.close()
    click.echo(
        f"aligned {len(jobs) - failed} of {counted(len(jobs), 'pair')}; "
        f"{totals.review} of {totals.beads()} flagged for review",
        err=True,
    )
    if failed:
        sys.exit(2)


def _rerun(disk_cache: bool) -> str:
    """What a rerun after an interrupt redoes: embeddings come back from the disk cache."""
    if disk_cache:
        return "rerun to resume (embeddings already computed are cached)"
    return "a rerun starts over (--no-cache: nothing was cached)"


def _single(job: _Job, src: str, tgt: str, fmt: str, out: str | None, disk_cache: bool) -> None:
    """Align one pair; Ctrl-C says whether its output was written and what a rerun redoes."""
    written = False
    try:
        sides = job.read(src, tgt)
        beads = job.compute(sides[0].lines, sides[1].lines)
        with held():  # written and ``written`` agree when an interrupt lands
            tally = job.write(beads, *sides, fmt, out, Path(src).name)
            written = True
    except KeyboardInterrupt as exc:  # Ctrl-C (130), or Terminated by SIGTERM (143)
        how, code = stopped_by(exc)
        done = "output written" if written else "nothing written"
        click.echo(f"align: {how}: {done}; {_rerun(disk_cache)}", err=True)
        sys.exit(code)
    click.echo(tally.summary(), err=True)


class _PairBar:
    """Pairs done (``n``), with a bar, rate and ETA on stderr when it is a terminal."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.n = 0
        self._bar = tqdm(total=total, desc="aligning", unit="pair", file=sys.stderr, disable=None)

    def update(self, k: int = 1) -> None:
        self.n += k
        self._bar.update(k)

    def write(self, line: str) -> None:
        self._bar.write(line, file=sys.stderr)

    def close(self) -> None:
        self._bar.close()


def _pair_done(tally: _Tally, out: str, bar, totals: _Tally) -> None:
    """One stderr line per finished pair (its beads and flags), added to the batch's totals."""
    totals.add(tally)
    bar.write(f"{out}: {tally.summary()}")


def _batch_here(
    job: _Job,
    jobs: list[tuple[str, str, str]],
    where: list[str],
    fmt: str | None,
    bar,
    totals: _Tally,
) -> int:
    """Align each pair in this process; returns the number of failed pairs."""
    failed = 0
    for (s, t, out), at in zip(jobs, where, strict=True):
        try:
            src, tgt = job.read(s, t)
            beads = job.compute(src.lines, tgt.lines)
        except AlignError as exc:
            failed += 1
            bar.write(f"align: error: {at}{exc.message}")
            bar.update(1)
            continue
        failed += not _pair_written(job, beads, src, tgt, fmt, out, s, at, bar, totals)
    return failed


def _pair_written(
    job: _Job,
    beads: list,
    src: _Side,
    tgt: _Side,
    fmt: str | None,
    out: str,
    src_path: str,
    at: str,
    bar,
    totals: _Tally,
) -> bool:
    """Write one aligned pair of a batch and count it; False (said on stderr) if it failed.

    Ctrl-C is held from the write to the count, so the pairs an interrupt reports
    done are the outputs on disk.
    """
    with held():
        try:
            tally = job.write(beads, src, tgt, _format_for(fmt, out), out, Path(src_path).name)
        except AlignError as exc:
            bar.write(f"align: error: {at}{exc.message}")
            bar.update(1)
            return False
        _pair_done(tally, out, bar, totals)
        bar.update(1)
        return True


def _batch_on_cluster(
    job: _Job,
    jobs: list[tuple[str, str, str]],
    where: list[str],
    fmt: str | None,
    spec: str,
    glossary: str | None,
    disk_cache: bool,
    bar,
    totals: _Tally,
) -> int:
    """Read pairs here, align them on the cluster's workers, write each as it comes back.

    Returns the number of failed pairs. Workers need the glossary at the same path.
    """
    from align.aligner.remote import align_pair
    from align.mt.cluster import open_client, run_tasks

    failed = 0
    ready: list[tuple[_Side, _Side, str, str, str]] = []
    for (s, t, out), at in zip(jobs, where, strict=True):
        try:
            ready.append((*job.read(s, t), out, s, at))
        except AlignError as exc:
            failed += 1
            bar.write(f"align: error: {at}{exc.message}")
            bar.update(1)
    gloss = str(Path(glossary).resolve()) if glossary else None
    settings = (job.src_lang, job.tgt_lang, gloss, job.max_bead, job.review_below, disk_cache)
    args = [(src.lines, tgt.lines, *settings) for src, tgt, *_ in ready]

    def write(k: int, beads: list) -> None:
        nonlocal failed
        src, tgt, out, src_path, at = ready[k]
        failed += not _pair_written(job, beads, src, tgt, fmt, out, src_path, at, bar, totals)

    with open_client(spec) as client:
        run_tasks(client, align_pair, args, write)
    return failed
