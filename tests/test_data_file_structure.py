"""User-supplied data files that parse but have the wrong structure: one line naming the
file and what is wrong, exit 2, nothing written; never a traceback, never silently ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.text.boilerplate import load_rules

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "align" / "data" / "boilerplate.json"
PAGE = "<html><body><p>RU</p><p>The talks in Baku went on for hours.</p></body></html>"


def one_line_error(args: list[str], expected: str) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), res.stderr
    assert expected in lines[0], lines[0]


BAD_RULES = [
    ([], 'rules.json: must be a JSON object with a "rules" list'),
    ({"rules": "x"}, 'rules.json: "rules" must be a list of rule objects'),
    ({"bad": 1}, "rules.json: unknown key 'bad' (a rule file has about, rules)"),
    ({"about": "no rules key"}, '"rules" must be a list'),
    ({"rules": [1]}, "rules.json: rule 1: must be a JSON object"),
    (
        {"rules": [{"match": "foreign-script", "max_words": "x"}]},
        "rules.json: rule 1: max_words must be a whole number",
    ),
    ({"rules": [{"match": "foreign-script", "max_words": True}]}, "max_words must be a whole"),
    ({"rules": [{"name": "a", "patern": "x"}]}, "rule 1 (a): unknown key 'patern'"),
    ({"rules": [{"match": "foreign-script", "pattern": "x"}]}, "unknown key 'pattern'"),
    ({"rules": [{"pattern": "x"}, {"match": "glob"}]}, "rule 2: unknown match type 'glob'"),
    ({"rules": [{"match": ["search"]}]}, "rule 1: unknown match type"),
    ({"rules": [{"match": "search", "pattern": 1}]}, "rule 1: pattern must be a string"),
    ({"rules": [{"match": "search"}]}, "rule 1: pattern must be a string"),
    ({"rules": [{"pattern": "x", "flags": 1}]}, 'rule 1: flags may only be "i"'),
    ({"rules": [{"pattern": "x", "flags": "m"}]}, 'rule 1: flags may only be "i"'),
    ({"rules": [{"name": 5, "pattern": "x"}]}, "rule 1: name must be a string"),
    ({"rules": [{"pattern": "("}]}, "rule 1: bad pattern"),
]


@pytest.mark.parametrize(("rules", "expected"), BAD_RULES)
def test_bad_rule_file_is_one_line_for_ingest(tmp_path, rules, expected):
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "rules.json").write_text(json.dumps(rules))
    out = tmp_path / "out.txt"
    one_line_error(
        ["ingest", str(tmp_path / "page.html"), "--rules", str(tmp_path / "rules.json"),
         "-o", str(out)],
        expected,
    )  # fmt: skip
    assert not out.exists()


@pytest.mark.parametrize(("rules", "expected"), BAD_RULES[:4])
def test_bad_rule_file_is_one_line_for_run_config(tmp_path, monkeypatch, rules, expected):
    monkeypatch.chdir(tmp_path)
    Path("src.txt").write_text("The port is open. The ship left.\n")
    Path("rules.json").write_text(json.dumps(rules))
    Path("run.toml").write_text(
        'source = "src.txt"\nreference = ""\ngold = ""\nglossary = ""\nsrc_lang = "en"\n'
        'tgt_lang = "ru"\noutputs = "out"\nboilerplate_rules = "rules.json"\n'
    )
    one_line_error(["run", "--config", "run.toml"], expected)
    assert not Path("out").exists()


def test_valid_rule_files_still_load(tmp_path):
    bundled = load_rules()
    assert [r.name for r in bundled][-1] == "foreign-script" and len(bundled) == 7
    shutil.copy(BUNDLED, tmp_path / "copy.json")
    assert load_rules(tmp_path / "copy.json") == bundled
    rules = [{"pattern": "ru", "flags": "i"}, {"match": "search", "pattern": "Baku"}]
    rules.append({"name": "ui", "why": "menus", "match": "foreign-script"})
    (tmp_path / "mine.json").write_text(json.dumps({"about": "x", "rules": rules}))
    mine = load_rules(tmp_path / "mine.json")
    kinds = [(r.name, r.match, r.max_words) for r in mine]
    assert kinds == [("?", "fullmatch", 0), ("?", "search", 0), ("ui", "foreign-script", 3)]
    assert mine[0].hits("RU", None)
    (tmp_path / "none.json").write_text('{"rules": []}')
    assert load_rules(tmp_path / "none.json") == ()


def test_library_raises_input_error_naming_the_file(tmp_path):
    (tmp_path / "rules.json").write_text("[]")
    with pytest.raises(InputError) as info:
        load_rules(tmp_path / "rules.json")
    assert info.value.path == str(tmp_path / "rules.json")


# --- siblings: documents from `align ingest -f json`, jsonl for `align tmx export` / review


def _document(tmp_path: Path) -> dict:
    (tmp_path / "page.txt").write_text("Hello world. This is a page.\n\nSecond one here.\n")
    res = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "page.txt"), "-f", "json", "-o", str(tmp_path / "d.json")]
    )
    assert res.exit_code == 0, res.output
    return json.loads((tmp_path / "d.json").read_text())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d, p: [], "the document is not a JSON object"),
        (lambda d, p: {**d, "id": 5}, "the document: 'id' must be a string"),
        (lambda d, p: {**d, "paragraphs": [1]}, "paragraph 1 is not a JSON object"),
        (lambda d, p: {**d, "paragraphs": [{**p, "text": 5}]}, "paragraph 1: 'text' must be"),
        (lambda d, p: {**d, "paragraphs": [{**p, "start": "x"}]}, "paragraph 1: 'start' must"),
        (lambda d, p: {**d, "paragraphs": [p, {**p, "turn": "x"}]}, "paragraph 2: 'turn' must"),
        (lambda d, p: {**d, "paragraphs": [{**p, "content": [5]}]}, "'content' must hold"),
        (lambda d, p: {**d, "paragraphs": [{k: v for k, v in p.items() if k != "end"}]},
         "paragraph 1: 'end' is missing"),
    ],
)  # fmt: skip
def test_bad_document_json_is_one_line(tmp_path, change, expected):
    doc = _document(tmp_path)
    (tmp_path / "bad.json").write_text(json.dumps(change(doc, doc["paragraphs"][0])))
    for fmt in ("txt", "json"):
        one_line_error(["segment", str(tmp_path / "bad.json"), "-f", fmt, "-o", "-"], expected)


BEAD = {"src": [0], "tgt": [0], "src_text": "Hello.", "tgt_text": "Привет.", "score": 0.9}
RECORD = {"id": "a:1", "source": "Hello.", "target": "Привет.", "package": "p", "score": -0.1}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({**BEAD, "src": 5}, "x.jsonl: line 2: 'src' must be a list, not 5"),
        ({**BEAD, "tgt": "0, 1"}, "x.jsonl: line 2: 'tgt' must be a list"),
        ({**RECORD, "glossary_changes": 3}, "line 2: 'glossary_changes' must be a list"),
    ],
)
def test_jsonl_with_counted_values_not_lists_is_one_line(tmp_path, record, expected):
    first = BEAD if "src_text" in record else RECORD
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(record) + "\n")
    out = tmp_path / "x.tmx"
    one_line_error(["tmx", "export", str(path), "-o", str(out), "-s", "en", "-t", "ru"], expected)
    assert not out.exists()
    if "src_text" in record:
        from align.review.inputs import open_source

        with pytest.raises(InputError, match=expected.split(": ", 1)[1]):
            open_source(path, "en", "ru")
