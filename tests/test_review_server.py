"""align review's server without a browser: token, Host, Origin and path rules; actions journalled."""

from __future__ import annotations

import json

import pytest
from review_helpers import GLOSSARY, small_tmx
from starlette.testclient import TestClient

from align.glossary import load_glossary
from align.review import ReviewSession, open_source
from align.review.server import COOKIE, allowed_hosts, create_app
from align.xmlsafe import first_invalid_char

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "t0k3n-for-tests"
BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


@pytest.fixture
def setup(tmp_path, glossary):
    tmx = small_tmx(tmp_path / "small.tmx")
    session = ReviewSession(open_source(tmx), glossary)
    app = create_app(session, TOKEN, allowed_hosts("127.0.0.1", 8765))
    client = TestClient(app, base_url=BASE)
    yield tmp_path, session, client
    session.close()


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_every_route_needs_the_token(setup):
    _, _, client = setup
    for method, url in [
        ("get", "/"),
        ("get", "/api/state"),
        ("get", "/static/review.js"),
        ("post", "/api/act"),
        ("post", "/api/export"),
    ]:
        r = getattr(client, method)(url)
        assert r.status_code == 403, url
        assert "token" in r.json()["error"]
        r = getattr(client, method)(url, headers={"X-Align-Token": "wrong"})
        assert r.status_code == 403, url
    assert client.get("/api/state", params={"token": TOKEN}).status_code == 200
    assert client.get("/api/state", headers={"X-Align-Token": TOKEN}).status_code == 200


def test_first_page_load_sets_a_strict_cookie(setup):
    _, _, client = setup
    r = client.get("/", params={"token": TOKEN})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert (
        f"{COOKIE}={TOKEN}" in cookie
        and "HttpOnly" in cookie
        and "samesite=strict" in cookie.lower()
    )
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert 'name="viewport"' in r.text
    # the cookie alone now works
    assert client.get("/api/state").status_code == 200
    assert client.get("/static/review.css").headers["content-type"].startswith("text/css")


def test_foreign_origin_host_and_cross_site_are_refused(setup):
    _, session, client = setup
    auth = {"X-Align-Token": TOKEN}
    body = {"op": "status", "args": {"bead": 0, "status": "accepted"}}
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "http://localhost:8765"},  # another origin, even if on this machine
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Host": "evil.example:8765"},  # DNS rebinding
    ):
        r = client.post("/api/act", json=body, headers={**auth, **headers})
        assert r.status_code == 403, headers
    assert session.doc.beads[0].status == ""
    ok = client.post("/api/act", json=body, headers={**auth, "Origin": BASE})
    assert ok.status_code == 200
    assert session.doc.beads[0].status == "accepted"


def test_no_route_reads_or_writes_another_path(setup, tmp_path):
    folder, _, client = setup
    auth = {"X-Align-Token": TOKEN}
    (folder / "secret.txt").write_text("secret", encoding="utf-8")
    for url in (
        "/static/../../secret.txt",
        "/static/..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/review.html",
        "/secret.txt",
        "/api/state/../../secret.txt",
    ):
        r = client.get(url, headers=auth)
        assert r.status_code in (404, 405), url
        assert "secret" not in r.text
    before = _files(folder)
    r = client.post("/api/export", json={"path": str(tmp_path / "elsewhere.tmx")}, headers=auth)
    assert r.status_code == 400 and "fixed" in r.json()["error"]
    r = client.post(
        "/api/act",
        json={"op": "status", "args": {"bead": 1, "status": "accepted", "path": "/etc/x"}},
        headers=auth,
    )
    assert r.status_code == 200
    assert _files(folder) == before  # journal already existed; nothing new anywhere
    r = client.post("/api/export", json={}, headers=auth)
    assert r.status_code == 200 and r.json()["path"] == "small.reviewed.tmx"
    assert _files(folder) == sorted([*before, "small.reviewed.tmx"])
    assert set(_files(folder)) == {
        "small.tmx",
        "small.tmx.review.jsonl",
        "small.reviewed.tmx",
        "secret.txt",
    }


def test_actions_are_journalled_before_the_reply(setup):
    folder, _, client = setup
    auth = {"X-Align-Token": TOKEN}
    state = client.get("/api/state", headers=auth).json()
    assert state["meta"]["src_lang"] == "en" and state["counts"]["beads"] == 4
    first = state["beads"][0]
    # The forbidden rendering is marked on the target; the source term neutrally.
    assert [g[3] for g in first["gt"]] == ["forbidden"] and first["gs"] and first["fix"]
    assert {r["code"] for r in first["reasons"]} == {"glossary"}
    codes = {r["code"] for r in state["beads"][2]["reasons"]}
    assert codes == {"low", "length"}
    assert "reasons" not in state["beads"][1]  # empty fields are left out

    journal = folder / "small.tmx.review.jsonl"
    r = client.post("/api/act", json={"op": "fix", "args": {"bead": 0}}, headers=auth).json()
    assert r["insert"][0]["tgt"] == ["Саммит прошёл в Ханкенди."]
    assert "reasons" not in r["insert"][0]
    entries = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()]
    assert entries[-1]["op"] == "fix" and entries[0]["format"] == "align-review-journal"
    r = client.post("/api/act", json={"op": "merge", "args": {"bead": 1}}, headers=auth)
    assert r.status_code == 200 and r.json()["remove"] == 2
    r = client.post(
        "/api/act", json={"op": "merge", "args": {"bead": 3, "direction": "next"}}, headers=auth
    )
    assert r.status_code == 409 and "no next bead" in r.json()["error"]
    r = client.post("/api/act", json={"op": "rm -rf", "args": {}}, headers=auth)
    assert r.status_code == 400 and "unknown action" in r.json()["error"]  # malformed, not stale
    r = client.post("/api/act", content=b"op=merge", headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 415
    n_lines = len(journal.read_text(encoding="utf-8").splitlines())
    assert n_lines == 3  # header, fix, merge: refused actions are not journalled


def test_large_inputs_get_glossary_marks_after_the_page(tmp_path, glossary):
    tmx = small_tmx(tmp_path / "small.tmx")
    session = ReviewSession(open_source(tmx), glossary)
    session._warming = True  # as while warm()'s thread is checking terms
    first = json.loads(session.state_json())
    assert first["pending"] is True and "gt" not in first["beads"][0]
    session._warming = False
    session.warm().join(30)
    client = TestClient(create_app(session, TOKEN, allowed_hosts("127.0.0.1", 8765)), base_url=BASE)
    auth = {"X-Align-Token": TOKEN}
    assert client.get("/api/pending", headers=auth).json() == {"pending": False}
    done = client.get("/api/state", headers=auth).json()
    assert done["pending"] is False and [g[3] for g in done["beads"][0]["gt"]] == ["forbidden"]
    assert {r["code"] for r in done["beads"][0]["reasons"]} == {"glossary"}
    session.close()


def _journal(folder) -> list[str]:
    return (folder / "small.tmx.review.jsonl").read_text(encoding="utf-8").splitlines()


def _strings(obj):
    """Every string inside a parsed JSON value (json.dumps would escape control characters)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def test_text_xml_cannot_store_never_reaches_the_journal(setup):
    folder, _, client = setup
    auth = {"X-Align-Token": TOKEN}
    typed = "Баку\x01и Москва\x07 вернут\x08 партнёрство\ufffe.\x0b"
    body = {"op": "edit", "args": {"bead": 1, "side": "tgt", "texts": [typed], "x": "\x01"}}
    r = client.post("/api/act", json=body, headers=auth)
    assert r.status_code == 200
    assert r.json()["insert"][0]["tgt"] == ["Баку и Москва вернут партнёрство ."]
    assert "U+0001" in r.json()["note"] and "cannot be stored in XML" in r.json()["note"]
    last = json.loads(_journal(folder)[-1])
    assert all(first_invalid_char(t) is None for t in _strings(last))
    assert "x" not in last["args"]  # only what the action takes is journalled
    assert client.post("/api/export", json={}, headers=auth).status_code == 200
    body["args"]["texts"] = ["\x01\ufffe"]
    r = client.post("/api/act", json=body, headers=auth)
    assert r.status_code == 409 and "cannot be empty" in r.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"op":"edit","args":{"bead":1e400,"side":"tgt","texts":["x"]}}',
        b'{"op":"status","args":{"bead":-1e400,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":1.5,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":-1,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":"1","status":"accepted"}}',
        b'{"op":"status","args":{"bead":true,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":null,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":4,"status":"accepted"}}',
        b'{"op":"status","args":{"bead":100000000000000000000000000000,"status":"accepted"}}',
        b'{"op":"status","args":{"status":"accepted"}}',
        b'{"op":"status","args":{"bead":1,"status":["accepted"]}}',
        b'{"op":"status","args":{"bead":1,"status":"done"}}',
        b'{"op":"merge","args":{"bead":1,"direction":{"a":1}}}',
        b'{"op":"merge","args":{"bead":1,"direction":"up"}}',
        b'{"op":"move","args":{"bead":1,"side":"left","direction":"next"}}',
        b'{"op":"move","args":{"bead":1,"side":7,"direction":"next"}}',
        b'{"op":"move","args":{"bead":1,"side":"src"}}',
        b'{"op":"detach","args":{"bead":1,"side":"tgt","end":0}}',
        b'{"op":"split","args":{"bead":1,"src_cut":1e400}}',
        b'{"op":"split","args":{"bead":1,"src_cut":-1}}',
        b'{"op":"split","args":{"bead":1,"tgt_cut":"1"}}',
        b'{"op":"edit","args":{"bead":1,"side":"tgt","texts":"x"}}',
        b'{"op":"edit","args":{"bead":1,"side":"tgt","texts":[1]}}',
        b'{"op":"edit","args":{"bead":1,"texts":["x"]}}',
        b'{"op":"fix","args":{"bead":Infinity}}',
        b'{"op":"fix","args":{"bead":NaN}}',
    ],
)
def test_malformed_arguments_are_400_never_500(setup, body):
    folder, session, client = setup
    headers = {"X-Align-Token": TOKEN, "Content-Type": "application/json"}
    before = _journal(folder)
    r = client.post("/api/act", content=body, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["error"]
    assert _journal(folder) == before and not session.doc.undo_stack


def test_split_cut_past_the_lines_is_400_and_a_stale_bead_409(setup):
    _, _, client = setup
    auth = {"X-Align-Token": TOKEN}

    def act(op: str, **args: object):
        return client.post("/api/act", json={"op": op, "args": args}, headers=auth)

    assert act("merge", bead=1).status_code == 200
    r = act("split", bead=1, src_cut=5)
    assert r.status_code == 400 and "cannot cut" in r.json()["error"]
    r = act("status", bead=2, status="accepted")
    assert r.status_code == 409 and "no bead 2" in r.json()["error"]  # merged away: a stale page
    assert act("split", bead=1, src_cut=1).status_code == 200
