"""What ``align review --export`` writes back, and what a reopened export keeps.

The trial's faults: an export collapsed the white space of beads nobody touched
(a double space of the input's Ukrainian line came out as one space in the
reviewed jsonl and TMX, while ``tmx export``, TSV and XLIFF kept it); and ``tmx
export`` of a reviewed jsonl named the beads' lines ``x-source-segments`` /
``x-target-segments`` where ``align review`` reads ``x-source-lines`` /
``x-target-lines``, so the reopened TMX numbered its beads by unit (a 2-1 bead
came back as ``src [8] tgt [8]``) and the scores lost two decimals.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_helpers import small_tmx

from align.cli import main
from align.review import ReviewSession, open_source
from align.tmx import read_tmx


def cli(*args: object):
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


ODD = "Він  зупинився\tна колекціонуванні  тільки "  # double spaces, a tab, a trailing space
BEADS = [
    {"src": [0], "tgt": [0], "src_text": "He  stopped at\tcollecting ", "tgt_text": ODD,
     "score": 0.9876, "review": False, "kind": "1-1"},
    {"src": [1], "tgt": [1], "src_text": "The  bridge  closed.", "tgt_text": "Міст  закрили.",
     "score": 0.9999, "review": False, "kind": "1-1"},
    {"src": [2], "tgt": [2], "src_text": "A\x0bform feed.", "tgt_text": "Подача\x0bформи.",
     "score": 0.9, "review": False, "kind": "1-1"},
]  # fmt: skip


@pytest.fixture
def beads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _write_jsonl(tmp_path / "beads.jsonl", BEADS)
    session = ReviewSession(open_source(path, "en", "uk"))
    session.act("edit", {"bead": 1, "side": "tgt", "texts": ["Міст   закрили  вчора."]})
    session.act("status", {"bead": 0, "status": "accepted"})
    session.close()
    return path


def test_unedited_text_is_exported_exactly_and_an_edit_as_edited(beads):
    session = ReviewSession(open_source(beads, "en", "uk"), journal=False)
    assert session.doc.lines["tgt"][0] == " ".join(ODD.split())  # the page shows it tidied
    cli("review", beads, "-s", "en", "-t", "uk", "--export", "out.jsonl")
    recs = _records(Path("out.jsonl"))
    assert (recs[0]["src_text"], recs[0]["tgt_text"]) == (BEADS[0]["src_text"], ODD)
    assert recs[0]["x-review"] == "accepted"
    # the edited side as edited (white space runs as one space); its other side as given
    assert (recs[1]["src_text"], recs[1]["tgt_text"]) == (
        "The  bridge  closed.",
        "Міст закрили вчора.",
    )
    assert recs[1]["x-review"] == "edited"
    assert recs[2]["tgt_text"] == "Подача\x0bформи."  # jsonl holds any character
    cli("review", beads, "-s", "en", "-t", "uk", "--export", "out.tmx")
    units = list(read_tmx("out.tmx", "en", "uk"))
    assert (units[0].source, units[0].target) == (BEADS[0]["src_text"], ODD)
    assert (units[1].source, units[1].target) == ("The  bridge  closed.", "Міст закрили вчора.")
    # XML cannot hold a VT: a space, as the export always wrote it; the rest as given
    assert (units[2].source, units[2].target) == ("A form feed.", "Подача форми.")
    cli("review", beads, "-s", "en", "-t", "uk", "--export", "out.tsv")
    row = Path("out.tsv").read_text("utf-8").splitlines()[0].split("\t")
    assert row[:2] == ["He  stopped at collecting ", ODD.replace("\t", " ")]  # a cell holds no tab


def test_a_reviewed_tmx_keeps_the_text_of_its_units(tmp_path):
    tmx = tmp_path / "odd.tmx"
    cli("tmx", "export", _write_jsonl(tmp_path / "b.jsonl", BEADS[:2]), "-s", "en", "-t", "uk",
        "-o", tmx)  # fmt: skip
    assert next(iter(read_tmx(tmx, "en", "uk"))).target == ODD
    cli("review", tmx, "--export", tmp_path / "again.tmx")
    units = list(read_tmx(tmp_path / "again.tmx", "en", "uk"))
    assert [(u.source, u.target) for u in units] == [
        (b["src_text"], b["tgt_text"]) for b in BEADS[:2]
    ]
    small = small_tmx(tmp_path / "small.tmx")  # a CAT tool's TMX: unchanged as before
    cli("review", small, "--export", tmp_path / "small.out.tmx")
    assert [(u.source, u.target) for u in read_tmx(tmp_path / "small.out.tmx", "en", "ru")] == [
        (u.source, u.target) for u in read_tmx(small, "en", "ru")
    ]


EN = "The museum opens at 10 a.m.\nShare this page\nTickets cost 15 euros. Children enter for free.\nThank you!\n"
UK = "Музей відкривається о 10 ранку.\nКвитки коштують 15 євро.\nДіти проходять безкоштовно.\nДякуємо!\n"


def test_line_numbers_and_kinds_survive_align_review_tmx_export_review(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    Path("a.en").write_text(EN, "utf-8")
    Path("a.uk").write_text(UK, "utf-8")
    cli("align", "a.en", "a.uk", "-s", "en", "-t", "uk", "-o", "beads.jsonl")
    aligned = _records(Path("beads.jsonl"))
    assert any(len(r["tgt"]) == 2 for r in aligned)  # a 1-2 bead to keep
    cli("review", "beads.jsonl", "-s", "en", "-t", "uk", "--export", "reviewed.jsonl")
    cli("tmx", "export", "reviewed.jsonl", "-s", "en", "-t", "uk", "-o", "r.tmx")
    units = list(read_tmx("r.tmx", "en", "uk"))
    paired = [r for r in aligned if r["src"] and r["tgt"]]  # a TMX holds pairs only
    assert [(u.props["source-lines"], u.props["target-lines"]) for u in units] == [
        (",".join(map(str, r["src"])), ",".join(map(str, r["tgt"]))) for r in paired
    ]
    assert [u.props["score"] for u in units] == [f"{r['score']:.4f}" for r in paired]
    cli("review", "r.tmx", "--export", "again.jsonl")
    again = _records(Path("again.jsonl"))
    keys = ("src", "tgt", "kind", "src_text", "tgt_text", "score")
    assert [{k: r[k] for k in keys} for r in again] == [{k: r[k] for k in keys} for r in paired]


def test_a_tmx_export_of_an_earlier_version_reopens_with_its_lines(tmp_path):
    """``tmx export`` wrote ``x-source-segments``/``x-target-segments`` before: read as lines,
    and a review export writes them under the one name."""
    tmx = tmp_path / "old.tmx"
    cli("tmx", "export", _write_jsonl(tmp_path / "b.jsonl", [
        {"src": [0, 1], "tgt": [0], "src_text": "One. Two.", "tgt_text": "Один і два.",
         "score": 0.97, "kind": "2-1"},
        {"src": [2], "tgt": [1, 2], "src_text": "Three.", "tgt_text": "Три. Так.",
         "score": 0.95, "kind": "1-2"},
    ]), "-s", "en", "-t", "uk", "-o", tmx)  # fmt: skip
    text = tmx.read_text("utf-8")
    tmx.write_text(text.replace("x-source-lines", "x-source-segments").replace(
        "x-target-lines", "x-target-segments"), "utf-8")  # fmt: skip
    cli("review", tmx, "--export", tmp_path / "again.jsonl")
    got = [(r["src"], r["tgt"], r["kind"]) for r in _records(tmp_path / "again.jsonl")]
    assert got == [([0, 1], [0], "2-1"), ([2], [1, 2], "1-2")]
    cli("review", tmx, "--export", tmp_path / "again.tmx")
    props = [u.props for u in read_tmx(tmp_path / "again.tmx", "en", "uk")]
    assert [(p["source-lines"], p["target-lines"]) for p in props] == [("0,1", "0"), ("2", "1,2")]
    assert not any("source-segments" in p for p in props)
