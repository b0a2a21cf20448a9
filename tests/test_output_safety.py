"""No command destroys an input, fails late on a folder output, or writes outside -o."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

EN = "The port of Baku is open.\nThe ship left Moscow today.\n"
RU = "Порт Баку открыт.\nКорабль сегодня покинул Москву.\n"
PAGE = "<html><body><h1>Baku</h1><p>The port of Baku is open. The ship left.</p></body></html>\n"

# Every writing command, with OUT where its output goes (inputs are in the working folder).
COMMANDS: dict[str, list[str]] = {
    "ingest": ["ingest", "page.html", "-o", "OUT"],
    "segment": ["segment", "page.html", "-o", "OUT"],
    "tmx export": ["tmx", "export", "--src", "en.txt", "--tgt", "ru.txt", "-o", "OUT",
                   "--src-lang", "en", "--tgt-lang", "ru"],
    "tmx merge": ["tmx", "merge", "m.tmx", "-o", "OUT"],
    "tmx to-tsv": ["tmx", "to-tsv", "m.tmx", "-o", "OUT"],
    "glossary convert": ["glossary", "convert", "g.tsv", "-o", "OUT"],
    "glossary check": ["glossary", "check", "en.txt", "ru.txt", "-g", "g.tsv",
                       "--src-lang", "en", "--tgt-lang", "ru", "-o", "OUT"],
    "glossary fix": ["glossary", "fix", "en.txt", "ru.txt", "-g", "g.tsv",
                     "--src-lang", "en", "--tgt-lang", "ru", "-o", "OUT"],
    "score": ["score", "--hyp", "ru.txt", "--ref", "ru2.txt", "-o", "OUT"],
    "score-alignment": ["score-alignment", "--gold", "gold.align", "--pred", "pred.align",
                        "-o", "OUT"],
    "align": ["align", "en.txt", "ru.txt", "-s", "en", "-t", "ru", "-f", "tsv", "-o", "OUT"],
}  # fmt: skip
# Which input each command must refuse to overwrite (the examples and their siblings).
VICTIM = {
    "ingest": "page.html",
    "segment": "page.html",
    "tmx export": "en.txt",
    "tmx merge": "m.tmx",
    "tmx to-tsv": "m.tmx",
    "glossary convert": "g.tsv",
    "glossary check": "en.txt",
    "glossary fix": "ru.txt",
    "score": "ru2.txt",
    "score-alignment": "gold.align",
    "align": "ru.txt",
}
SUFFIX = {"tmx export": ".tmx", "tmx merge": ".tmx", "glossary convert": ".tbx"}


def cli(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("en.txt").write_text(EN)
    Path("ru.txt").write_text(RU)
    Path("ru2.txt").write_text(RU)
    Path("page.html").write_text(PAGE)
    Path("gold.align").write_text("[0]:[0]:1.0\n[1]:[1]:1.0\n")
    Path("pred.align").write_text("[0]:[0]:0.9\n[1]:[1]:0.9\n")
    Path("g.tsv").write_text("id\ten\tru\nbaku\tBaku\tБаку\nmoscow\tMoscow\tМосква\n")
    res = cli(with_out("tmx export", "m.tmx"))
    assert res.exit_code == 0, res.stderr
    return tmp_path


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            st = p.stat()
            out[p.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns, p.read_bytes())
    return out


def one_error(res) -> str:
    assert res.exit_code == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert lines[-1].startswith("align: error: "), res.stderr
    assert "Traceback" not in res.stderr
    return lines[-1]


def with_out(name: str, out: str) -> list[str]:
    return [out if a == "OUT" else a for a in COMMANDS[name]]


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("how", ["same", "hardlink", "symlink"])
def test_output_that_is_an_input_is_refused(work, name, how):
    victim = VICTIM[name]
    out = victim
    if how == "hardlink":
        out = "linked" + Path(victim).suffix
        os.link(victim, out)
    elif how == "symlink":
        out = "sym" + Path(victim).suffix
        os.symlink(victim, out)
    before = snapshot(work)
    err = one_error(cli(with_out(name, out)))
    assert f"align: error: {out}: " in err
    assert "would overwrite the input" in err
    assert snapshot(work) == before


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_that_is_a_folder_is_refused_before_work(work, name):
    Path("outdir").mkdir()
    before = snapshot(work)
    err = one_error(cli(with_out(name, "outdir")))
    assert err == "align: error: outdir: is a folder; give a file name for the output"
    assert snapshot(work) == before


def test_output_under_a_file_is_refused(work):
    err = one_error(cli(with_out("ingest", "en.txt/x.txt")))
    assert "en.txt is a file, not a folder" in err


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_nothing_is_written_outside_the_output(work, name):
    """Good input: only the output appears. Bad inputs: nothing appears at all."""
    out = "out/result" + SUFFIX.get(name, ".txt")
    before = snapshot(work)
    res = cli(with_out(name, out))
    assert res.exit_code == 0, res.stderr
    after = snapshot(work)
    assert set(after) - set(before) == {out}
    assert {k: v for k, v in after.items() if k != out} == before
    for bad in ("missing.txt", "/dev/zero", "empty.txt"):
        Path("empty.txt").write_text("")
        before = snapshot(work)
        args = with_out(name, "out2/result" + SUFFIX.get(name, ".txt"))
        args = [bad if a == VICTIM[name] else a for a in args]
        res = cli(args)
        assert res.exit_code == 2, (name, bad, res.stderr)
        assert "Traceback" not in res.stderr
        assert snapshot(work) == before, (name, bad)


def test_two_outputs_the_same_are_refused(work):
    err = one_error(cli([*with_out("glossary fix", "fixed.txt"), "--changes", "fixed.txt"]))
    assert "is given twice as an output" in err


def test_batch_align_checks_every_output_before_work(work):
    Path("pairs.tsv").write_text("en.txt\tru.txt\tout/a.tsv\nen.txt\tru.txt\ten.txt\n")
    before = snapshot(work)
    err = one_error(cli(["align", "--batch", "pairs.tsv", "-s", "en", "-t", "ru"]))
    assert "en.txt" in err and "would overwrite the input" in err
    assert snapshot(work) == before


def test_run_refuses_an_input_among_its_outputs(work):
    from align.errors import OutputError
    from align.run.job import RunConfig

    Path("outputs").mkdir()
    Path("outputs/interview.en.txt").write_text(EN)
    config = RunConfig(source="outputs/interview.en.txt", reference="ru.txt", gold=None,
                       glossary=None, outputs="outputs")  # fmt: skip
    before = snapshot(work)
    with pytest.raises(OutputError, match="is the source input, but align run writes"):
        from align.run.job import run

        run(config)
    assert snapshot(work) == before
    Path("afile").write_text("")
    with pytest.raises(OutputError, match="afile: is a file; the output must be a folder"):
        RunConfig(source="en.txt", outputs="afile").check_paths()


@pytest.mark.parametrize("name", ["tmx export", "segment", "glossary convert", "score"])
def test_a_full_disk_is_one_line_for_every_command(work, name):
    from tmpfs import fill, tmpfs

    with tmpfs(work / "full", "64k") as full:
        fill(full)
        res = cli(with_out(name, "full/result" + SUFFIX.get(name, ".txt")))
        left = sorted(p.name for p in full.iterdir())
    err = one_error(res)
    assert err.startswith("align: error: full/result")
    assert "No space left on device" in err
    assert left == ["filler"]  # no temp file, no partial output


# glossary convert takes its format from the output's extension, which /dev/null lacks.
@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"glossary convert"}))
def test_dev_null_takes_the_output_of_every_command(work, name):
    """-o /dev/null (to time a run or check the input) works; nothing is left anywhere."""
    before = snapshot(work)
    res = cli(with_out(name, os.devnull))
    assert res.exit_code == 0, res.stderr
    assert snapshot(work) == before
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # still the device, not a file
    assert not [n for n in os.listdir("/dev") if ".align-tmp-" in n]


def test_dev_null_may_take_two_outputs(work):
    res = cli([*with_out("glossary fix", os.devnull), "--changes", os.devnull])
    assert res.exit_code == 0, res.stderr


def test_a_full_device_is_one_line(work):
    err = one_error(cli(with_out("segment", "/dev/full")))
    assert err == "align: error: /dev/full: cannot be written (No space left on device)"
