"""`align review`: export without a browser, input kinds, host rules, a real server killed and resumed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from review_helpers import GLOSSARY, ROOT, small_tmx

from align.aligner.formats import to_jsonl
from align.cli import main
from align.glossary import load_glossary
from align.model import Bead
from align.review import ReviewSession, open_source
from align.tmx import read_tmx, validate_tmx

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _edit_small(tmx: Path) -> None:
    """Accept 1 (after a glossary fix), edit 2's target, reject 3, merge 3+4 then undo, accept 4."""
    session = ReviewSession(open_source(tmx), load_glossary(GLOSSARY))
    session.act("fix", {"bead": 0})
    session.act("status", {"bead": 0, "status": "accepted"})
    session.act("edit", {"bead": 1, "side": "tgt", "texts": ["Баку и Москва вернут партнёрство."]})
    session.act("status", {"bead": 2, "status": "rejected"})
    session.act("merge", {"bead": 2})
    session.act("undo", {})
    session.close()


def test_export_applies_the_journal(tmp_path):
    tmx = small_tmx(tmp_path / "small.tmx")
    _edit_small(tmx)
    out = tmp_path / "reviewed.tmx"
    result = CliRunner().invoke(main, ["review", str(tmx), "--export", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 of 4 beads (1 rejected" in result.output
    assert validate_tmx(out) == []
    units = list(read_tmx(out, "en", "ru"))
    assert [u.tuid for u in units] == ["u1", "u2", "u4"]
    assert [u.props["review"] for u in units] == ["edited", "edited", "unreviewed"]
    assert units[0].target == "Саммит прошёл в Ханкенди."
    assert units[1].target == "Баку и Москва вернут партнёрство."
    # original scores kept
    assert [u.props["score"] for u in units] == ["0.9997", "0.9998", "0.9999"]
    assert all(u.props["origin"] == "aligned" for u in units)
    # The input is untouched; the journal beside it holds the edits.
    assert "Степанакерте" in tmx.read_text(encoding="utf-8")
    assert (tmp_path / "small.tmx.review.jsonl").exists()


def test_export_formats_and_regrouped_scores(tmp_path):
    tmx = small_tmx(tmp_path / "small.tmx")
    session = ReviewSession(open_source(tmx))
    session.act("merge", {"bead": 2})
    session.act("status", {"bead": 1, "status": "accepted"})
    session.close()
    runner = CliRunner()
    assert (
        runner.invoke(main, ["review", str(tmx), "--export", str(tmp_path / "r.tmx")]).exit_code
        == 0
    )
    units = list(read_tmx(tmp_path / "r.tmx", "en", "ru"))
    merged = units[2]
    assert merged.source == "It rained. The talks continue."
    assert merged.props["original-score"] == "0.4200,0.9999" and "score" not in merged.props
    assert merged.props["review"] == "edited" and merged.props["bead"] == "2-2"
    assert merged.tuid == "u3.r2"
    assert units[1].props["review"] == "accepted"
    assert (
        runner.invoke(main, ["review", str(tmx), "--export", str(tmp_path / "r.tsv")]).exit_code
        == 0
    )
    rows = (tmp_path / "r.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[1].split("\t") == [
        "Baku and Moscow will restore partnership.",
        "Баку и Москва восстановят партнёрство.",
        "0.9998",
        "accepted",
    ]
    assert rows[2].split("\t")[2:] == ["", "edited"]
    assert (
        runner.invoke(main, ["review", str(tmx), "--export", str(tmp_path / "r.jsonl")]).exit_code
        == 0
    )
    recs = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["x-review"] for r in recs] == ["unreviewed", "accepted", "edited"]
    assert recs[2]["src"] == [2, 3] and recs[2]["score"] is None and recs[2]["review"] is True
    bad = runner.invoke(main, ["review", str(tmx), "--export", str(tmp_path / "r.docx")])
    assert bad.exit_code == 2 and "must end in .tmx" in bad.output
    same = runner.invoke(main, ["review", str(tmx), "--export", str(tmx)])
    assert same.exit_code == 2 and "is the review input" in same.output


def test_jsonl_input_needs_languages(tmp_path):
    src = ["One.", "Two.", "Three."]
    tgt = ["Один.", "Два и три."]
    beads = [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.7, False)]
    path = tmp_path / "a.jsonl"
    path.write_text(to_jsonl(beads, src, tgt), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["review", str(path), "--export", str(tmp_path / "o.tsv")])
    assert r.exit_code == 2 and "give -s and -t" in r.output
    r = runner.invoke(
        main, ["review", str(path), "-s", "en", "-t", "ru", "--export", str(tmp_path / "o.tsv")]
    )
    assert r.exit_code == 0, r.output
    rows = (tmp_path / "o.tsv").read_text(encoding="utf-8").splitlines()
    assert rows == [
        "One.\tОдин.\t0.9000\tunreviewed",
        "Two. Three.\tДва и три.\t0.7000\tunreviewed",
    ]


def test_bad_inputs_and_hosts(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["review", str(tmp_path / "missing.tmx"), "--no-browser"])
    assert r.exit_code == 2 and "no such file" in r.output
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    r = runner.invoke(main, ["review", str(tmp_path / "notes.txt"), "--no-browser"])
    assert r.exit_code == 2 and "is not something align review opens" in r.output
    r = runner.invoke(main, ["review", str(tmp_path), "--no-browser"])
    assert r.exit_code == 2 and "no NAME.SRC-TGT.align" in r.output
    tmx = small_tmx(tmp_path / "small.tmx")
    r = runner.invoke(main, ["review", str(tmx), "--host", "0.0.0.0", "--no-browser"])
    assert r.exit_code == 2 and "--allow-remote" in r.output
    # A journal made for other content is refused, not silently misapplied.
    session = ReviewSession(open_source(tmx))
    session.act("status", {"bead": 0, "status": "accepted"})
    session.close()
    small_tmx(tmp_path / "other.tmx")
    text = (tmp_path / "other.tmx").read_text(encoding="utf-8").replace("Дождь", "Ливень")
    tmx.write_text(text, encoding="utf-8")
    r = runner.invoke(main, ["review", str(tmx), "--export", str(tmp_path / "x.tmx")])
    assert r.exit_code == 2 and "other content" in r.output and "review.jsonl" in r.output


def _start(tmx: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from align.cli import main; main()", "review", str(tmx),
         "--no-browser", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"open:\s+(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        if m:
            return proc, m.group(1)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read()}")


def _client(url: str) -> httpx.Client:
    """An HTTP client for the server at ``url`` (its ``/?token=`` link), sending the token."""
    base, token = url.split("/?token=")
    return httpx.Client(base_url=base, headers={"X-Align-Token": token})


def test_server_killed_between_edits_resumes(tmp_path):
    tmx = small_tmx(tmp_path / "small.tmx")
    proc, url = _start(tmx)
    try:
        with _client(url) as client:
            r = client.post(
                "/api/act", json={"op": "status", "args": {"bead": 1, "status": "accepted"}}
            )
            assert r.status_code == 200
            r = client.post("/api/act", json={"op": "split", "args": {"bead": 1}})
            assert r.status_code == 409  # refused: nothing to split
    finally:
        proc.kill()  # SIGKILL: no shutdown code runs
        proc.wait(10)
    proc, url = _start(tmx)
    try:
        with _client(url) as client:
            state = client.get("/api/state").json()
            assert [b.get("status", "") for b in state["beads"]] == ["", "accepted", "", ""]
            assert state["undo"] is True
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped by Ctrl-C; 1 edits are in the journal" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_inline_codes_are_announced_not_silently_dropped(tmp_path):
    tmx = tmp_path / "cat.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en-US" '
        'creationtool="x" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
        'adminlang="en-US" o-tmf="x"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>Сохранить<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    source = open_source(tmx)
    assert source.inline_codes == 4
    assert source.doc.lines["src"] == ["Press Save."]
    session = ReviewSession(source, journal=False)
    assert any("4 inline code(s)" in n for n in session.meta()["notes"])
    r = CliRunner().invoke(main, ["review", str(tmx), "--export", str(tmp_path / "o.tmx")])
    assert r.exit_code == 0 and "holds 4 inline code(s)" in r.output


def test_old_journal_with_a_control_character_still_exports(tmp_path):
    """An edit journalled as typed (U+0001) by an earlier version no longer blocks export."""
    tmx = small_tmx(tmp_path / "small.tmx")
    session = ReviewSession(open_source(tmx))
    session.act("edit", {"bead": 0, "side": "tgt", "texts": ["Саммит прошёл в Ханкенди."]})
    session.close()
    journal = tmp_path / "small.tmx.review.jsonl"
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text.replace("в Ханкенди", "в\\u0001Ханкенди"), encoding="utf-8")
    out = tmp_path / "b1.reviewed.tmx"
    r = CliRunner().invoke(main, ["review", str(tmx), "--export", str(out)])
    assert r.exit_code == 0, r.output
    assert next(iter(read_tmx(out, "en", "ru"))).target == "Саммит прошёл в Ханкенди."


def test_control_character_of_the_input_export_error_says_what_to_do(tmp_path):
    beads = [Bead((0,), (0,), 0.9)]
    path = tmp_path / "a.jsonl"
    path.write_text(to_jsonl(beads, ["One\x01."], ["Один."]), encoding="utf-8")
    args = ["review", str(path), "-s", "en", "-t", "ru", "--export", str(tmp_path / "o.tmx")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2 and "U+0001" in r.output and "edit that text here" in r.output
    session = ReviewSession(open_source(path, "en", "ru"))
    session.act("edit", {"bead": 0, "side": "src", "texts": ["One\x01."]})  # the fix
    session.close()
    assert CliRunner().invoke(main, args).exit_code == 0


def test_help_says_how_stopping_exits():
    out = CliRunner().invoke(main, ["review", "--help"]).output
    assert "exits 0" in out and "SIGTERM" in out and "130" in out and "143" in out


def test_server_stopped_by_sigterm_exits_0_with_the_journal_complete(tmp_path):
    tmx = small_tmx(tmp_path / "small.tmx")
    proc, url = _start(tmx)
    try:
        with _client(url) as client:
            body = {"op": "edit", "args": {"bead": 1, "side": "tgt", "texts": ["Да\x01."]}}
            assert client.post("/api/act", json=body).status_code == 200
            bad = b'{"op":"edit","args":{"bead":1e400,"side":"tgt","texts":["x"]}}'
            json_type = {"Content-Type": "application/json"}
            assert client.post("/api/act", content=bad, headers=json_type).status_code == 400
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped by SIGTERM; 1 edits are in the journal" in out and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    lines = (tmp_path / "small.tmx.review.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["patch"]["text"][0][3] == "Да ."
