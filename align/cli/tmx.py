"""``align tmx``: export, validate, merge, inspect and convert TMX translation memories."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from align.cli.options import (
    AlignCommand,
    any_path,
    check_lang_pair,
    counted,
    format_option,
    is_stdout,
    not_stdout,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from align.cli.xmlchars import hint_invalid_chars, invalid_chars_mode
from align.errors import InputError
from align.paths import check_inputs, check_outputs, note_repeats, once_each
from align.tmx.langs import LANG_STYLES

_JSON_FLAG = {"--json": ["--format", "json"]}

_LANG_STYLE = click.option(
    "--lang-style",
    type=click.Choice(LANG_STYLES),
    default="region",
    show_default=True,
    help="Language codes in the file: 'region' keeps each unit's own tag (en-GB stays en-GB), 'plain' writes the bare language (en).",
)


def _say(message: str) -> None:
    click.echo(message, err=True)


def _export_reads() -> str:
    """What ``tmx export`` reads, for messages; the XLIFF names come from :mod:`align.xliff`."""
    from align.xliff import xliff_suffix_names

    return (
        "tmx export reads JSONL (as `align align -f jsonl` or `align translate -f jsonl` write) "
        f"or XLIFF ({xliff_suffix_names()}), or two line files with --src/--tgt"
    )


def _refuse_xml_as_jsonl(path: Path) -> None:
    """Name a TMX or other XML given to ``tmx export`` as such, instead of "line 1 is not JSON"."""
    if str(path) == "-":
        return
    from align.cli.inputkinds import file_head

    head = file_head(path)  # UTF-16 zero bytes and a BOM dropped
    xml = head.startswith(b"<")
    if path.name.lower().endswith((".tmx", ".tmx.gz")) or (xml and b"<tmx" in head):
        what = f"is a TMX file; {_export_reads()}; to combine TMX files use `align tmx merge`"
        raise InputError(path, what)
    if xml and b"<xliff" in head:
        from align.xliff import xliff_suffix_names

        names = xliff_suffix_names()
        raise InputError(path, f"is XLIFF but not named {names}; rename it to export it")
    if xml:
        raise InputError(path, f"is XML, not JSONL; {_export_reads()}")


@click.group("tmx")
def tmx() -> None:
    """Translation memories (TMX 1.4b) for OmegaT, Trados, memoQ and friends.

    \b
    Examples:
      align tmx export beads.jsonl -o interview.tmx -s en -t ru
      align tmx export --src en.txt --tgt ru.txt -s en -t ru -o pairs.tmx
      align tmx validate interview.tmx
      align tmx merge old.tmx new.tmx -o all.tmx
    """


@tmx.command("export", cls=AlignCommand, renamed={"--document": "--doc-name"})
@click.argument("input_file", metavar="[JSONL|XLIFF]", required=False, type=any_path(Path))
@click.option(
    "--src",
    "src_file",
    type=any_path(Path),
    help="Source-language file, one segment per line.",
)
@click.option("--tgt", "tgt_file", type=any_path(Path), help="Its translation, line by line.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=any_path(Path),
    help="TMX file to write (.tmx, or .tmx.gz compressed).",
    callback=not_stdout("a TMX is written to a file, atomically"),
)
@src_lang_option(required=False, auto="detect",
                 help="Source language (BCP 47, e.g. en); default (or auto): the input's own, "
                 "else detected from the text.")  # fmt: skip
@tgt_lang_option(required=False, auto="detect",
                 help="Target language (BCP 47, e.g. ru); default (or auto): the input's own, "
                 "else detected from the text.")  # fmt: skip
@click.option("--min-score", type=float,
              help="Leave out aligned pairs scoring below this, unless a reviewer accepted or "
                   "edited them (x-review).")  # fmt: skip
@click.option(
    "--skip-review",
    is_flag=True,
    help="Leave out pairs still to review: those the aligner flagged (its review flag, kept "
    "in x-flagged beside an unreviewed verdict) that no reviewer accepted, edited or rejected "
    "(x-review), and unreviewed XLIFF states.",
)
@click.option(
    "--keep-empty",
    is_flag=True,
    help="Keep segments without translation as source-only units (never as empty translations).",
)
@_LANG_STYLE
@click.option(
    "--doc-name",
    "document",
    help="Document name stored with every unit (default: input file name).",
)
@click.option(
    "--replace-invalid-chars",
    is_flag=True,
    help="Replace control characters XML cannot store with U+FFFD instead of stopping.",
)
def export(
    input_file: Path | None,
    src_file: Path | None,
    tgt_file: Path | None,
    output: Path,
    src_lang: str | None,
    tgt_lang: str | None,
    min_score: float | None,
    skip_review: bool,
    keep_empty: bool,
    lang_style: str,
    document: str | None,
    replace_invalid_chars: bool,
) -> None:
    """Write a TMX from aligned pairs, translations, or two line-by-line files.

    JSONL is what `align align --format jsonl` (aligned pairs) or
    `align translate --format jsonl` (machine translations) writes, or
    `align review --export FILE.jsonl`: the reviewer's decision (x-review) wins
    over the aligner's flag, so a rejected pair is left out and an accepted or
    edited one kept even with --skip-review; an unreviewed one is left out by
    --skip-review only if it was flagged. The summary counts what was left
    out, and says so when nothing was written. An XLIFF
    (.xlf/.xliff or a CAT tool's variant such as .sdlxliff/.mqxliff; 1.2 or 2.x,
    e.g. post-edited in a CAT tool) gives one unit per
    translated unit, inline codes kept; --skip-review leaves out unreviewed drafts. Pairs where
    either side is empty are left out, so a CAT tool never inserts a blank
    translation. The TMX only appears once it is complete.
    """
    from tqdm import tqdm

    from align.tmx.sources import Filters, units_from_jsonl, units_from_line_files
    from align.tmx.writer import write_tmx

    if input_file is not None and (src_file or tgt_file):
        raise click.UsageError("give either a JSONL or XLIFF file or --src/--tgt, not both")
    if input_file is None and not (src_file and tgt_file):
        raise click.UsageError("give a JSONL or XLIFF file, or both --src FILE and --tgt FILE")
    check_inputs([input_file, src_file, tgt_file])
    check_outputs([input_file, src_file, tgt_file], [output])
    from align.xliff import is_xliff

    if is_xliff(output):  # a CAT tool would open it as XLIFF and fail
        from align.errors import warn

        warn(output, "writing TMX, although the name says XLIFF (tmx export always writes TMX)")

    xliff_file = input_file if input_file is not None and is_xliff(input_file) else None
    if input_file is not None and xliff_file is None:
        from align.tmx.sources import refuse_review_journal

        _refuse_xml_as_jsonl(input_file)
        refuse_review_journal(input_file)
    doc = None
    left_out: Counter[str] = Counter()
    if src_lang is None or tgt_lang is None:
        from align.tmx.sources import detect_languages

        if xliff_file is not None:  # read once, for its languages and then its units
            from align.xliff import read_xliff

            doc = read_xliff(xliff_file)
        src_lang, tgt_lang = detect_languages(
            input_file or src_file,
            tgt_file,
            src_lang,
            tgt_lang,  # type: ignore[arg-type]
            doc,
        )
        _say(f"align: note: languages {src_lang} -> {tgt_lang} (from the input; -s/-t to set)")
        check_lang_pair(src_lang, tgt_lang, lang_style, input_file or src_file)
    check_lang_pair(src_lang, tgt_lang, lang_style)
    filters = Filters(min_score, skip_review, keep_empty)
    if xliff_file is not None:
        from align.tmx.sources import units_from_xliff

        units = units_from_xliff(xliff_file, src_lang, tgt_lang, filters, document, doc, left_out)
    elif input_file is not None:
        units = units_from_jsonl(input_file, src_lang, tgt_lang, filters, document, left_out)
    else:
        if min_score is not None or skip_review:
            _say("align: note: --min-score and --skip-review only apply to aligned JSONL input")
        assert src_file is not None and tgt_file is not None
        units = units_from_line_files(src_file, tgt_file, src_lang, tgt_lang, document)
    progress = tqdm(units, desc="export", unit=" units", disable=None, file=sys.stderr)
    with hint_invalid_chars():
        stats = write_tmx(
            output,
            progress,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            lang_style=lang_style,
            keep_empty=keep_empty,
            invalid_chars=invalid_chars_mode(replace_invalid_chars),
        )
    progress.close()
    parts = [f"wrote {counted(stats.written, 'unit')} to {output}"]
    why = [
        (left_out["rejected"], "rejected by the reviewer"),
        (left_out["to review"], "still to review (--skip-review)"),
        (left_out["below min score"], f"scoring below {min_score} (--min-score)"),
    ]
    if any(n for n, _ in why):
        parts.append("left out " + ", ".join(f"{n} {what}" for n, what in why if n))
    if stats.skipped:
        parts.append(f"skipped {stats.skipped} with an empty side")
    if stats.source_only:
        parts.append(f"{stats.source_only} kept source-only")
    if stats.replaced_chars:
        parts.append(f"replaced {counted(stats.replaced_chars, 'invalid character')}")
    _say("; ".join(parts))
    if not stats.written:
        _say(_no_units_note(output, left_out, stats.skipped))


def _no_units_note(output: Path, left_out: Counter[str], skipped: int) -> str:
    """The note for an export that wrote no unit: why, and the way on."""
    if left_out["to review"]:
        how = (
            f"the {left_out['to review']} pairs left are flagged and undecided; decide them "
            "in `align review` (accept, edit or reject), or export without --skip-review"
        )
    elif left_out["below min score"]:
        how = "every pair left scores below --min-score; lower it, or leave it out"
    elif skipped:
        how = "every pair has an empty side (--keep-empty keeps source-only units)"
    elif left_out["rejected"]:
        how = "the reviewer rejected every pair"
    else:
        how = "the input holds no pair to export"
    return f"align: note: {output} holds no units: {how}"


@tmx.command("validate", cls=AlignCommand, flag_values=_JSON_FLAG)
@click.argument("file", type=any_path(Path))
@click.option(
    "--dtd",
    type=any_path(Path),
    help="Also validate against this DTD (e.g. tmx14.dtd).",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--show", default=20, show_default=True, help="Problems listed per kind (0: all).")
@format_option(["txt", "json"], "txt", help="txt: one line per problem; json: every problem.")
def validate(file: Path, dtd: Path | None, strict: bool, show: int, fmt: str) -> None:
    """Check a TMX against the TMX 1.4b rules and what breaks CAT tools.

    Errors: missing header attributes (srclang!), <tuv> without language, empty
    <seg>, no or several source-language <tuv>s, duplicate tuids, bad dates,
    <bpt>/<ept> that do not pair by their i attribute within a <seg>.
    Warnings: several sentences in a 'sentence' unit, whitespace that spoils
    exact matches. Exit 0 if clean, 1 if problems were found.
    """
    from align.tmx.validate import validate_tmx

    check_inputs([dtd])
    as_json = fmt == "json"
    problems = validate_tmx(file, dtd=dtd)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        click.echo(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
    else:
        shown: Counter[str] = Counter()
        for p in problems:
            shown[p.rule] += 1
            if show <= 0 or shown[p.rule] <= show:
                click.echo(f"{file}:{p}")
        for rule, count in shown.items():
            if 0 < show < count:
                click.echo(f"{file}: ... and {count - show} more {rule} problems")
        # The report is the output (stdout, `> report.txt`); the exit code says valid or not.
        click.echo(f"{file}: {counted(errors, 'error')}, {counted(warnings, 'warning')}" if problems
                   else f"{file}: valid TMX 1.4b")  # fmt: skip
    if errors or (strict and warnings):
        raise SystemExit(1)


@tmx.command("merge", cls=AlignCommand)
@click.argument("files", nargs=-1, required=True, type=any_path(Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=any_path(Path),
    help="Merged TMX to write.",
    callback=not_stdout("a TMX is written to a file, atomically"),
)
@src_lang_option(required=False, from_input=True,
                 help="Source language (default: the first file's srclang).")  # fmt: skip
@tgt_lang_option(required=False, from_input=True,
                 help="Target language (default: the first file's other one).")  # fmt: skip
@_LANG_STYLE
def merge(
    files: tuple[Path, ...],
    output: Path,
    src_lang: str | None,
    tgt_lang: str | None,
    lang_style: str,
) -> None:
    """Merge TMX files: identical pairs once; on conflict, the best translation wins.

    Whatever the dates, a reviewed or human unit beats a pair still to review (an
    x-review flag), which beats an MT draft (origin mt:..., as `align translate -f
    tmx` writes, or an unreviewed XLIFF x-state, unless a reviewer accepted or
    edited it), which beats a rejected unit (x-review rejected). Among units of
    equal standing the newest wins, ties going to the later file. A file named
    twice (by two spellings or through a link) is read once.
    """
    from align.tmx.merge import merge_tmx

    files, repeats = once_each(files)
    note_repeats(repeats, "merged once")
    check_outputs(files, [output])
    check_lang_pair(src_lang, tgt_lang, lang_style)
    stats = merge_tmx(
        list(files), output, src_lang=src_lang, tgt_lang=tgt_lang, lang_style=lang_style
    )
    _say(
        f"read {counted(stats.read, 'unit')} from {counted(stats.files, 'file')}; "
        f"dropped {counted(stats.duplicates, 'duplicate')}; "
        f"resolved {counted(stats.conflicts, 'conflict')} (higher standing, then newest kept); "
        f"wrote {stats.written} to {output}"
    )


@tmx.command("stats", cls=AlignCommand, flag_values=_JSON_FLAG)
@click.argument("file", type=any_path(Path))
@format_option(["txt", "json"], "txt", help="txt: a table; json: every figure.")
def stats(file: Path, fmt: str) -> None:
    """Count units, languages, origins (human/MT) and units still to review in a TMX.

    To review: an x-review flag (the aligner's, or `align review`'s "unreviewed")
    or an unreviewed XLIFF x-state (MT drafts), as `tmx export --skip-review` leaves out.
    """
    from align.tmx.reviewstate import NEEDS_REVIEW_RULE
    from align.tmx.stats import tmx_stats

    s = tmx_stats(file)
    if fmt == "json":
        click.echo(json.dumps(s.to_dict(), ensure_ascii=False, indent=2))
        return

    def fmt(d: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"

    click.echo(f"file:        {file}")
    click.echo(f"tool:        {s.creationtool or '-'}")
    click.echo(f"srclang:     {s.srclang or '-'}")
    click.echo(f"units:       {s.units}")
    click.echo(f"languages:   {fmt(s.languages)}")
    click.echo(f"segtypes:    {fmt(s.segtypes)}")
    click.echo(f"origins:     {fmt(s.origins)}")
    click.echo(f"to review:   {s.review} ({NEEDS_REVIEW_RULE})")
    click.echo(f"one-sided:   {s.single_language}")
    click.echo(f"empty segs:  {s.empty_segs}")
    click.echo(f"source chars:{s.source_chars:>8}")
    click.echo(f"dates:       {s.first_date or '-'} .. {s.last_date or '-'}")


@tmx.command("to-tsv", cls=AlignCommand)
@click.argument("file", type=any_path(Path))
@output_option(help="TSV file to write; - or none: standard output.")
@src_lang_option(required=False, from_input=True,
                 help="Source language (default: the file's srclang).")  # fmt: skip
@tgt_lang_option(required=False, from_input=True,
                 help="Target language (default: the file's other language).")  # fmt: skip
@click.option("--header", is_flag=True, help="Start with a line naming the two languages.")
def to_tsv(
    file: Path, output: str | None, src_lang: str | None, tgt_lang: str | None, header: bool
) -> None:
    """Write source<TAB>target lines; tabs, line breaks and backslashes become \\t, \\n, \\\\."""
    from align.tmx.reader import guess_languages
    from align.tmx.stats import tmx_to_tsv

    check_outputs([file], [output])
    if src_lang is None or tgt_lang is None:
        gsrc, gtgt = guess_languages(file)
        src_lang, tgt_lang = src_lang or gsrc, tgt_lang or gtgt
    check_lang_pair(src_lang, tgt_lang, file=file)
    if is_stdout(output):
        count = tmx_to_tsv(file, sys.stdout, src_lang, tgt_lang, header=header)
        sys.stdout.flush()
        _say(f"wrote {counted(count, 'pair')} ({src_lang} -> {tgt_lang})")
        return
    count = tmx_to_tsv(file, Path(output), src_lang, tgt_lang, header=header)  # type: ignore[arg-type]
    _say(f"wrote {counted(count, 'pair')} ({src_lang} -> {tgt_lang}) to {output}")
