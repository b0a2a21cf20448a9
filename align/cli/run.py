"""``align run``: the main job, as ``make run`` calls it."""

from __future__ import annotations

import click

from align.run.job import RunConfig, summary
from align.run.job import run as run_pipeline


@click.command()
@click.option(
    "--config",
    "config_path",
    default=None,
    help="TOML file overriding the default paths and languages (keys as in RunConfig).",
)
@click.option("--outputs", default=None, help="Output folder (default: outputs).")
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
    config_path: str | None,
    outputs: str | None,
    mt_packages: tuple[str, ...],
    packages_dir: str | None,
    cluster: str | None,
) -> None:
    """Run the whole job on seeds/: the interview in English and Russian.

    Cleans and segments the English page, segments the Russian reference,
    aligns them, checks the reference against the glossary (reporting, never
    changing it), exports the TMX and the glossary as TBX, translates both ways
    when Argos models are installed, scores everything and writes
    outputs/report.html. Inputs are checked before anything is written.
    """
    overrides = {"outputs": outputs, "packages_dir": packages_dir, "cluster": cluster}
    if mt_packages:
        overrides["mt_packages"] = list(mt_packages)
    result = run_pipeline(RunConfig.load(config_path, **overrides))
    for line in summary(result):
        click.echo(line)
    for note in result.notes:
        click.echo(f"note:       {note}")
    click.echo("wrote:      " + ", ".join(str(p) for p in result.outputs))
