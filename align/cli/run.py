"""``align run``: the main job on any document pair; with no arguments, on the seed (``make run``)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from align.cli.options import (
    check_lang_pair,
    command,
    glossary_option,
    not_stdout,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from align.fsutil import is_null_device
from align.paths import check_folder

# The option of each config key that has a command-line twin with a check (error messages).
_OPTION = {"src_lang": "-s", "tgt_lang": "-t", "cluster": "--cluster"}


def _stem(path: str) -> str:
    """Output name stem of a document: ``article.en.txt`` → ``article``."""
    return Path(path).name.split(".")[0] or "document"


@command("run", renamed={"--outputs": "--output"})
@click.argument("source", required=False)
@click.argument("reference", required=False)
@src_lang_option(
    required=False, help="Source language (BCP 47 code); needed with SOURCE. Seed: en."
)
@tgt_lang_option(
    required=False, help="Target language (BCP 47 code); needed with SOURCE. Seed: ru."
)
@glossary_option(help="Glossary (termbase: TSV, CSV or TBX) to check and enforce.")
@click.option("--gold", default=None, help="Gold alignment (vecalign format) to score against.")
@output_option(help="Output folder (default: outputs). /dev/null writes no files (to time a "
               "run or check the inputs): the run is made in a temporary folder, then removed; "
               "the model caches are still written.",
               callback=not_stdout("align run writes a folder of files; give a folder"))  # fmt: skip
@click.option(
    "--config",
    "config_path",
    default=None,
    help="TOML config (keys as printed by --print-config); command-line options win over it.",
)
@click.option(
    "--print-config",
    is_flag=True,
    help="Print the full config of this run as TOML, one comment per key, and exit.",
)
@click.option(
    "--mt-package",
    "mt_packages",
    multiple=True,
    help="Use this installed MT package by name, even a test fixture (repeatable).",
)
@click.option(
    "--packages-dir", default=None, help="Argos packages folder (default: see `align models path`)."
)
@click.option(
    "--cluster",
    metavar="SPEC",
    default=None,
    help="Translate on a Dask cluster: local, local:N or tcp://HOST:PORT (see docs/scale.md).",
)
def run(
    source: str | None,
    reference: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    glossary: str | None,
    gold: str | None,
    output: str | None,
    config_path: str | None,
    print_config: bool,
    mt_packages: tuple[str, ...],
    packages_dir: str | None,
    cluster: str | None,
) -> None:
    """Run every stage on SOURCE and its human translation REFERENCE.

    Cleans and segments both documents, aligns them, checks the reference
    against the glossary (reporting, never changing it), exports the TMX and the
    glossary as TBX, translates both ways when Argos models are installed, scores
    everything and writes OUTDIR/report.html. Inputs are checked before anything
    is written. Without REFERENCE only segmentation and MT run.

    With no SOURCE, runs the seed interview (English and Russian, with its gold
    alignment and glossary): that is what `make run` does.

    \b
    Examples:
      align run article.en.txt article.ru.txt -s en -t ru -g terms.tsv -o out/
      align run --print-config > run.toml; align run --config run.toml
    """
    from align.run.job import RunConfig, check_files, check_key, read_config, summary
    from align.run.job import run as run_pipeline

    base: dict[str, object] = {}
    if source is not None:
        # A document named on the command line replaces the seed; what it names must exist.
        # Seed paths do not apply to another document (a config file may still set them).
        base = {"reference": None, "gold": None, "glossary": None, "name": _stem(source),
                "skip_missing": False}  # fmt: skip
    elif reference is not None:
        raise click.UsageError("REFERENCE needs a SOURCE before it")
    cli = {
        "source": source,
        "reference": reference,
        "src_lang": src_lang,
        "tgt_lang": tgt_lang,
        "glossary": glossary,
        "gold": gold,
        "outputs": output,
        "packages_dir": packages_dir,
        "mt_packages": list(mt_packages) or None,
        "cluster": cluster,
    }
    for key, option in _OPTION.items():  # the checks a config file's values go through
        if cli[key] is not None:
            try:
                cli[key] = check_key(key, cli[key])
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=option) from None
    if source is not None:
        in_file = read_config(config_path) if config_path else {}
        missing = [opt for opt, key in (("-s/--src-lang", "src_lang"), ("-t/--tgt-lang", "tgt_lang"))
                   if cli[key] is None and key not in in_file]  # fmt: skip
        if missing:
            raise click.UsageError(
                f"give the languages of SOURCE and REFERENCE: {' and '.join(missing)}"
            )
    config = RunConfig.load(config_path, base=base, **cli)
    if print_config:
        click.echo(config.to_toml(), nl=False)
        return
    check_folder(config.packages_dir, "models folder (packages_dir, --packages-dir)")
    from_options = src_lang is not None and tgt_lang is not None
    check_lang_pair(config.src_lang, config.tgt_lang, file=None if from_options else config_path)
    in_config = read_config(config_path) if config_path else {}
    check_files(config, config_path, {k for k in in_config if cli.get(k) is None})
    null, discard = config.outputs, is_null_device(config.outputs)
    with _scratch(config, discard):
        result = run_pipeline(config)
    for line in summary(result):
        click.echo(line)
    for note in result.notes:
        click.echo(f"note:       {note}")
    if discard:
        made = len(result.outputs)
        click.echo(f"wrote:      nothing (outputs {null}: {made} files made, then removed)")
    else:
        click.echo("wrote:      " + ", ".join(str(p) for p in result.outputs))


@contextlib.contextmanager
def _scratch(config, discard: bool) -> Iterator[None]:
    """With ``discard`` (outputs is the null device), run in a temporary folder, then remove it."""
    if not discard:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="align-run-") as folder:
        config.outputs = folder
        yield
