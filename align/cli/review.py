"""``align review``: review an alignment in the browser, or export a reviewed one."""

from __future__ import annotations

import secrets
import sys

import click

from align.cli import Terminated
from align.cli.options import (
    command,
    glossary_option,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from align.errors import InputError


@command("review")
@click.argument("input_path", metavar="INPUT")
@glossary_option(help="Glossary (TSV, CSV or TBX) for term checks and fixes "
                 "(default for a run folder: the TBX the run wrote).")  # fmt: skip
@src_lang_option(required=False, from_input=True,
                 help="Source language (default: from the input).")  # fmt: skip
@tgt_lang_option(required=False, from_input=True,
                 help="Target language (default: from the input).")  # fmt: skip
@output_option(help="File the page's Export button writes (.tmx, .tmx.gz, .tsv or .jsonl; "
               "default: INPUT's name + .reviewed.tmx beside it).")  # fmt: skip
@click.option("--export", "export_to", default=None, metavar="OUT",
              help="Apply the journal and write OUT (.tmx, .tsv, .jsonl) without a browser; "
              "/dev/null writes nothing (to check that the journal applies and exports).")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on; 0 picks a free one.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --allow-remote.")  # fmt: skip
@click.option("--allow-remote", is_flag=True,
              help="Allow --host to be a non-loopback address (others on the network can "
              "reach the page if they get the token).")  # fmt: skip
@click.option("--no-browser", is_flag=True, help="Print the URL only; do not open a browser.")
def review(
    input_path: str,
    glossary: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    output: str | None,
    export_to: str | None,
    port: int,
    host: str,
    allow_remote: bool,
    no_browser: bool,
) -> None:
    """Review INPUT in the browser: a TMX, a jsonl from `align align -f jsonl`, or an
    `align run` output folder (e.g. outputs/).

    Beads are shown side by side with the aligner's confidence and the reason for
    each flag; merge, split, move lines, edit, accept or reject them with the
    keyboard (press ? on the page). Every edit is saved at once in a journal beside
    the input (INPUT.review.jsonl, or NAME.SRC-TGT.review.jsonl in a run folder);
    reopening resumes it.

    Ctrl-C (or SIGTERM) stops the server: the action in flight is finished and
    journalled, and align exits 0, since stopping is how a review ends (every edit
    is already on disk). Stopped while still loading, or during --export, it exits
    130 (Ctrl-C) or 143 (SIGTERM) like every align command.
    """
    from pathlib import Path

    from align.review import ReviewSession, export_format, open_source
    from align.review.server import bind, is_loopback, serve

    for out in (output, export_to):
        if out is not None:
            export_format(out)
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(
            f"--host {host} is not a loopback address; add --allow-remote if others on the "
            "network should reach the review page"
        )
    source = open_source(input_path, src_lang, tgt_lang)
    gloss = None
    gloss_path = glossary or source.glossary
    if gloss_path is not None:
        from align.glossary import load_glossary

        gloss = load_glossary(gloss_path)
    if source.inline_codes:
        click.echo(
            f"align: warning: {source.path.name} holds {source.inline_codes} inline code(s) "
            "(<bpt>, <ph>...); they are not kept: the review shows and exports segment text only",
            err=True,
        )
    if export_to is not None:
        target = Path(export_to)
        if target.resolve() in {f.resolve() for f in source.files}:
            raise InputError(target, "is the review input; choose another export name")
        session = ReviewSession(source, gloss, target, journal=False)
        counts = session.export()
        click.echo(
            f"wrote {export_to}: {counts['written']} of {counts['beads']} beads "
            f"({counts['rejected']} rejected, {counts['skipped_unmatched']} unmatched left out)"
        )
        return
    export_path = Path(output) if output else None
    if export_path is not None and export_path.resolve() in {f.resolve() for f in source.files}:
        raise InputError(export_path, "is the review input; choose another export name")
    session = ReviewSession(source, gloss, export_path)
    session.warm()  # flags and glossary checks while the browser starts; the page waits for them
    sock = bind(host, port)
    token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/?token={token}"
    if not is_loopback(host):
        click.echo(
            f"align: warning: listening on {host}, not only this computer; anyone who has the "
            "URL with its token can read and change this review",
            err=True,
        )

    def ready() -> None:
        click.echo(f"Reviewing {source.name}: {len(session.doc.beads)} beads")
        click.echo(f"journal:  {source.journal}")
        click.echo(f"export:   {session.export_path}")
        click.echo(f"open:     {url}")
        click.echo("Press Ctrl-C to stop.")
        sys.stdout.flush()
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    how = "Ctrl-C"
    try:
        serve(session, sock, token, on_ready=ready)
    except KeyboardInterrupt as exc:
        # Stopping is how a review ends (exit 0, see the help): uvicorn finishes the
        # request in flight, then re-raises the signal, which lands here.
        how = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
    finally:
        session.close()
        sock.close()
    edits = session.journal.entries if session.journal else 0
    click.echo(f"stopped by {how}; {edits} edits are in the journal")
