"""``align run``: the main job, as ``make run`` calls it."""

from __future__ import annotations

import click

from align.pipeline import RunConfig, outline
from align.pipeline import run as run_pipeline


@click.command()
@click.option(
    "--config",
    "config_path",
    default=None,
    help="TOML file overriding the default paths and languages.",
)
def run(config_path: str | None) -> None:
    """Run the whole job on seeds/: clean, segment, align, check, export, score.

    Writes everything under outputs/ and prints a short summary.
    """
    result = run_pipeline(RunConfig.load(config_path))
    for line in outline(result):
        click.echo(line)
    for note in result.notes:
        click.echo(f"note:      {note}")
    for path in result.outputs:
        click.echo(f"wrote      {path}")
