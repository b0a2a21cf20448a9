"""XML-invalid characters (issue #11.1, #12.14) and cut translations (issue #11.9)."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner
from lxml import etree
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import main
from align.errors import InvalidXmlCharError
from align.model import TranslationUnit
from align.tmx import read_tmx, write_tmx
from align.xliff import XliffFile, write_xliff


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def command_options(*path: str) -> set[str]:
    """Every option string of ``align PATH...`` (e.g. ``("tmx", "export")``)."""
    ctx = click.Context(main)
    cmd: click.Command = main
    for name in path:
        cmd = cmd.get_command(ctx, name)  # type: ignore[attr-defined]
    return {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}


def assert_hint_exists(stderr: str, *path: str) -> None:
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", stderr))
    assert named, stderr
    assert named <= command_options(*path), (named, path)


@pytest.fixture
def env(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "en.txt").write_text("The port\x0bis open.\nThe ship left.\n", "utf-8")
    (tmp_path / "ru.txt").write_text("Порт\x0cоткрыт.\nКорабль ушёл.\n", "utf-8")
    return tmp_path


def test_library_error_names_no_option(tmp_path):
    with pytest.raises(InvalidXmlCharError) as err:
        write_tmx(tmp_path / "a.tmx", [TranslationUnit("a\x07", "b", "en", "ru")],
                  src_lang="en", tgt_lang="ru")  # fmt: skip
    assert "U+0007" in err.value.message and "--" not in err.value.message
    assert not (tmp_path / "a.tmx").exists()


def _seg_texts(path) -> list[str]:
    return [seg.text for seg in etree.parse(str(path)).iter("seg")]


def test_tmx_export(env):
    args = ("tmx", "export", "--src", env / "en.txt", "--tgt", env / "ru.txt",
            "--src-lang", "en", "--tgt-lang", "ru", "-o", env / "a.tmx")  # fmt: skip
    res = run(*args)
    assert res.exit_code == 2 and "U+000B LINE TABULATION" in res.stderr
    assert_hint_exists(res.stderr, "tmx", "export")
    assert run(*args, "--replace-invalid-chars").exit_code == 0
    assert _seg_texts(env / "a.tmx")[:2] == ["The port\ufffdis open.", "Порт\ufffdоткрыт."]


def test_align_tmx_output(env):
    args = ("align", env / "en.txt", env / "ru.txt", "--src-lang", "en", "--tgt-lang", "ru",
            "-o", env / "a.tmx")  # fmt: skip
    res = run(*args)
    assert res.exit_code == 2 and "control character XML cannot store" in res.stderr
    assert_hint_exists(res.stderr, "align")
    assert not (env / "a.tmx").exists()
    res = run(*args, "--replace-invalid-chars")
    assert res.exit_code == 0, res.output
    assert _seg_texts(env / "a.tmx")[:2] == ["The port\ufffdis open.", "Порт\ufffdоткрыт."]
    assert _replaced(res.stderr, env / "a.tmx") == 2
    res = run("tmx", "validate", env / "a.tmx")
    assert res.exit_code == 0, res.output


def _replaced(stderr: str, out) -> int:
    """The count of the one ``align: note: OUT: replaced N ...`` line about ``out``."""
    (count,) = re.findall(
        rf"^align: note: {re.escape(str(out))}: replaced (\d+) invalid characters with U\+FFFD$",
        stderr,
        re.MULTILINE,
    )
    return int(count)


def _error_line(stderr: str) -> str:
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("align: error:")]
    return line


def _xliff_texts(path) -> list[str]:
    """Every ``<source>``/``<target>`` text of an XLIFF 1.2 or 2.x file, in order."""
    root = etree.parse(str(path)).getroot()
    return [
        el.text or "" for el in root.iter() if etree.QName(el).localname in ("source", "target")
    ]


def test_align_xliff_output(env):
    args = ("align", env / "en.txt", env / "ru.txt", "--src-lang", "en", "--tgt-lang", "ru",
            "-o", env / "a.xlf")  # fmt: skip
    res = run(*args)
    assert res.exit_code == 2 and "Traceback" not in res.output
    line = _error_line(res.stderr)
    assert "a.xlf" in line and "U+000B LINE TABULATION" in line
    assert line.endswith("or rerun with --replace-invalid-chars"), line
    assert_hint_exists(line, "align")
    assert not (env / "a.xlf").exists()
    res = run(*args, "--replace-invalid-chars")
    assert res.exit_code == 0, res.output
    assert _xliff_texts(env / "a.xlf")[:2] == ["The port\ufffdis open.", "Порт\ufffdоткрыт."]
    assert _replaced(res.stderr, env / "a.xlf") == 2


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_translate_xliff_output(env, version):
    args = ("translate", env / "en.txt", "--from", "en", "--to", "ru", "-o", env / "out",
            "--allow-fixture", "--format", "xliff", "--xliff-version", version)  # fmt: skip
    res = run(*args)
    assert res.exit_code == 2 and "Traceback" not in res.output
    line = _error_line(res.stderr)
    assert "U+000B LINE TABULATION" in line and "rerun with --replace-invalid-chars" in line
    assert_hint_exists(line, "translate")
    assert not list((env / "out").glob("*.xlf"))
    res = run(*args, "--replace-invalid-chars")
    assert res.exit_code == 0, res.output
    (xlf,) = (env / "out").glob("*.xlf")
    texts = _xliff_texts(xlf)
    assert texts[0] == "The port\ufffdis open."
    assert _replaced(res.stderr, xlf) == "".join(texts).count("\ufffd")


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_xliff_writer_takes_the_tmx_writers_mode(tmp_path, version):
    unit = TranslationUnit("a\x07b", "c\x1fd", "en", "ru", tuid="u1", note="n\x02")
    out = tmp_path / "a.xlf"
    with pytest.raises(InvalidXmlCharError) as err:
        write_xliff(out, [XliffFile("doc", "en", "ru", [unit])], version)  # type: ignore[arg-type]
    assert "doc: unit u1: source contains U+0007" in err.value.message
    assert "--" not in err.value.message and not out.exists()
    stats = write_xliff(out, [XliffFile("doc", "en", "ru", [unit])], version,  # type: ignore[arg-type]
                        invalid_chars="replace")  # fmt: skip
    assert (stats.written, stats.replaced_chars) == (1, 3)
    assert _xliff_texts(out) == ["a\ufffdb", "c\ufffdd"]
    assert unit.source == "a\x07b"  # the caller's unit is not changed
    with pytest.raises(ValueError, match="invalid_chars must be 'error' or 'replace'"):
        write_xliff(out, [], version, invalid_chars="drop")  # type: ignore[arg-type]


def test_translate_tmx_output(env):
    args = ("translate", env / "en.txt", "--from", "en", "--to", "ru", "-o", env / "out",
            "--allow-fixture", "--format", "tmx")  # fmt: skip
    res = run(*args)
    assert res.exit_code == 2 and "U+000B" in res.stderr
    assert_hint_exists(res.stderr, "translate")
    res = run(*args, "--replace-invalid-chars")
    assert res.exit_code == 0, res.output
    (tmx,) = (env / "out").glob("*.tmx")
    assert _seg_texts(tmx)[0] == "The port\ufffdis open."
    assert _replaced(res.stderr, tmx) == "".join(_seg_texts(tmx)).count("\ufffd")


def test_glossary_convert_to_tbx(tmp_path):
    (tmp_path / "g.tsv").write_text("id\ten\tru\nt1\tBa\x0cku\tБаку\n", "utf-8")
    out = tmp_path / "g.tbx"
    res = run("glossary", "convert", tmp_path / "g.tsv", "-o", out)
    assert res.exit_code == 2 and "term t1 (en)" in res.stderr and "U+000C" in res.stderr
    assert "Traceback" not in res.output and not out.exists()
    assert_hint_exists(res.stderr, "glossary", "convert")
    res = run("glossary", "convert", tmp_path / "g.tsv", "-o", out, "--replace-invalid-chars")
    assert res.exit_code == 0, res.output
    assert "Ba\ufffdku" in out.read_text("utf-8")
    assert _replaced(res.stderr, out) == 1


# --- truncation -----------------------------------------------------------------------------

LONG = "The president of Azerbaijan met people in Baku today."


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "tmx"])
def test_cut_translation_is_warned_in_every_format(env, fmt):
    (env / "in.txt").write_text(f"Baku.\n\n{LONG}\n", "utf-8")
    res = run("translate", env / "in.txt", "--from", "en", "--to", "ru", "-o", env / "out",
              "--allow-fixture", "--format", fmt, "--max-length", "4")  # fmt: skip
    assert res.exit_code == 0, res.output
    warning = [ln for ln in res.stderr.splitlines() if "cut at the decoding limit" in ln]
    assert len(warning) == 1
    assert "in.txt: line 3: translation cut" in warning[0] and "--max-length 4" in warning[0]
    assert_hint_exists(warning[0], "translate")
    (out,) = (env / "out").iterdir()
    if fmt == "tmx":
        units = list(read_tmx(out, "en", "ru"))
        assert [u.props.get("truncated") for u in units] == [None, "yes"]
        assert [u.props.get("review") for u in units] == [None, "yes"]
        assert "decoding limit" in units[1].note
    elif fmt == "jsonl":
        recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
        assert [any("decoding limit" in n for n in r["notes"]) for r in recs] == [
            False,
            False,
            True,
        ]


def test_no_warning_without_a_cut(env):
    (env / "in.txt").write_text(f"{LONG}\n", "utf-8")
    res = run("translate", env / "in.txt", "--from", "en", "--to", "ru", "-o", env / "out",
              "--allow-fixture")  # fmt: skip
    assert res.exit_code == 0 and "decoding limit" not in res.stderr
