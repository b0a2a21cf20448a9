"""``align align -f xliff``: target-only lines reach the reviewer as notes."""

from __future__ import annotations

from lxml import etree
from xliff_checks import check_xliff12

from align.model import Bead
from align.tmx.beads import to_xliff_units, write_alignment

SRC = ["The museum opens at ten.", "Tickets cost 15 euros.", "Thank you!"]
TGT = ["Подпишитесь на рассылку.", "Музей открывается в десять.", "Билеты стоят", "15 евро.",
       "Спасибо!", "Читайте также"]  # fmt: skip
BEADS = [
    Bead((), (0,), 0.9, True),  # target-only before any unit
    Bead((0,), (1,), 0.99, False),
    Bead((1,), (2,), 0.6, True),  # half of a split sentence ...
    Bead((), (3,), 0.7, True),  # ... whose other half is target-only
    Bead((2,), (4,), 0.99, False),
    Bead((), (5,), 0.9, False),  # target-only at the end
]


def test_every_target_only_line_is_in_a_note_next_to_where_it_was():
    units = to_xliff_units(BEADS, SRC, TGT, "en", "ru")
    assert [u.tuid for u in units] == ["1", "2", "3"]
    assert "target-only line 1, in no unit: Подпишитесь на рассылку." in units[0].note
    assert "target-only line 4, in no unit: 15 евро." in units[1].note
    assert "target-only line 6, in no unit: Читайте также" in units[2].note
    notes = "\n".join(u.note or "" for u in units)
    assert all(t in notes or any(t == u.target for u in units) for t in TGT), "no line is lost"


def test_the_xliff_file_carries_the_notes(tmp_path):
    out = tmp_path / "a.xlf"
    write_alignment(out, "xliff", BEADS, SRC, TGT, "en", "ru")
    check_xliff12(out)
    notes = " ".join(n.text or "" for n in etree.parse(str(out)).iter("{*}note"))
    assert "15 евро." in notes and "Читайте также" in notes and "Подпишитесь" in notes


def test_a_flagged_target_only_line_flags_the_unit_that_carries_it():
    """The trial: a flagged 0-1 line became a note on a unit left `translated`, so a
    reviewer filtering on needs-review never saw it."""
    units = to_xliff_units(BEADS, SRC, TGT, "en", "ru")
    assert [u.state for u in units] == [
        "needs-review-translation",  # carries line 1, flagged (the unit itself was not)
        "needs-review-translation",  # flagged itself, and carries flagged line 4
        "translated",  # carries line 6, which the aligner did not flag
    ]
    assert units[0].note.splitlines() == [
        "aligner score: 0.9900",
        "aligner bead: 1-1",
        "target-only line 1, in no unit: Подпишитесь на рассылку.",
        "REVIEW: the aligner flagged a target-only line beside this unit: it may belong to "
        "this pair or a neighbour (target-only line 1)",
    ]
    assert "REVIEW: the aligner flagged a target-only" not in units[2].note


def test_the_flag_survives_xliff_2_and_skip_review(tmp_path):
    from click.testing import CliRunner

    from align.cli import main
    from align.tmx import read_tmx
    from align.xliff import XliffFile, read_xliff, write_xliff

    units = to_xliff_units(BEADS, SRC, TGT, "en", "ru")
    write_xliff(tmp_path / "a2.xlf", [XliffFile("a.txt", "en", "ru", units)], "2.1")
    seg = next(etree.parse(str(tmp_path / "a2.xlf")).iter("{*}segment"))
    assert (seg.get("state"), seg.get("subState")) == ("initial", "align:needs-review-translation")
    first = read_xliff(tmp_path / "a2.xlf").files[0].units[0]
    assert first.state == "needs-review-translation"
    out = tmp_path / "a.xlf"
    write_alignment(out, "xliff", BEADS, SRC, TGT, "en", "ru")
    res = CliRunner().invoke(main, ["tmx", "export", str(out), "-o", str(tmp_path / "k.tmx"),
                                    "--skip-review"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert [u.source for u in read_tmx(tmp_path / "k.tmx", "en", "ru")] == ["Thank you!"]
    assert "left out 2 still to review (--skip-review)" in res.stderr
