"""``align models``: install, list and remove offline translation models (Argos packages)."""

from __future__ import annotations

import json

import click

from align.cli.options import AlignCommand, any_path, format_option
from align.mt import packages as pk
from align.paths import check_folder, check_inputs, check_output_dir, note_repeats, once_each

PACKAGES_HELP = (
    "Folder holding installed models. Default: argostranslate's, so argospm and align share "
    "models: $ARGOS_PACKAGES_DIR, else ARGOS_PACKAGES_DIR in argostranslate's settings.json, "
    "else $XDG_DATA_HOME/argos-translate/packages (~/.local/share/...)."
)


@click.group("models")
@click.option("--packages-dir", type=any_path(), help=PACKAGES_HELP)
@click.pass_context
def models(ctx: click.Context, packages_dir: str | None) -> None:
    """Manage offline translation models (Argos Translate .argosmodel packages).

    Models are installed from a downloaded .argosmodel file; nothing is fetched
    from the internet unless you ask with `install --online`. When no model
    exists for a pair, align pivots through English (ru→az uses ru→en, en→az).
    """
    check_folder(packages_dir, "packages folder")
    ctx.obj = pk.packages_dir(packages_dir)


@models.command("path")
@click.pass_obj
def path_cmd(root) -> None:
    """Print the folder where models are installed."""
    click.echo(str(root.resolve()))


@models.command("list", cls=AlignCommand, flag_values={"--json": ["--format", "json"]})
@format_option(
    ["txt", "json"], default="txt", help="txt: one line per model; json: machine-readable."
)
@click.pass_obj
def list_cmd(root, fmt: str) -> None:
    """List installed models; broken folders are reported, never hidden."""
    good, broken = pk.scan_packages(root)
    if fmt == "json":
        data = {
            "packages_dir": str(root),
            "packages": [
                {
                    "name": p.name,
                    "from": p.from_code,
                    "to": p.to_code,
                    "version": p.package_version,
                    "fixture": p.is_fixture,
                    "path": str(p.path),
                }
                for p in good
            ],
            "broken": [{"path": str(b.path), "problem": b.problem} for b in broken],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not good and not broken:
        click.echo(f"no models installed in {root}")
        click.echo("install one with: align models install FILE.argosmodel")
        return
    for p in good:
        flag = "  [TEST FIXTURE - not a translation model]" if p.is_fixture else ""
        click.echo(f"{p.pair:<10} {p.name}  v{p.package_version or '?'}{flag}")
    for b in broken:
        click.echo(f"broken     {b.path.name}: {b.problem}")
    for line in pivot_lines(root, good):
        click.echo(line)


def pivot_lines(root, good: list[pk.PackageInfo]) -> list[str]:
    """Pairs with no direct package that a chain of installed packages covers."""
    langs = sorted({c for p in good if p.type == "translate" for c in (p.from_code, p.to_code)})
    direct = {(p.from_code, p.to_code) for p in good}
    lines = []
    for a in langs:
        for b in langs:
            if a == b or (a, b) in direct:
                continue
            try:
                route = pk.find_route(a, b, root, allow_fixture=True)
            except pk.UnknownPairError:
                continue
            via = " + ".join(p.name for p in route)
            lines.append(f"{a}→{b:<7} pivot: {via}")
    return lines


@models.command("install")
@click.argument("files", nargs=-1, type=any_path())
@click.option(
    "--online",
    nargs=2,
    metavar="FROM TO",
    help="Download FROM→TO from the Argos package index (needs internet).",
)
@click.pass_obj
def install_cmd(root, files: tuple[str, ...], online: tuple[str, str] | None) -> None:
    """Install models from .argosmodel files (checked before anything is written).

    A file named twice (by two spellings or through a link) is installed once.

    Example: align models install translate-en_ru-1_9.argosmodel
    """
    if not files and not online:
        raise click.UsageError("give one or more .argosmodel files, or --online FROM TO")
    files, repeats = once_each(files)
    note_repeats(repeats, "installed once")
    check_inputs(files)  # every file, before the first is installed
    for f in files:
        info = pk.install_package(f, root)
        note = " (test fixture)" if info.is_fixture else ""
        click.echo(f"installed {info.pair} {info.name}{note} -> {info.path}")
    if online:
        info = pk.install_online(online[0], online[1], root)
        click.echo(f"installed {info.pair} {info.name} -> {info.path}")


@models.command("remove")
@click.argument("from_code", metavar="FROM")
@click.argument("to_code", metavar="TO")
@click.option("--name", help="Remove only the package with this folder name.")
@click.pass_obj
def remove_cmd(root, from_code: str, to_code: str, name: str | None) -> None:
    """Remove the installed model(s) for FROM→TO."""
    for path in pk.remove_package(from_code, to_code, root, name=name):
        click.echo(f"removed {path}")


@models.command("build-fixture")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=any_path(),
    help="Folder to write the .argosmodel files into.",
)
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    metavar="FROM-TO",
    help="Pair to build (repeatable, each built once; default en-ru and ru-en; az also known).",
)
@click.option("--install", "do_install", is_flag=True, help="Also install what was built.")
@click.pass_obj
def build_fixture_cmd(root, out_dir: str, pairs: tuple[str, ...], do_install: bool) -> None:
    """Build tiny TEST models (copy the input, swap a few names) for tests and demos.

    They are real CTranslate2 + SentencePiece packages but NOT translation models;
    everything produced with them is labelled as fixture output.
    """
    from align.mt.fixture import build_fixture_package, fixture_pairs

    check_output_dir(out_dir)
    wanted = []
    for spec in pairs or ("en-ru", "ru-en"):
        a, _, b = spec.partition("-")
        if (a, b) not in fixture_pairs():
            known = ", ".join(f"{x}-{y}" for x, y in fixture_pairs())
            raise click.BadParameter(f"{spec} (known: {known})", param_hint="--pair")
        if (a, b) in wanted:
            click.echo(f"align: note: --pair {spec}: named more than once; built once", err=True)
            continue
        wanted.append((a, b))
    for a, b in wanted:
        path = build_fixture_package(out_dir, a, b)
        click.echo(f"built {path}")
        if do_install:
            info = pk.install_package(path, root)
            click.echo(f"installed {info.pair} {info.name} (test fixture) -> {info.path}")
