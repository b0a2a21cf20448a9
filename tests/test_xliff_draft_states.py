"""An MT draft stays an unreviewed draft through XLIFF 2.x, as through 1.2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree
from xliff_checks import check_xliff21

from align.cli import main
from align.model import Bead, TranslationUnit
from align.tmx import read_tmx
from align.tmx.beads import to_xliff_units, write_alignment
from align.tmx.reviewstate import needs_review
from align.xliff import XliffFile, read_xliff, write_xliff
from align.xliff.drafts import MT_STATE
from align.xliff.inline import NS12, NS20

STATES = [MT_STATE, "needs-review-l10n", "translated", "signed-off", "final", "needs-translation"]


def _units() -> list[TranslationUnit]:
    return [TranslationUnit(f"Line {n}.", f"Строка {n}.", "en", "ru", tuid=str(n), state=s)
            for n, s in enumerate(STATES)]  # fmt: skip


def _write(path, version: str, units: list[TranslationUnit] | None = None):
    write_xliff(path, [XliffFile("a.txt", "en", "ru", units or _units())], version)
    return path


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_states_read_back_as_written(tmp_path, version):
    path = _write(tmp_path / "a.xlf", version)
    assert [u.state for u in read_xliff(path).units] == STATES
    if version == "2.1":
        check_xliff21(path)  # subState is a valid XLIFF 2 attribute


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_drafts_are_to_review_after_export_to_tmx(tmp_path, version):
    """``tmx stats`` and --skip-review see the same drafts whichever XLIFF version carried them."""
    path = _write(tmp_path / "a.xlf", version)
    full, kept = tmp_path / "full.tmx", tmp_path / "kept.tmx"
    assert CliRunner().invoke(main, ["tmx", "export", str(path), "-o", str(full)]).exit_code == 0
    res = CliRunner().invoke(main, ["tmx", "export", str(path), "-o", str(kept), "--skip-review"])
    assert res.exit_code == 0, res.output
    drafts = {"Line 0.", "Line 1.", "Line 5."}
    flagged = {u.source for u in read_tmx(full, "en", "ru") if needs_review(u.props)}
    assert flagged == drafts
    assert {u.source for u in read_tmx(kept, "en", "ru")} == {f"Line {n}." for n in (2, 3, 4)}
    stats = CliRunner().invoke(main, ["tmx", "stats", str(full), "-f", "json"]).stdout
    assert json.loads(stats)["review"] == len(drafts)


@pytest.mark.parametrize(("first", "second"), [("2.1", "1.2"), ("1.2", "2.1")])
def test_states_survive_a_change_of_xliff_version(tmp_path, first, second):
    units = read_xliff(_write(tmp_path / "a.xlf", first)).units
    again = read_xliff(_write(tmp_path / "b.xlf", second, units)).units
    assert [u.state for u in again] == STATES


def test_a_12_file_never_gets_a_20_only_state(tmp_path):
    """2.x ``initial``/``reviewed`` are no 1.2 states: written as their 1.2 equivalents."""
    units = [TranslationUnit("A.", "А.", "en", "ru", tuid="1", state="initial"),
             TranslationUnit("B.", "Б.", "en", "ru", tuid="2", state="reviewed")]  # fmt: skip
    root = etree.parse(str(_write(tmp_path / "a.xlf", "1.2", units))).getroot()
    states = [t.get("state") for t in root.iter(f"{{{NS12}}}target")]
    assert states == ["needs-translation", "signed-off"]
    approved = [tu.get("approved") for tu in root.iter(f"{{{NS12}}}trans-unit")]
    assert approved == [None, "yes"]


def _edit20(path, state: str | None, substate: str | None) -> None:
    tree = etree.parse(str(path))
    seg = tree.getroot().find(f".//{{{NS20}}}segment")
    for key, value in (("state", state), ("subState", substate)):
        if value is None:
            seg.attrib.pop(key, None)
        else:
            seg.set(key, value)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_a_2x_draft_is_written_initial_with_its_12_state_in_substate(tmp_path):
    path = _write(tmp_path / "a.xlf", "2.1")
    segs = etree.parse(str(path)).findall(f".//{{{NS20}}}segment")
    assert [dict(s.attrib) for s in segs] == [
        {"state": "initial", "subState": "align:needs-review-translation"},
        {"state": "initial", "subState": "align:needs-review-l10n"},
        {"state": "translated"},
        {"state": "reviewed", "subState": "align:signed-off"},
        {"state": "final"},
        {"state": "initial", "subState": "align:needs-translation"},
    ]
    notes = etree.parse(str(path)).findall(f".//{{{NS20}}}note")
    assert notes == []  # no "needs review" note: the state says it, and a tool would keep it


@pytest.mark.parametrize(
    ("state", "substate", "expected"),
    [
        ("initial", "align:needs-review-translation", MT_STATE),  # as written: still a draft
        ("translated", "align:needs-review-translation", "translated"),  # confirmed, subState kept
        ("translated", None, "translated"),  # confirmed, subState dropped
        ("final", None, "final"),  # a CAT tool finished it and dropped subState
        ("reviewed", "align:needs-review-translation", "reviewed"),  # stale subState: state wins
        ("initial", "other:thing", "initial"),  # another authority's subState: 2.x state
        ("initial", None, "initial"),
    ],
)
def test_2x_draft_as_a_cat_tool_left_it(tmp_path, state, substate, expected):
    path = _write(tmp_path / "a.xlf", "2.1", _units()[:1])
    _edit20(path, state, substate)
    assert [u.state for u in read_xliff(path).units] == [expected]


def _tt_confirm(path, keep: set[int]) -> None:
    """What a 2.x CAT tool does (Translate Toolkit): confirm every unit but those in ``keep``.

    ``marktranslated`` sets ``state="translated"`` and leaves ``subState`` as it was.
    """
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsestring(path.read_bytes())
    for n, unit in enumerate(store.units):
        if n not in keep and unit.target:
            unit.marktranslated()
    path.write_bytes(bytes(store))


def test_a_draft_confirmed_in_a_2x_tool_is_post_edited_work(tmp_path):
    """Confirmed drafts read back ``translated`` and --skip-review exports them; the draft
    left unconfirmed stays a draft and is left out."""
    units = [TranslationUnit(f"Line {n}.", f"Строка {n}.", "en", "ru", tuid=str(n), state=MT_STATE,
                             props={"origin": "mt:translate-en_ru"}) for n in range(3)]  # fmt: skip
    path = _write(tmp_path / "a.xlf", "2.1", units)
    _tt_confirm(path, keep={1})
    segs = etree.parse(str(path)).findall(f".//{{{NS20}}}segment")
    assert [dict(s.attrib) for s in segs] == [
        {"state": "translated", "subState": "align:needs-review-translation"},
        {"state": "initial", "subState": "align:needs-review-translation"},
        {"state": "translated", "subState": "align:needs-review-translation"},
    ]
    assert [u.state for u in read_xliff(path).units] == ["translated", MT_STATE, "translated"]
    kept = tmp_path / "kept.tmx"
    res = CliRunner().invoke(main, ["tmx", "export", str(path), "-o", str(kept), "--skip-review"])
    assert res.exit_code == 0, res.output
    assert [(u.source, u.props["state"]) for u in read_tmx(kept, "en", "ru")] == [
        ("Line 0.", "translated"),
        ("Line 2.", "translated"),
    ]


# Drafts as earlier versions of align wrote them in 2.x: "translated" with a review note
# (and, in one version, the 1.2 state in subState as well).
OLD_20 = """<?xml version='1.0' encoding='UTF-8'?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="ru">
  <file id="f1" original="a.txt">
    <unit id="1">
      <notes>
        <note category="review">needs review: translation</note>
        <note category="align">MT draft by translate-en_ru</note>
      </notes>
      <segment {attrs}>
        <source xml:space="preserve">Line 1.</source>
        <target xml:space="preserve">Строка 1.</target>
      </segment>
    </unit>
    <unit id="2">
      <segment state="translated">
        <source xml:space="preserve">Line 2.</source>
        <target xml:space="preserve">Строка 2.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""


@pytest.mark.parametrize(
    "attrs",
    ['state="translated"', 'state="translated" subState="align:needs-review-translation"'],
    ids=["review-note", "review-note-and-substate"],
)
def test_older_2x_drafts_still_read_as_drafts(tmp_path, attrs):
    path = tmp_path / "old.xlf"
    path.write_text(OLD_20.format(attrs=attrs), "utf-8")
    assert [u.state for u in read_xliff(path).units] == [MT_STATE, "translated"]
    kept = tmp_path / "kept.tmx"
    res = CliRunner().invoke(main, ["tmx", "export", str(path), "-o", str(kept), "--skip-review"])
    assert res.exit_code == 0, res.output
    assert [u.source for u in read_tmx(kept, "en", "ru")] == ["Line 2."]


# --- `align align -f xliff`: the aligner's review flag is the target's state -----------------

A_SRC = ["The museum opens at ten.", "Tickets cost 15 euros.", "Thank you!", "Read more"]
A_TGT = ["Музей открывается в десять.", "Билеты стоят 15 евро.", "Спасибо!"]
A_BEADS = [Bead((0,), (0,), 0.99, False), Bead((1,), (1,), 0.41, True),
           Bead((2,), (2,), 0.98, False), Bead((3,), (), 0.5, True)]  # fmt: skip


def test_a_flagged_aligned_pair_needs_review_and_is_not_mt(tmp_path):
    out = tmp_path / "a.xlf"
    write_alignment(out, "xliff", A_BEADS, A_SRC, A_TGT, "en", "ru")
    targets = etree.parse(str(out)).findall(f".//{{{NS12}}}target")
    assert [t.attrib for t in targets] == [
        {"state": "translated"},
        {"state": "needs-review-translation"},  # no state-qualifier: not leveraged MT
        {"state": "translated"},
    ]
    units = read_xliff(out).units
    assert [(u.tuid, u.state) for u in units] == [
        ("1", "translated"), ("2", "needs-review-translation"), ("3", "translated"),
        ("unmatched-4", None),
    ]  # fmt: skip
    assert "REVIEW: the aligner flagged this pair" in units[1].note


def test_in_xliff_21_the_flag_reads_back_through_substate(tmp_path):
    units = to_xliff_units(A_BEADS, A_SRC, A_TGT, "en", "ru")
    path = _write(tmp_path / "a.xlf", "2.1", units)
    check_xliff21(path)
    segs = etree.parse(str(path)).findall(f".//{{{NS20}}}segment")
    assert [s.attrib for s in segs[:3]] == [
        {"state": "translated"},
        {"state": "initial", "subState": "align:needs-review-translation"},
        {"state": "translated"},
    ]
    assert [u.state for u in read_xliff(path).units] == [
        "translated",
        "needs-review-translation",
        "translated",
        None,
    ]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_skip_review_leaves_out_what_the_aligner_flagged_via_xliff_as_via_jsonl(tmp_path, version):
    xlf, jsonl = tmp_path / "a.xlf", tmp_path / "a.jsonl"
    _write(xlf, version, to_xliff_units(A_BEADS, A_SRC, A_TGT, "en", "ru"))
    write_alignment(jsonl, "jsonl", A_BEADS, A_SRC, A_TGT, "en", "ru")
    runner = CliRunner()
    kept = {}
    for source in (xlf, jsonl):
        out = tmp_path / f"{source.suffix[1:]}.tmx"
        args = ["tmx", "export", str(source), "-s", "en", "-t", "ru", "-o", str(out)]
        full = tmp_path / f"{source.suffix[1:]}-full.tmx"
        assert runner.invoke(main, [*args, "--skip-review"]).exit_code == 0
        assert runner.invoke(main, [*args[:-1], str(full)]).exit_code == 0
        stats = json.loads(runner.invoke(main, ["tmx", "stats", str(full), "-f", "json"]).stdout)
        assert (stats["units"], stats["review"]) == (3, 1)
        kept[source.suffix] = [u.source for u in read_tmx(out, "en", "ru")]
    assert kept[".xlf"] == kept[".jsonl"] == [A_SRC[0], A_SRC[2]]
