"""One CLI grammar: shared options have the same names and meanings in every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from align.cli import main
from align.cli.options import FORMAT_HELP

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_07d8ad3adaf52f90.txt"

# dest -> the option strings it must have (aliases allowed on top, e.g. --from).
SHARED = {
    "src_lang": ("-s", "--src-lang"),
    "tgt_lang": ("-t", "--tgt-lang"),
    "fmt": ("-f", "--format"),
    "glossary": ("-g", "--glossary"),
}
ALLOWED_ALIASES = {"--from", "--to"}


def _commands() -> list[tuple[str, click.Command]]:
    """Every leaf command with its full name, walking groups."""
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, cmd: click.Command, ctx: click.Context) -> None:
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(f"{prefix} {name}".strip(), sub, click.Context(sub, parent=ctx))
        else:
            found.append((prefix, cmd))

    walk("", main, click.Context(main))
    return found


COMMANDS = _commands()


def test_walk_finds_every_command():
    names = {name for name, _ in COMMANDS}
    assert {"segment", "ingest", "align", "translate", "tmx export", "glossary check"} <= names


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_shared_options_have_one_spelling(name, cmd):
    opts = [p for p in cmd.params if isinstance(p, click.Option)]
    for p in opts:
        strings = set(p.opts) | set(p.secondary_opts)
        if p.name in SHARED:
            assert set(SHARED[p.name]) <= strings, (name, p.name, p.opts)
            assert strings - set(SHARED[p.name]) <= ALLOWED_ALIASES, (name, p.opts)
        if p.name == "fmt":
            assert isinstance(p.type, click.Choice)
            assert set(p.type.choices) <= set(FORMAT_HELP), (name, p.type.choices)
        # The short letters are reserved for their shared meaning.
        for short, dest in (("-s", "src_lang"), ("-t", "tgt_lang"), ("-f", "fmt"),
                            ("-g", "glossary")):  # fmt: skip
            if short in strings:
                assert p.name == dest, (name, short, p.name)
        if "-o" in strings:
            assert "--output" in strings, (name, p.opts)
        assert "--json" not in strings, f"{name}: use -f json"
        assert "--lang" not in strings, f"{name}: use -s/--src-lang"


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help_works_and_lists_shared_options(name, cmd):
    res = CliRunner().invoke(main, [*name.split(), "--help"])
    assert res.exit_code == 0, res.output
    assert name.split()[-1] in res.output or "Usage" in res.output
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name in SHARED and not p.hidden:
            assert SHARED[p.name][1] in res.output


def _align(*args: str, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "align", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=300,
        **kw,
    )


def test_segment_reads_stdin_and_writes_stdout():
    text = "The port is open. Ships come in at nine.\n"
    res = _align("segment", "-", "-s", "en", "-f", "txt", "-o", "-", stdin=text.encode())
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["The port is open.", "Ships come in at nine."]


def test_align_output_dash_is_stdout(tmp_path):
    src = tmp_path / "a.en"
    tgt = tmp_path / "a.ru"
    src.write_text("The port is open.\nShips come in at nine.\n", encoding="utf-8")
    tgt.write_text("Порт открыт.\nКорабли приходят в девять.\n", encoding="utf-8")
    res = _align("align", str(src), "-", "-s", "en", "-t", "ru", "-f", "vecalign", "-o", "-",
                 stdin=tgt.read_bytes())  # fmt: skip
    assert res.returncode == 0, res.stderr
    beads = [line.rsplit(":", 1)[0] for line in res.stdout.decode().splitlines()]
    assert beads == ["[0]:[0]", "[1]:[1]"]
    assert not list(tmp_path.glob("-*")), "-o - must not create a file named -"


def test_dash_input_from_a_terminal_is_an_error_not_a_hang():
    import pty

    master, slave = pty.openpty()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        res = subprocess.run([sys.executable, "-m", "align", "segment", "-", "-s", "en"],
                             stdin=slave, capture_output=True, env=env, timeout=60)  # fmt: skip
    finally:
        os.close(master)
        os.close(slave)
    assert res.returncode == 2
    lines = res.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "standard input is a terminal" in lines[0]


def test_unknown_option_suggests_the_right_spelling():
    res = CliRunner().invoke(main, ["segment", str(SEED), "--src-lan", "en"])
    assert res.exit_code == 2
    assert "Did you mean '--src-lang'" in res.output


@pytest.mark.parametrize(
    "old,new",
    [
        (["segment", str(SEED), "--lang", "en", "--format", "lines"],
         ["segment", str(SEED), "-s", "en", "-f", "txt"]),
        (["ingest", str(SEED), "--lang=en", "--format=text"],
         ["ingest", str(SEED), "-s", "en", "-f", "txt"]),
    ],
)  # fmt: skip
def test_old_spellings_still_work_with_a_note(old, new):
    before = CliRunner().invoke(main, old)
    after = CliRunner().invoke(main, new)
    assert before.exit_code == after.exit_code == 0
    assert before.stdout == after.stdout
    assert "deprecated" in before.stderr and "deprecated" not in after.stderr
    assert len(before.stderr.strip().splitlines()) == 2  # one note per old spelling


def test_tmx_json_flag_is_format_json(tmp_path):
    tmx = tmp_path / "a.tmx"
    src, tgt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text("The port is open.\n", encoding="utf-8")
    tgt.write_text("Порт открыт.\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["tmx", "export", "--src", str(src), "--tgt", str(tgt),
                                    "-s", "en", "-t", "ru", "-o", str(tmx)])  # fmt: skip
    assert res.exit_code == 0, res.output
    old = CliRunner().invoke(main, ["tmx", "stats", str(tmx), "--json"])
    new = CliRunner().invoke(main, ["tmx", "stats", str(tmx), "-f", "json"])
    assert old.stdout == new.stdout and '"units": 1' in new.stdout
    tsv = CliRunner().invoke(main, ["tmx", "to-tsv", str(tmx), "-o", "-"])
    assert tsv.stdout == "The port is open.\tПорт открыт.\n"


def test_translate_old_from_spelling_maps_to_src_lang():
    cmd = dict(COMMANDS)["translate"]
    assert cmd.rewrite(["-f", "en", "-t", "ru", "x"]) == ["--src-lang", "en", "-t", "ru", "x"]
    assert cmd.rewrite(["-f", "jsonl", "x"]) == ["-f", "jsonl", "x"]


@pytest.mark.parametrize(
    "args",
    [
        [
            "tmx",
            "export",
            "--src",
            str(SEED),
            "--tgt",
            str(SEED),
            "-s",
            "en",
            "-t",
            "ru",
            "-o",
            "-",
        ],
        ["tmx", "merge", str(SEED), "-o", "-"],
        ["translate", str(SEED), "-s", "en", "-t", "ru", "-o", "-"],
        ["translate", "-", "-s", "en", "-t", "ru", "-o", "out"],
    ],
    ids=["tmx-export", "tmx-merge", "translate-out", "translate-in"],
)
def test_dash_where_a_file_is_needed_is_refused_not_a_file_named_dash(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, args, input="The port is open.\n")
    assert res.exit_code == 2
    assert "standard" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []  # no file or folder named - (or anything else)


@pytest.mark.parametrize(
    "given,expected",
    [("eng", "en"), ("eng_Latn", "en"), ("rus_Cyrl", "ru"), ("EN_gb", "en-GB"),
     ("zh_Hant", "zh-Hant"), ("pt-BR", "pt-BR")],
)  # fmt: skip
def test_language_codes_take_their_preferred_bcp47_form(given, expected):
    from align.cli.options import check_lang

    assert check_lang(None, None, given) == expected  # type: ignore[arg-type]
