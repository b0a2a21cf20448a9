"""The options every command shares, spelled one way (see the README's "CLI grammar").

``-s/--src-lang``, ``-t/--tgt-lang``, ``-f/--format``, ``-g/--glossary``, ``-o/--output``
mean the same thing in every command; ``-o -`` is standard output and a lone ``-`` input
is standard input. Old spellings that users may have scripted still work for one release
through :class:`AlignCommand`, which rewrites them before parsing and prints a one-line
deprecation note on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import click

from align.errors import AlignError, InputError, OutputError
from align.fsutil import write_text_atomic


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: "1 file", "2 files", "0 units"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# Exit codes shared by every command (documented in ``align --help`` and the README).
EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

# One name per output format, whatever the command.
FORMAT_HELP = {
    "txt": "one segment per line",
    "json": "one JSON document",
    "jsonl": "one JSON record per line",
    "tsv": "tab-separated columns",
    "csv": "comma-separated columns",
    "tmx": "TMX 1.4b translation memory",
    "tbx": "TBX termbase",
    "vecalign": "vecalign alignment lines, e.g. [0, 1]:[0]:0.93",
    "xliff": "XLIFF bilingual file for post-editing",
}
# Old value names → the shared ones.
FORMAT_ALIASES = {"text": "txt", "lines": "txt"}


def _deprecated(old: str, new: str) -> None:
    click.echo(f"align: deprecated: {old} is now {new}; the old spelling goes in the next release",
               err=True)  # fmt: skip


class AlignCommand(click.Command):
    """A click command that accepts a release's worth of old option spellings.

    ``renamed`` maps an old option string to its new one (``{"--lang": "--src-lang"}``);
    ``flag_values`` maps an old flag to new tokens (``{"--json": ["--format", "json"]}``).
    Format values are normalised through :data:`FORMAT_ALIASES` with the same note.
    """

    def __init__(
        self,
        *args: Any,
        renamed: Mapping[str, str] | None = None,
        flag_values: Mapping[str, list[str]] | None = None,
        f_was: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.renamed = dict(renamed or {})
        self.flag_values = dict(flag_values or {})
        # Where ``-f`` used to mean another option (``translate -f en`` was ``--from``):
        # a value that is no format name goes to that option, with the note.
        self.f_was = f_was

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.rewrite(args))

    def rewrite(self, args: list[str]) -> list[str]:
        out: list[str] = []
        it = iter(args)
        for arg in it:
            if arg == "--":
                out.append(arg)
                out.extend(it)
                break
            name, eq, value = arg.partition("=")
            if name in self.renamed:
                new = self.renamed[name]
                _deprecated(name, new)
                arg = new + eq + value
                name = new
            elif arg in self.flag_values:
                new_tokens = self.flag_values[arg]
                _deprecated(arg, " ".join(new_tokens))
                out.extend(new_tokens)
                continue
            out.append(arg)
            if name in ("-f", "--format") and not eq:
                nxt = next(it, None)
                if nxt is not None:
                    if name == "-f" and self.f_was and nxt not in FORMAT_HELP | FORMAT_ALIASES:
                        _deprecated(f"-f {nxt}", f"{self.f_was} {nxt}")
                        out[-1] = self.f_was
                    elif nxt in FORMAT_ALIASES:
                        _deprecated(f"{name} {nxt}", f"{name} {FORMAT_ALIASES[nxt]}")
                        nxt = FORMAT_ALIASES[nxt]
                    out.append(nxt)
            elif name in ("-f", "--format") and value in FORMAT_ALIASES:
                _deprecated(arg, f"{name}={FORMAT_ALIASES[value]}")
                out[-1] = f"{name}={FORMAT_ALIASES[value]}"
        return out


def command(name: str | None = None, **kwargs: Any) -> Callable[[Callable], AlignCommand]:
    """``click.command`` with :class:`AlignCommand` (old spellings) and ``-h``."""
    kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
    return click.command(name, cls=AlignCommand, **kwargs)  # type: ignore[return-value]


def check_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accept a BCP 47 language tag (``en``, ``pt-BR``, ``zh_Hant``), returned normalised.

    ``-s xx`` or ``-s ../x`` is refused with one line (see :mod:`align.langtags`);
    ``en_gb`` comes back as ``en-GB``, never with a region added; ISO 639-3 and
    FLORES-style codes take their preferred BCP 47 form (``eng``/``eng_Latn`` -> ``en``),
    which is what CAT tools match in TMX ``xml:lang``.
    """
    from align.langtags import user_tag

    if value is None or value == "auto":
        return value
    try:
        return user_tag(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def command_name(ctx: click.Context | None) -> str:
    """``align tmx to-tsv``: the command as typed, for messages (whatever the program name)."""
    if ctx is not None and ctx.parent is None:  # a command run on its own (tests)
        return f"align {ctx.info_name}"
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["align", *reversed(names)])


def is_auto(value: str | None) -> bool:
    """True for ``auto`` in any case: the value that asks align to find the language."""
    return value is not None and value.strip().lower() == "auto"


def check_lang_tag(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """:func:`check_lang` for a command that cannot detect a language: ``auto`` is refused.

    Taken as a tag, ``auto`` would end up as ``xml:lang="auto"`` in a TMX, as a
    glossary column or in a request for an ``auto→ru`` model; one line says what
    to give instead. Where leaving the option out takes the language from the
    input, the line says so too (the option's ``from_input``, see :func:`src_lang_option`).
    """
    if is_auto(value):
        opts = "/".join(o for o in param.opts if o.startswith("-"))
        first = param.opts[0]
        example = "en" if param.name == "src_lang" else "ru"
        tag = f"give a BCP 47 tag (e.g. {first} {example})"
        if getattr(param, "from_input", False):
            problem = (f"{command_name(ctx)} takes the language from the input when {first} "
                       f"is left out; leave it out, or {tag}")  # fmt: skip
        else:
            problem = f"{command_name(ctx)} cannot detect the language; {tag}"
        raise AlignError(f"{opts} auto", problem)
    return check_lang(ctx, param, value)


def check_lang_detect(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """:func:`check_lang` where leaving the option out detects the language: ``auto`` is None."""
    return None if is_auto(value) else check_lang(ctx, param, value)


def check_lang_guess(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """:func:`check_lang` where the command guesses the language itself: ``auto`` is kept."""
    return "auto" if is_auto(value) else check_lang(ctx, param, value)


# What ``-s/-t auto`` does (see :func:`src_lang_option`).
_AUTO = {"refuse": check_lang_tag, "detect": check_lang_detect, "guess": check_lang_guess}
AutoMode = Literal["refuse", "detect", "guess"]


class LangOption(click.Option):
    """``-s``/``-t``; ``from_input``: leaving it out takes the language from the input."""

    def __init__(self, *args: Any, from_input: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_input = from_input


def check_lang_pair(
    src_lang: str | None, tgt_lang: str | None, style: str = "region", file: Any = None
) -> None:
    """Refuse a pair that cannot make a bilingual TMX/XLIFF (``-s en -t en``), before any work.

    The one check the commands writing such files share (see
    :func:`align.tmx.langs.same_language_problem`): a usage error for languages
    given as options, an ``InputError`` naming ``file`` when they came from it.
    """
    from align.tmx.langs import same_language_problem

    if not src_lang or not tgt_lang or src_lang == "auto" or tgt_lang == "auto":
        return
    problem = same_language_problem(src_lang, tgt_lang, style)
    if problem is None:
        return
    if file is not None:
        raise InputError(file, problem)
    raise AlignError(None, problem)


def _default(default: str | None) -> dict[str, Any]:
    """Keyword arguments giving an option ``default``, or none at all for None.

    Click 8.3+ takes an explicit ``default=None`` as a value, so a required
    option given it is no longer reported missing; leaving the keyword out
    keeps "Missing option" on every click version.
    """
    return {} if default is None else {"default": default, "show_default": True}


def src_lang_option(*extra: str, required: bool = True, default: str | None = None,
                    help: str = "Source language (BCP 47 code, e.g. en).",
                    auto: AutoMode = "refuse", from_input: bool = False) -> Callable:  # fmt: skip
    """``-s/--src-lang`` (``extra`` adds aliases such as ``--from``).

    ``auto`` says what ``-s auto`` does: ``"refuse"`` (the default) stops with one
    line (:func:`check_lang_tag`), for commands that cannot find a language;
    ``"detect"`` makes it the same as leaving the option out, where that detects
    the language (``tmx export``); ``"guess"`` passes ``"auto"`` on to a command
    that guesses the language itself (``ingest``, ``segment``). ``from_input``:
    leaving the option out takes the language from the input (the refusal says so).
    """
    return click.option("-s", "--src-lang", *extra, "src_lang", cls=LangOption,
                        required=required, callback=_AUTO[auto], help=help,
                        from_input=from_input, **_default(default))  # fmt: skip


def tgt_lang_option(*extra: str, required: bool = True, default: str | None = None,
                    help: str = "Target language (BCP 47 code, e.g. ru).",
                    auto: AutoMode = "refuse", from_input: bool = False) -> Callable:  # fmt: skip
    """``-t/--tgt-lang`` (``extra`` adds aliases such as ``--to``); ``auto`` as for ``-s``."""
    return click.option("-t", "--tgt-lang", *extra, "tgt_lang", cls=LangOption,
                        required=required, callback=_AUTO[auto], help=help,
                        from_input=from_input, **_default(default))  # fmt: skip


def format_option(
    choices: list[str], default: str | None, help: str = "Output format."
) -> Callable:
    """``-f/--format`` with the shared value names (see :data:`FORMAT_HELP`)."""
    unknown = set(choices) - set(FORMAT_HELP)
    assert not unknown, f"format names not in FORMAT_HELP: {unknown}"
    return click.option("-f", "--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=default is not None, help=help)  # fmt: skip


def any_path(path_type: type | None = None) -> click.Path:
    """A path type that click passes through unchecked (it still completes file names).

    Whether the path exists, is a file or a folder, and can be read is align's own
    check (:mod:`align.paths`), which says so in one line naming the file; click's
    would print a usage block instead.
    """
    return click.Path(readable=False, path_type=path_type)


def glossary_option(required: bool = False,
                    help: str = "Glossary (termbase): TSV, CSV or TBX.") -> Callable:  # fmt: skip
    """``-g/--glossary``: a termbase file (checked when it is loaded)."""
    return click.option("-g", "--glossary", "glossary", required=required,
                        type=any_path(), help=help)  # fmt: skip


def output_option(required: bool = False, default: str | None = None,
                  help: str = "Output file; - or none: standard output.",
                  callback: Callable | None = None) -> Callable:  # fmt: skip
    """``-o/--output``: a file, ``-`` for standard output (``callback``: e.g. :func:`not_stdout`)."""
    return click.option("-o", "--output", "output", required=required, help=help,
                        callback=callback, **_default(default))  # fmt: skip


def not_stdout(what: str) -> Callable:
    """A click callback refusing ``-`` where the output must be a file or folder (``what``).

    One line, ``align: error: -o -: standard output is not possible here: WHAT``: the
    command line is well formed, align just cannot do it, so no usage block.
    """

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None and str(value) == "-":
            raise refused("-o -", f"standard output is not possible here: {what}")
        return value

    return callback


def refused(what: str, problem: str) -> OutputError:
    """An output request align refuses (``-o -`` where a file is needed): one line naming ``what``."""
    return OutputError(what, problem)


def is_stdout(output: str | None) -> bool:
    """True when ``output`` means standard output (no ``-o`` or ``-o -``)."""
    return output is None or output == "-"


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output for None/``-``."""
    if is_stdout(output):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text_atomic(Path(output), text)  # type: ignore[arg-type]


def check_srx_use(srx: str | None, inputs: list[str] | list[Path], segment: bool) -> None:
    """Say when ``--srx`` would not split ``inputs``: refused if it applies to none of them.

    SRX rules split documents: every input with ``--segment``, else only the
    documents of :data:`~align.text.office.OFFICE_SUFFIXES` (.docx/.odt/.pdf)
    (:func:`~align.text.office.splits_into_sentences`); a plain file is read one
    segment per line. Rules given for line files
    alone are a mistake to stop on before any work (the translator expects
    sentences and would get lines): one error line. Rules that apply to some
    inputs only (a folder of .docx and .txt) get one note naming the others.
    """
    from align.text.office import OFFICE_NAMES, splits_into_sentences

    if not srx or segment:
        return
    by_line = [str(p) for p in inputs if not splits_into_sentences(p, segment)]
    if not by_line:
        return
    if len(by_line) == len(inputs):
        raise AlignError(
            f"--srx {srx}",
            "SRX rules split documents into sentences, but without --segment every input "
            "here is read one segment per line; add --segment, or leave --srx out",
        )
    more = f" and {len(by_line) - 1} more" if len(by_line) > 1 else ""
    click.echo(f"align: note: --srx {srx}: used for the {OFFICE_NAMES} inputs only; {by_line[0]}"
               f"{more} read one segment per line (add --segment to split them too)",
               err=True)  # fmt: skip
