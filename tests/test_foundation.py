"""Shared building blocks: atomic writes, vecalign bead I/O, CLI error handling."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from align.aligner.beadio import format_vecalign, parse_vecalign
from align.errors import InputError
from align.fsutil import atomic_write
from align.model import Bead


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(out) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_replaces_on_success(tmp_path):
    out = tmp_path / "sub" / "out.txt"
    with atomic_write(out) as fh:
        fh.write("new")
    assert out.read_text(encoding="utf-8") == "new"


beads = st.lists(
    st.builds(
        Bead,
        st.lists(st.integers(0, 500), max_size=3).map(tuple),
        st.lists(st.integers(0, 500), max_size=3).map(tuple),
        st.floats(-10, 10, allow_nan=False).map(lambda x: round(x, 6)),
    ),
    max_size=20,
)


@given(beads)
def test_vecalign_round_trip(bs):
    assert parse_vecalign(format_vecalign(bs)) == bs


def test_vecalign_bad_line_names_file_and_line():
    with pytest.raises(InputError) as err:
        parse_vecalign("[0]:[0]:0.1\nnonsense\n", "gold.txt")
    assert err.value.message.startswith("gold.txt: line 2")


def test_bead_kind():
    assert Bead((0, 1), (2,)).kind == "2-1"
    assert Bead((), (3,)).kind == "0-1"


def test_cli_version():
    from align.cli import main

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "align" in result.output
