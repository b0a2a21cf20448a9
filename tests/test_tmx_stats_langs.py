"""``tmx stats`` takes each unit's source ``<tuv>`` as the reader does (exact tag first)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from align.cli import main
from align.tmx import read_tmx, tmx_stats


def run(*args: object):
    return CliRunner().invoke(main, ["tmx", *map(str, args)])


def test_stats_counts_only_the_source_side_of_a_regional_memory(tmp_path):
    """en -> en-GB: both tags match ``en`` loosely, but only the ``en`` tuv is the source."""
    (tmp_path / "en.txt").write_text("Colour me.\nHello.\n", "utf-8")
    (tmp_path / "gb.txt").write_text("Colour me, mate.\nHullo.\n", "utf-8")
    out = tmp_path / "engb.tmx"
    res = run("export", "--src", tmp_path / "en.txt", "--tgt", tmp_path / "gb.txt",
              "-s", "en", "-t", "en-GB", "-o", out)  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(run("stats", out, "-f", "json").stdout)
    assert data["source_chars"] == len("Colour me.") + len("Hello.")
    assert data["languages"] == {"en": 2, "en-GB": 2} and data["single_language"] == 0


TU = "<tu>{}</tu>"
TUV = '<tuv xml:lang="{}"><seg>{}</seg></tuv>'


@pytest.mark.parametrize(
    ("tuvs", "source"),
    [
        ((("en-GB", "Hullo there."), ("en", "Hello.")), "Hello."),  # exact tag, not position
        ((("en-US", "Howdy."), ("en-GB", "Hullo there.")), "Howdy."),  # no en: the first match
        ((("ru", "Привет."), ("en", "Hi.")), "Hi."),
        ((("en", "Hi."), ("en", "Hello again.")), "Hi."),  # one source per unit
    ],
)
def test_stats_source_is_the_readers_source(tmp_path, tuvs, source):
    body = TU.format("".join(TUV.format(lang, text) for lang, text in tuvs))
    path = tmp_path / "m.tmx"
    path.write_text(f'<tmx version="1.4"><header srclang="en"/><body>{body}</body></tmx>', "utf-8")
    assert tmx_stats(path).source_chars == len(source)
    other = next(lang for lang, text in tuvs if text != source)
    assert [u.source for u in read_tmx(path, "en", other)] == [source]
