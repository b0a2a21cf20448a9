"""The ``align`` command: a thin click shell over the library.

Subcommands live in their own modules and are imported only when used, so
``align segment`` never pays for loading CTranslate2 or the embedding model.
"""

from __future__ import annotations

import contextlib
import importlib
import signal
import sys

import click

from align import __version__
from align.errors import AlignError

# name -> "module:attribute"; modules live in align.cli.
COMMANDS: dict[str, str] = {
    "ingest": "documents:ingest",
    "segment": "documents:segment",
    "translate": "translate:translate",
    "models": "models:models",
    "glossary": "glossary:glossary",
    "align": "aligncmd:align_cmd",
    "tmx": "tmx:tmx",
    "score": "score:score",
    "score-alignment": "score:score_alignment",
    "run": "run:run",
    "review": "review:review",
}


EXIT_TERMINATED = 143  # 128 + SIGTERM, what shells report for a terminated process


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where SIGINT would raise KeyboardInterrupt.

    A subclass, so every ``except KeyboardInterrupt`` / ``except BaseException``
    cleanup (temp files of atomic writes, cache commits) runs for both; the CLI
    exits 143 for it and 130 for Ctrl-C.
    """


def _on_sigterm(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM kills at once
    raise Terminated()


def handle_sigterm() -> None:
    """Turn SIGTERM into :class:`Terminated` (main thread only; elsewhere a no-op)."""
    with contextlib.suppress(ValueError):  # not the main thread (an embedding application)
        signal.signal(signal.SIGTERM, _on_sigterm)


def stopped_by(exc: KeyboardInterrupt) -> tuple[str, int]:
    """How a command stopped by ``exc`` says so and exits: Ctrl-C 130, SIGTERM 143."""
    if isinstance(exc, Terminated):
        return "terminated", EXIT_TERMINATED
    return "interrupted", 130


def fail(exc: AlignError) -> None:
    """Print the one-line error and exit with the error's code."""
    click.echo(f"align: error: {exc.message}", err=True)
    sys.exit(exc.exit_code)


def utf8_console() -> None:
    """Write standard output and error as UTF-8 whatever the locale or PYTHONIOENCODING.

    Outputs are UTF-8 files everywhere else in align; a cp1252 or ASCII console
    would otherwise turn the first Cyrillic segment into a UnicodeEncodeError.
    """
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding != "utf-8" and hasattr(stream, "reconfigure"):
            # ValueError/OSError: already written to in another encoding; leave it.
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8", errors=errors)


class LazyGroup(click.Group):
    def main(self, *args, **kwargs):  # type: ignore[override]
        utf8_console()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self.get_command(ctx, name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        full = f"align.cli.{module_name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name == full:  # not built yet
                return None
            raise
        return getattr(module, attr, None)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        handle_sigterm()
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            fail(exc)
        except KeyboardInterrupt as exc:  # Ctrl-C, or Terminated by SIGTERM
            how, code = stopped_by(exc)
            click.echo(f"align: {how}; finished outputs are kept, rerun to resume", err=True)
            sys.exit(code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="align")
def main() -> None:
    """Offline translation, glossary QA and sentence alignment for CAT tools.

    Typical flow: ingest a page, segment it into sentences, translate or align it
    with another language version, check names against a glossary, and export a
    TMX that OmegaT, Trados or memoQ can import. Nothing is sent over the network.

    \b
    Options mean the same in every command:
      -s/--src-lang, -t/--tgt-lang   BCP 47 language codes (en, ru, pt-BR); auto only
                                     where align finds the language itself (ingest,
                                     segment, tmx export)
      -f/--format                    txt, json, jsonl, tsv, csv, tmx, tbx, vecalign, xliff
      -g/--glossary                  a termbase: TSV, CSV or TBX
      -o/--output                    a file; - is standard output
      a lone - as the input file     standard input

    \b
    Exit codes:
      0    done
      1    a check found problems (--strict and the like)
      2    bad input or usage (one line: align: error: FILE: problem)
      130  interrupted by Ctrl-C, 143 terminated by SIGTERM (finished outputs are
           kept, no partial or temp file is left; rerun to resume)
    """
