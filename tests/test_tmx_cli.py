"""``align tmx``: export from every input, validate exit codes, merge, stats, to-tsv, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from align.cli import main
from align.model import TranslationUnit
from align.tmx import read_tmx, write_tmx


def run(*args: str):
    return CliRunner().invoke(main, ["tmx", *map(str, args)])


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


BEADS = [
    {"src": [0], "tgt": [0], "src_text": "Hello.", "tgt_text": "Привет.", "score": 0.9, "review": False},
    {"src": [1, 2], "tgt": [1], "src_text": ["Two.", "Parts."], "tgt_text": ["Две части."], "score": 0.7, "review": False},
    {"src": [3], "tgt": [], "src_text": "Unmatched.", "tgt_text": "", "score": 0.0, "review": True},
    {"src": [4], "tgt": [2], "src_text": "Doubtful.", "tgt_text": "Сомнительно.", "score": 0.2, "review": True},
]  # fmt: skip


def test_export_aligned_beads(tmp_path):
    out = tmp_path / "a.tmx"
    result = run(
        "export", jsonl(tmp_path / "beads.jsonl", BEADS), "-o", out, "-s", "en", "-t", "ru"
    )
    assert result.exit_code == 0, result.output
    assert "wrote 3 units" in result.stderr and "skipped 1 with an empty side" in result.stderr
    units = list(read_tmx(out, "en", "ru"))
    assert [u.source for u in units] == ["Hello.", "Two. Parts.", "Doubtful."]
    assert units[1].segtype == "paragraph" and units[1].props["bead"] == "2-1"
    # the aligner's 4 decimals, as `align align -f tmx` and `align review` write them
    assert units[0].props["score"] == "0.9000" and units[0].props["origin"] == "aligned"
    # the bead's lines under the names every TMX writer of beads uses
    assert (units[1].props["source-lines"], units[1].props["target-lines"]) == ("1,2", "1")
    assert not any("source-segments" in u.props for u in units)
    assert units[2].props["review"] == "yes" and units[2].note
    assert units[0].props["document"] == "beads"


def test_export_filters_by_score_and_review(tmp_path):
    beads = jsonl(tmp_path / "beads.jsonl", BEADS)
    out = tmp_path / "a.tmx"
    assert (
        run("export", beads, "-o", out, "-s", "en", "-t", "ru", "--min-score", "0.8").exit_code == 0
    )
    assert [u.source for u in read_tmx(out, "en", "ru")] == ["Hello."]
    assert run("export", beads, "-o", out, "-s", "en", "-t", "ru", "--skip-review").exit_code == 0
    assert [u.source for u in read_tmx(out, "en", "ru")] == ["Hello.", "Two. Parts."]


def test_export_translations_jsonl(tmp_path):
    rows = [
        {"id": "doc:0:0", "source": "Good day.", "target": "Guten Tag.", "package": "translate-en_de-1_0"},
        {"id": "doc:0:1", "source": "Fixture.", "target": "Fixture-de.", "package": "fx", "fixture": True,
         "origin": "mt:fx-fixture", "score": -0.5, "glossary_changes": [{"term": "x"}]},
    ]  # fmt: skip
    out = tmp_path / "mt.tmx"
    result = run(
        "export",
        jsonl(tmp_path / "mt.jsonl", rows),
        "-o",
        out,
        "--src-lang",
        "en",
        "--tgt-lang",
        "de",
        "--lang-style",
        "plain",
    )
    assert result.exit_code == 0, result.output
    units = list(read_tmx(out, "en", "de"))
    assert [u.props["origin"] for u in units] == ["mt:translate-en_de-1_0", "mt:fx-fixture"]
    assert units[0].props["segment-id"] == "doc:0:0" and units[0].src_lang == "en"
    assert units[1].props["fixture"] == "true" and "fixture" in units[1].note
    assert units[1].props["score"] == "-0.5000" and units[1].props["glossary-changes"] == "1"


def test_export_line_files_with_keep_empty(tmp_path):
    (tmp_path / "en.txt").write_text("One.\nTwo.\n\n", "utf-8")
    (tmp_path / "ru.txt").write_text("Один.\n\nПусто.\n", "utf-8")
    out = tmp_path / "l.tmx"
    result = run(
        "export",
        "--src",
        tmp_path / "en.txt",
        "--tgt",
        tmp_path / "ru.txt",
        "-o",
        out,
        "-s",
        "en",
        "-t",
        "ru",
        "--keep-empty",
    )
    assert result.exit_code == 0, result.output
    assert "wrote 2 units" in result.stderr and "1 kept source-only" in result.stderr
    assert [(u.source, u.target) for u in read_tmx(out, "en", "ru")] == [("One.", "Один.")]


@pytest.mark.parametrize(
    ("setup", "problem"),
    [
        (lambda d: (d / "x.jsonl").write_text('{"src_text": "a"}\nnot json\n', "utf-8"), "line 2 is not JSON"),
        (lambda d: (d / "x.jsonl").write_text("", "utf-8"), "is empty"),
        (lambda d: (d / "x.jsonl").write_text('{"foo": 1}\n', "utf-8"), "neither src_text"),
        (lambda d: (d / "x.jsonl").write_text('{"source": "bell\\u0007", "target": "b"}\n', "utf-8"), "U+0007"),
    ],
    ids=["bad-json", "empty", "unknown-keys", "control-char"],
)  # fmt: skip
def test_export_bad_input_exit_2_without_output(tmp_path, setup, problem):
    setup(tmp_path)
    out = tmp_path / "out.tmx"
    result = run("export", tmp_path / "x.jsonl", "-o", out, "-s", "en", "-t", "ru")
    assert result.exit_code == 2
    assert result.stderr.startswith("align: error: ") and problem in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".out.tmx*"))


def test_export_line_count_mismatch_and_usage(tmp_path):
    (tmp_path / "en.txt").write_text("a\nb\n", "utf-8")
    (tmp_path / "ru.txt").write_text("а\n", "utf-8")
    out = tmp_path / "o.tmx"
    result = run("export", "--src", tmp_path / "en.txt", "--tgt", tmp_path / "ru.txt", "-o", out,
                 "-s", "en", "-t", "ru")  # fmt: skip
    assert result.exit_code == 2 and "has 1 lines but" in result.stderr and not out.exists()
    assert run("export", "-o", out).exit_code == 2  # no input at all


def good_tmx(path, pairs, **kw):
    units = [TranslationUnit(s, t, "en", "ru", **kw) for s, t in pairs]
    write_tmx(path, units, src_lang="en", tgt_lang="ru")
    return path


def test_validate_exit_codes(tmp_path):
    ok = good_tmx(tmp_path / "ok.tmx", [("A.", "А.")])
    result = run("validate", ok)
    assert result.exit_code == 0 and "valid TMX 1.4b" in result.stdout  # the report: stdout
    broken = tmp_path / "broken.tmx"
    broken.write_text(ok.read_text("utf-8").replace(' srclang="en"', ""), "utf-8")
    result = run("validate", broken)
    assert result.exit_code == 1 and "no srclang attribute" in result.output
    warn = good_tmx(tmp_path / "w.tmx", [("A  b.", "А.")])
    assert run("validate", warn).exit_code == 0
    assert run("validate", warn, "--strict").exit_code == 1
    problems = json.loads(run("validate", broken, "-f", "json").stdout)
    assert problems[0]["rule"] == "missing-srclang"


def test_merge_dedupes_and_keeps_newest(tmp_path):
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(a, [TranslationUnit("Hi.", "Привет.", "en", "ru", creationdate="20200101T000000Z"),
                  TranslationUnit("Bye.", "Пока.", "en", "ru", creationdate="20200101T000000Z")],
              src_lang="en", tgt_lang="ru")  # fmt: skip
    write_tmx(b, [TranslationUnit("Hi.", "Здравствуйте.", "en", "ru", creationdate="20240101T000000Z"),
                  TranslationUnit("Bye.", "Пока.", "en", "ru", creationdate="20240101T000000Z"),
                  TranslationUnit("New.", "Новое.", "en", "ru", creationdate="20240101T000000Z")],
              src_lang="en", tgt_lang="ru")  # fmt: skip
    out = tmp_path / "m.tmx"
    result = run(
        "merge", b, a, "-o", out
    )  # newest first on the command line: order must not matter
    assert result.exit_code == 0, result.output
    assert "read 5 units" in result.stderr and "dropped 1 duplicate;" in result.stderr
    assert "resolved 1 conflict" in result.stderr and "wrote 3" in result.stderr
    merged = {u.source: u.target for u in read_tmx(out, "en", "ru")}
    assert merged == {"Hi.": "Здравствуйте.", "Bye.": "Пока.", "New.": "Новое."}
    assert run("validate", out).exit_code == 0


def test_merge_refuses_bad_input_without_output(tmp_path):
    a = good_tmx(tmp_path / "a.tmx", [("A.", "А.")])
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx>", "utf-8")
    out = tmp_path / "m.tmx"
    result = run("merge", a, bad, "-o", out)
    assert result.exit_code == 2 and "bad.tmx: is not well-formed XML" in result.stderr
    assert not out.exists()


def test_stats_and_to_tsv(tmp_path):
    path = good_tmx(
        tmp_path / "a.tmx", [("A\tb.", "А\nб."), ("C.", "В.")], props={"origin": "human"}
    )
    data = json.loads(run("stats", path, "-f", "json").stdout)
    assert data["units"] == 2 and data["languages"] == {"en": 2, "ru": 2}
    assert data["origins"] == {"human": 2} and data["srclang"] == "en"
    assert "units:       2" in run("stats", path).output
    out = tmp_path / "a.tsv"
    result = run("to-tsv", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == "A\\tb.\tА\\nб.\nC.\tВ.\n"
    assert run("to-tsv", path, "-o", out, "--src-lang", "ru", "--tgt-lang", "en").exit_code == 0
    assert out.read_text("utf-8").startswith("А\\nб.\tA\\tb.\n")


TBX = b'<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body><termEntry/></body></text></martif>'


@pytest.mark.parametrize(
    ("content", "args", "problem"),
    [
        (b"<tmx><header srclang='en'><body></tmx>", (), "is not well-formed XML"),
        (b"<html><body/></html>", (), "HTML page"),
        (b"", (), "is empty"),
        (TBX, (), "TBX termbase"),
        (None, ("--src-lang", "en", "--tgt-lang", "fr"), "has no text in fr"),
        (b"<tmx version='1.4'><header/><body/></tmx>", ("--src-lang", "en", "--tgt-lang", "ru"), "no srclang"),
        (
            b"<tmx version='1.4'><header srclang='en'/><body>"
            b"<tu tuid='a'><tuv xml:lang='en'><seg>1</seg></tuv><tuv xml:lang='ru'><seg>1</seg></tuv></tu>"
            b"<tu tuid='a'><tuv xml:lang='en'><seg>2</seg></tuv><tuv xml:lang='ru'><seg>2</seg></tuv></tu>"
            b"</body></tmx>",
            (),
            "duplicate tuid 'a'",
        ),
    ],
    ids=["malformed", "wrong-root", "zero-bytes", "tbx", "unknown-language", "no-srclang", "dup-tuid"],
)  # fmt: skip
def test_reading_commands_reject_bad_input(tmp_path, content, args, problem):
    path = tmp_path / "in.tmx"
    if content is None:
        good_tmx(path, [("A.", "А.")])
    else:
        path.write_bytes(content)
    out = tmp_path / "out.tsv"
    result = run("to-tsv", path, "-o", out, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"align: error: {path}: ")
    assert problem in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".out.tsv*"))
    if problem not in ("no srclang", "duplicate tuid 'a'", "has no text in fr"):
        assert run("stats", path).exit_code == 2  # not TMX at all: every command refuses it


XLIFF_DRAFTS = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="en" target-language="ru" datatype="plaintext"><body>
<trans-unit id="1"><source>Good day.</source><target state="needs-review-translation">Добрый день.</target></trans-unit>
<trans-unit id="2"><source>Thank you.</source><target state="final">Спасибо.</target></trans-unit>
<trans-unit id="3"><source>See you.</source><target>До встречи.</target></trans-unit>
<trans-unit id="4"><source>Bye.</source><target state="signed-off">Пока.</target></trans-unit>
</body></file></xliff>
"""
MT_ROWS = [
    {"id": 1, "source": "Good day.", "target": "Guten Tag.", "package": "p", "review": True},
    {"id": 2, "source": "Thanks.", "target": "Danke.", "package": "p"},
]


@pytest.mark.parametrize(
    ("name", "content", "langs", "to_review"),
    [
        ("drafts.xlf", XLIFF_DRAFTS, ("en", "ru"), 2),  # needs-review-translation, no state
        ("beads.jsonl", "".join(json.dumps(r) + "\n" for r in BEADS), ("en", "ru"), 1),
        ("mt.jsonl", "".join(json.dumps(r) + "\n" for r in MT_ROWS), ("en", "de"), 1),
    ],
)
def test_stats_to_review_is_what_export_skip_review_leaves_out(
    tmp_path, name, content, langs, to_review
):
    """One definition of "to review": `tmx stats` counts exactly what --skip-review drops."""
    source = tmp_path / name
    source.write_text(content, "utf-8")
    full, kept = tmp_path / "full.tmx", tmp_path / "kept.tmx"
    lang_args = ("-s", langs[0], "-t", langs[1])
    assert run("export", source, "-o", full, *lang_args).exit_code == 0
    assert run("export", source, "-o", kept, *lang_args, "--skip-review").exit_code == 0
    data = json.loads(run("stats", full, "-f", "json").stdout)
    assert data["review"] == to_review
    assert len(list(read_tmx(kept, *langs))) == data["units"] - to_review
    text = run("stats", full).output
    assert (
        f"to review:   {to_review} (x-review flag set, or unreviewed with x-flagged set, "
        "or an unreviewed XLIFF x-state)" in text
    )


def test_stats_counts_mt_drafts_made_from_xliff(tmp_path):
    """The trial's case: 30 MT drafts exported from XLIFF are 30 to review, not 0."""
    units = "".join(
        f'<trans-unit id="{n}"><source>Line {n}.</source>'
        f'<target state="needs-review-translation">Строка {n}.</target></trans-unit>'
        for n in range(30)
    )
    head, tail = XLIFF_DRAFTS.split("<body>")[0], "</body></file></xliff>\n"
    xlf = tmp_path / "mt.xlf"
    xlf.write_text(f"{head}<body>{units}{tail}", "utf-8")
    out = tmp_path / "mt.tmx"
    assert run("export", xlf, "-o", out).exit_code == 0
    assert json.loads(run("stats", out, "-f", "json").stdout)["review"] == 30
