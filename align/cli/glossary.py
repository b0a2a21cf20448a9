"""``align glossary``: convert termbases, check translations against them, fix names."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from tqdm import tqdm

from align.cli.options import (
    AlignCommand,
    counted,
    emit,
    format_option,
    glossary_option,
    is_stdout,
    not_stdout,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from align.cli.xmlchars import check_glossary_chars, note_replaced, replace_invalid_chars_option
from align.errors import InputError
from align.fsutil import atomic_write
from align.paths import check_inputs, check_outputs

_LANG_HELP = "Language code as in the glossary header (en, ru, az, …)."


@click.group()
def glossary() -> None:
    """Termbases (TSV/CSV/TBX): convert them, check names in a translation, fix them.

    A glossary lists each name once per language: admitted renderings (first =
    preferred) and forbidden ones (known wrong variants), and optionally
    relational adjectives (adj:ru) the morphology cannot derive. Russian and
    Ukrainian renderings are matched in any grammatical case and as the name's
    adjective, so "в Ханкенди", "Восточного Зангезура", "иранской ядерной
    сделки" and "щодо Сирії" count as correct.
    """


@glossary.command(cls=AlignCommand)
@click.argument("src", metavar="IN")
@click.option("-o", "--output", required=True,
              help="Output glossary (.tsv, .csv or .tbx; another name, e.g. /dev/null, with -f).",
              callback=not_stdout("give a .tsv, .csv or .tbx file (or a file and -f); the "
                                  "glossary is written atomically"))  # fmt: skip
@format_option(["tsv", "csv", "tbx"], None,
               help="Output format (default: from the -o extension .tsv, .csv or .tbx).")  # fmt: skip
@replace_invalid_chars_option("a TBX output")
def convert(src: str, output: str, fmt: str | None = None,
            replace_invalid_chars: bool = False) -> None:  # fmt: skip
    """Convert a glossary between TSV/CSV and TBX, losslessly.

    The format written is -f when given, else the output's extension. TBX is
    written as TBX-Basic (<martif>), the form OmegaT and translate-toolkit
    read; both <martif> and TBX v3 <tbx> files are read.
    """
    from align.errors import warn
    from align.glossary import load_glossary, save_glossary
    from align.glossary.termbase import glossary_format

    check_outputs([src], [output])
    kind = glossary_format(output, fmt)  # before reading: -o terms.out without -f stops here
    if fmt is not None and (implied := _implied_glossary_format(output)) not in (None, fmt):
        warn(output, f"writing {fmt}, although the extension says {implied}")
    g = load_glossary(src)
    if kind == "tbx":
        note_replaced(output, check_glossary_chars(g, output, replace_invalid_chars))
    save_glossary(g, output, kind)
    click.echo(
        f"{output}: {counted(len(g.terms), 'term')}, languages {', '.join(g.languages)}", err=True
    )


def _implied_glossary_format(output: str) -> str | None:
    """The glossary format ``output``'s extension names, or None."""
    from align.errors import AlignError
    from align.glossary.termbase import glossary_format

    try:
        return glossary_format(output)
    except AlignError:
        return None


def _read_pairs(
    src: str, tgt: str | None, src_lang: str, tgt_lang: str, document: bool
) -> tuple[list[str], list[str]]:
    """Source and target segments from two line files, or from one TMX or XLIFF."""
    from align.text.textio import read_lines, read_text
    from align.xliff import is_xliff

    if is_xliff(src):
        if tgt is not None:
            raise InputError(tgt, "give either one XLIFF or two line files, not both")
        from align.xliff import xliff_units

        units = [u for u in xliff_units(src, src_lang, tgt_lang) if u.target.strip()]
        if not units:
            raise InputError(src, "has no unit with a target to check")
        return [u.source for u in units], [u.target for u in units]
    is_tmx = src.lower().endswith((".tmx", ".tmx.gz"))
    if is_tmx:
        if tgt is not None:
            raise InputError(tgt, "give either one TMX or two line files, not both")
        try:
            from align.tmx import read_tmx
        except ImportError:
            raise InputError(src, "TMX input is not available in this build") from None
        units = list(read_tmx(src, src_lang, tgt_lang))
        return [u.source for u in units], [u.target for u in units]
    if tgt is None:
        from align.xliff import xliff_suffix_names

        raise InputError(
            src,
            f"needs a target file (or give a TMX or XLIFF file alone: .tmx, .tmx.gz, "
            f"{xliff_suffix_names()})",
        )
    if document:
        return [read_text(src).text], [read_text(tgt).text]
    sources, targets = read_lines(src), read_lines(tgt)
    if len(sources) != len(targets):
        raise InputError(
            tgt,
            f"has {len(targets)} lines but {src} has {len(sources)}; "
            "line-aligned files are needed (or use --document)",
        )
    return sources, targets


def _common(func):  # type: ignore[no-untyped-def]
    func = tgt_lang_option(help=f"Target language. {_LANG_HELP}")(func)
    func = src_lang_option(help=f"Source language. {_LANG_HELP}")(func)
    func = glossary_option(required=True, help="Glossary file (.tsv, .csv or .tbx).")(func)
    return func


def _describe(f, src_name: str = "") -> str:  # type: ignore[no-untyped-def]
    where = f"line {f.line + 1}"
    text = f"{where}: {f.status:<9} {f.term}: '{f.source}'"
    if f.status == "ok":
        return f"{text} → '{f.found}'"
    if f.status == "forbidden":
        return f"{text} → found forbidden '{f.found}', use '{f.expected}'"
    if f.found:
        return f"{text} → '{f.found}' looks misspelt, use '{f.expected}'"
    return f"{text} → '{f.expected}' not found"


def _summary(findings) -> str:  # type: ignore[no-untyped-def]
    counts = {s: sum(f.status == s for f in findings) for s in ("ok", "forbidden", "missing")}
    return (
        f"{len(findings)} term occurrences: {counts['ok']} ok, "
        f"{counts['forbidden']} forbidden, {counts['missing']} missing"
    )


def _run_check(gloss, sources, targets, src_lang, tgt_lang):  # type: ignore[no-untyped-def]
    from align.glossary import Checker

    checker = Checker(gloss, src_lang, tgt_lang)
    findings = []
    pairs = zip(sources, targets, strict=True)
    bar = tqdm(pairs, total=len(sources), unit="seg", disable=None, leave=False)
    for line, (s, t) in enumerate(bar):
        findings.extend(checker.check(s, t, line))
    return findings


@glossary.command(cls=AlignCommand)
@click.argument("src", metavar="SRC")
@click.argument("tgt", metavar="[TGT]", required=False)
@_common
@format_option(
    ["txt", "json"],
    "txt",
    help="txt: one line per problem and a summary; json: every finding "
    "(line is 0-based, spans are character offsets in the segment).",
)
@click.option("--all", "show_all", is_flag=True, help="In text output, list correct terms too.")
@click.option("--strict", is_flag=True, help="Exit with code 1 if any term is not ok.")
@click.option(
    "--document",
    is_flag=True,
    help="Treat each file as one segment (when the two files are not line-aligned).",
)
@output_option(help="Write the report here; - or none: standard output.")
def check(
    src: str,
    tgt: str | None,
    glossary: str,
    src_lang: str,
    tgt_lang: str,
    fmt: str,
    show_all: bool,
    strict: bool,
    document: bool,
    output: str | None,
) -> None:
    """Check that every glossary term in SRC is rendered as the glossary says in TGT.

    SRC and TGT are line-aligned files (one segment per line), or SRC is a TMX
    or XLIFF file and TGT is left out (XLIFF: units with a target, in file order). Each source-term occurrence is ok, forbidden (a
    known wrong variant was used) or missing.
    """
    from align.glossary import load_glossary

    check_inputs([src, tgt, glossary])
    check_outputs([src, tgt, glossary], [output])
    g = load_glossary(glossary)
    g.resolve(src_lang)
    g.resolve(tgt_lang)
    sources, targets = _read_pairs(src, tgt, src_lang, tgt_lang, document)
    findings = _run_check(g, sources, targets, src_lang, tgt_lang)
    if fmt == "json":
        text = json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1) + "\n"
    else:
        lines = [_describe(f) for f in findings if show_all or f.status != "ok"]
        text = "".join(ln + "\n" for ln in lines) + _summary(findings) + "\n"
    emit(text, output)
    if not is_stdout(output):
        click.echo(_summary(findings), err=True)
    if strict and any(f.status != "ok" for f in findings):
        raise SystemExit(1)


@glossary.command(cls=AlignCommand)
@click.argument("src", metavar="SRC")
@click.argument("tgt", metavar="TGT")
@_common
@output_option(required=True, help="Fixed target file (one line each); - for standard output.")
@click.option(
    "--changes",
    default=None,
    help="Also write every change as JSON lines (line, term, before, after, span); "
    "a change not made has 'declined' (the reason) and 'suggestion' instead of 'after'.",
)
def fix(
    src: str,
    tgt: str,
    glossary: str,
    src_lang: str,
    tgt_lang: str,
    output: str,
    changes: str | None,
) -> None:
    """Replace forbidden or misspelt names in TGT with the glossary's rendering.

    The replacement takes the grammatical case and number of the words it
    replaces ("в Степанакерте" → "в Ханкенди", "Кавказского вестника" →
    "Вестника Кавказа") or, when they show none, the one the sentence needs
    ("шкипер «Уоспс»" → "шкипер «Ос»"). A change that is not sure (the context
    does not decide the case) is not made but reported with the reason. Nothing
    else in the line changes; missing terms are reported, never inserted.
    Changes are listed on stderr.
    """
    from align.glossary import Fixer, load_glossary

    out = output
    check_inputs([src, tgt, glossary])
    check_outputs([src, tgt, glossary], [out, changes])
    g = load_glossary(glossary)
    g.resolve(src_lang)
    g.resolve(tgt_lang)
    sources, targets = _read_pairs(src, tgt, src_lang, tgt_lang, False)
    fixer = Fixer(g, src_lang, tgt_lang)
    fixed: list[str] = []
    log: list[dict] = []
    missing = declined = 0
    bar = tqdm(
        zip(sources, targets, strict=True),
        total=len(sources),
        unit="seg",
        disable=None,
        leave=False,
    )
    for line, (s, t) in enumerate(bar):
        result = fixer.fix(s, t, line)
        fixed.append(result.text)
        for c in result.changes:
            log.append({"line": line, **asdict(c)})
            click.echo(f"line {line + 1}: {c.term}: '{c.before}' → '{c.after}'", err=True)
        for d in result.declined:
            declined += 1
            log.append({"line": line, "term": d.term, "before": d.text, "span": d.span,
                        "declined": d.reason, "suggestion": d.suggestion})  # fmt: skip
            hint = f"; perhaps '{d.suggestion}'" if d.suggestion else ""
            click.echo(
                f"line {line + 1}: {d.term}: '{d.text}' not changed ({d.reason}){hint}", err=True
            )
        for f in result.findings:
            if f.status == "missing" and not f.found:
                missing += 1
                click.echo(
                    f"line {line + 1}: {f.term}: '{f.source}' has no rendering "
                    f"(expected '{f.expected}'); not inserted",
                    err=True,
                )
    emit("".join(line + "\n" for line in fixed), out)
    if changes:
        with atomic_write(changes) as fh:
            for item in log:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    changed = len(log) - declined
    click.echo(
        f"{out}: {changed} changes, {declined} declined and {missing} missing terms "
        "left for review",
        err=True,
    )
