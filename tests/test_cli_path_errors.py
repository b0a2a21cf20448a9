"""A bad input or output path is align's one line, never click's usage block.

click's own path checks (``click.Path(exists=True, dir_okay=False, ...)``) ran
before align's and answered ``Error: Invalid value for '[TGT]': File 'adir' is a
directory.`` under a usage block; every path now goes to align's checks
(:mod:`align.paths`), which print ``align: error: FILE: problem`` and exit 2.
The tree walk makes a new command inherit the rule.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from align.cli import main

EN = "The port of Baku is open.\nThe ship left Moscow today.\n"
RU = "Порт Баку открыт.\nКорабль сегодня покинул Москву.\n"
TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
    'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
    'creationtoolversion="1"/><body><tu><tuv xml:lang="en"><seg>Hi</seg></tuv>'
    '<tuv xml:lang="ru"><seg>Привет</seg></tuv></tu></body></tmx>\n'
)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            yield from ((" ".join((*prefix, name)), p) for p in cmd.params)
            yield from _commands(cmd, (*prefix, name))
        else:
            yield from ((" ".join((*prefix, name)), p) for p in cmd.params)


PATHS = [(name, p) for name, p in _commands(main) if isinstance(p.type, click.Path)]


def test_the_tree_has_path_parameters():
    names = {(name, p.name) for name, p in PATHS}
    assert {("align", "tgt"), ("align", "batch"), ("translate", "out_dir")} <= names


@pytest.mark.parametrize(("name", "param"), PATHS, ids=[f"{n}:{p.name}" for n, p in PATHS])
def test_click_checks_no_path_itself(name, param):
    kind = param.type
    assert not kind.exists, "align checks that an input exists (align.paths)"
    assert kind.file_okay and kind.dir_okay, "align checks file or folder (align.paths)"
    assert not (kind.readable or kind.writable or kind.executable)


def cli(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for dirpath, _, files in os.walk(root):
        out[dirpath] = None
        for f in files:
            out[os.path.join(dirpath, f)] = Path(dirpath, f).read_bytes()
    return out


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("en.txt").write_text(EN, encoding="utf-8")
    Path("ru.txt").write_text(RU, encoding="utf-8")
    Path("g.tsv").write_text("en\tru\nBaku\tБаку\n", encoding="utf-8")
    Path("a.tmx").write_text(TMX, encoding="utf-8")
    Path("adir").mkdir()
    return tmp_path


def one_error(res, path: str) -> str:
    """The single stderr line of a refused command; it names ``path``."""
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"align: error: {path}: "), lines[0]
    return lines[0]


LANGS = ["-s", "en", "-t", "ru"]
DIRECTORY = "is a directory, expected a"
FOLDER = "must be a folder"
# (arguments, the path the error names, what it says)
CASES = [
    (["align", "en.txt", "adir", *LANGS], "adir", DIRECTORY),
    (["align", "adir", "ru.txt", *LANGS, "-o", "o.tsv"], "adir", DIRECTORY),
    (["align", "en.txt", "ru.txt", *LANGS, "-g", "adir"], "adir", DIRECTORY),
    (["align", "--batch", "missing.tsv", *LANGS], "missing.tsv", "no such file"),
    (["align", "--batch", "adir", *LANGS], "adir", DIRECTORY),
    (["glossary", "check", "en.txt", "ru.txt", *LANGS, "-g", "adir"], "adir", DIRECTORY),
    (["glossary", "fix", "en.txt", "ru.txt", *LANGS, "-g", "adir", "-o", "f.txt"], "adir",
     DIRECTORY),
    (["glossary", "convert", "adir", "-o", "g.tbx"], "adir", DIRECTORY),
    (["translate", "en.txt", *LANGS, "-o", "en.txt"], "en.txt", FOLDER),
    (["translate", "en.txt", *LANGS, "-o", "out", "-g", "adir"], "adir", DIRECTORY),
    (["translate", "en.txt", *LANGS, "-o", "out", "--segment", "--srx", "adir"], "adir",
     "is a directory, expected an SRX file"),
    (["translate", "en.txt", *LANGS, "-o", "out", "--packages-dir", "en.txt"], "en.txt", FOLDER),
    (["translate", "en.txt", *LANGS, "-o", "out", "--cache-dir", "en.txt"], "en.txt", FOLDER),
    (["models", "--packages-dir", "en.txt", "list"], "en.txt", FOLDER),
    (["models", "install", "adir"], "adir", DIRECTORY),
    (["models", "build-fixture", "-o", "en.txt"], "en.txt", FOLDER),
    (["tmx", "validate", "a.tmx", "--dtd", "adir"], "adir", DIRECTORY),
    (["tmx", "export", "adir", "-o", "x.tmx", *LANGS], "adir", DIRECTORY),
    (["run", "en.txt", "ru.txt", *LANGS, "-o", "out", "--packages-dir", "en.txt"], "en.txt",
     FOLDER),
]  # fmt: skip


@pytest.mark.parametrize(("args", "path", "problem"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_bad_path_is_one_line_naming_it(work, args, path, problem):
    before = snapshot(work)
    line = one_error(cli(args), path)
    assert problem in line
    assert snapshot(work) == before


def test_glossary_convert_to_standard_output_says_a_file_is_needed(work):
    line = one_error(cli(["glossary", "convert", "g.tsv", "-o", "-"]), "-o -")
    assert "standard output is not possible here" in line
    assert ".tsv, .csv or .tbx" in line
    assert "unknown glossary format" not in line


def test_tmx_export_of_a_tmx_points_to_merge(work):
    before = snapshot(work)
    line = one_error(cli(["tmx", "export", "a.tmx", "-o", "x.tmx"]), "a.tmx")
    assert "is a TMX file" in line and "JSONL" in line and "XLIFF" in line
    assert "align tmx merge" in line and "not JSON" not in line
    assert snapshot(work) == before


def test_tmx_export_recognises_tmx_and_xml_by_content(work):
    Path("memory.dat").write_text(TMX, encoding="utf-16")
    line = one_error(cli(["tmx", "export", "memory.dat", "-o", "x.tmx", *LANGS]), "memory.dat")
    assert "is a TMX file" in line
    Path("other.xml").write_text('<?xml version="1.0"?>\n<root/>\n', encoding="utf-8")
    line = one_error(cli(["tmx", "export", "other.xml", "-o", "x.tmx", *LANGS]), "other.xml")
    assert "is XML, not JSONL" in line and "XLIFF" in line
    assert not Path("x.tmx").exists()


def test_tmx_export_without_input_names_xliff_too(work):
    res = cli(["tmx", "export", "-o", "x.tmx"])
    assert res.exit_code == 2
    assert "give a JSONL or XLIFF file, or both --src FILE and --tgt FILE" in res.stderr


def test_run_config_srx_folder_is_a_directory(work):
    Path("c.toml").write_text('srx = "adir"\n', encoding="utf-8")
    before = snapshot(work)
    args = ["run", "en.txt", "ru.txt", *LANGS, "--config", "c.toml", "-o", "out"]
    line = one_error(cli(args), "c.toml")  # the config file and its key, then the folder
    assert "key 'srx': adir: is a directory, expected an SRX file" in line
    assert "no such" not in line
    assert snapshot(work) == before


def test_segment_srx_missing_is_still_no_such_file(work):
    line = one_error(cli(["segment", "en.txt", "--srx", "missing.srx"]), "missing.srx")
    assert line.endswith("no such SRX file")
