"""XLIFF through the CLI: MT drafts out, post-edits back into a TMX, a term check and HTER."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401
from xliff_checks import NS12, NS20, check_xliff12, check_xliff21

from align.cli import main
from align.xliff import read_xliff

EN = "The president met people in Baku today.\nPeace talks began in Moscow.\n"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def env(mt_env):  # noqa: F811
    tmp_path = mt_env
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.en.txt").write_text(EN, "utf-8")
    (tmp_path / "g.tsv").write_text(
        "id\ten\tru\npresident\tpresident\tпрезидент\nbegan\tbegan\tначались\n", "utf-8"
    )
    return tmp_path


def _translate(env, *extra: str):
    res = run("translate", env / "in", "-f", "en", "-t", "ru", "-o", env / "out",
              "--allow-fixture", *extra)  # fmt: skip
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_translate_writes_one_xliff_per_document(env, version):
    _translate(env, "--format", "xliff", "--xliff-version", version, "--glossary", env / "g.tsv")
    out = env / "out" / "sub" / "a.ru.fixture.xlf"
    {"1.2": check_xliff12, "2.1": check_xliff21}[version](out)
    _translate(env, "--format", "jsonl")
    rows = [json.loads(x) for x in (env / "out" / "sub" / "a.ru.fixture.jsonl").open()]
    doc = read_xliff(out)
    units = doc.units
    assert [u.tuid for u in units] == [r["id"] for r in rows] == ["sub/a.en:1", "sub/a.en:2"]
    assert [u.source for u in units] == EN.splitlines()
    assert [u.target for u in units] == [r["target"] for r in rows]
    assert [u.state for u in units] == ["needs-review-translation"] * 2  # a draft in 1.2 and 2.x
    assert all("TEST FIXTURE" in u.note for u in units)
    assert "glossary:" not in units[0].note  # "president" is rendered as the glossary says
    assert "glossary: missing began: 'began' → 'начались'" in units[1].note
    assert any("TEST FIXTURE" in n for n in doc.files[0].notes)
    assert any("translate-en_ru-fixture" in t[1] for t in doc.files[0].tools)
    assert doc.files[0].original == "sub/a.en.txt"
    if version == "1.2":
        root = etree.parse(str(out)).getroot()
        target = root.find(f".//{{{NS12}}}target")
        assert target.get("state-qualifier") == "leveraged-mt"
        tool = root.find(f".//{{{NS12}}}tool[@tool-id='mt']")
        assert tool.get("tool-version")  # the package version
    else:  # 2.x: a draft is not confirmed yet ("initial", target present), 1.2 state kept
        segs = etree.parse(str(out)).getroot().findall(f".//{{{NS20}}}segment")
        assert [dict(seg.attrib) for seg in segs] == [
            {"state": "initial", "subState": "align:needs-review-translation"}
        ] * 2
        assert not any("needs review" in u.note for u in units)


def test_truncated_drafts_are_marked(env):
    _translate(env, "--format", "xliff", "--max-length", "2")
    units = read_xliff(env / "out" / "sub" / "a.ru.fixture.xlf").units
    assert all("TRUNCATED" in u.note for u in units)


def _post_edit(src, dest, target: str) -> None:
    """What a post-editor does in a CAT tool: change the first target, set state final."""
    tree = etree.parse(str(src))
    t = tree.getroot().find(f".//{{{NS12}}}target")
    t.text = target
    t.set("state", "final")
    del t.attrib["state-qualifier"]
    tree.write(str(dest), xml_declaration=True, encoding="UTF-8")


def test_post_edited_xliff_back_to_tmx_glossary_and_hter(env):
    _translate(env, "--format", "xliff")
    draft = env / "out" / "sub" / "a.ru.fixture.xlf"
    edited = env / "edited.xlf"
    _post_edit(draft, edited, "Президент встретился с людьми в Баку сегодня.")

    res = run("tmx", "export", edited, "-o", env / "pe.tmx", "--src-lang", "en", "--tgt-lang", "ru")
    assert res.exit_code == 0, res.output
    from align.tmx import read_tmx

    units = list(read_tmx(env / "pe.tmx", "en", "ru"))
    assert units[0].target == "Президент встретился с людьми в Баку сегодня."
    assert units[0].props["state"] == "final" and units[0].props["segment-id"] == "sub/a.en:1"
    assert len(units) == 2
    res = run("tmx", "export", edited, "-o", env / "final.tmx", "--skip-review",
              "--src-lang", "en", "--tgt-lang", "ru")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert [u.state for u in read_xliff(edited).units] == ["final", "needs-review-translation"]
    assert len(list(read_tmx(env / "final.tmx", "en", "ru"))) == 1  # the unreviewed draft left out

    res = run("glossary", "check", edited, "-g", env / "g.tsv", "--src-lang", "en",
              "--tgt-lang", "ru", "--all")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "line 1: ok        president: 'president' → 'Президент'" in res.output

    res = run("score", "--hyp", draft, "--ref", edited, "--tgt-lang", "ru", "--format", "json")
    assert res.exit_code == 0, res.output
    from sacrebleu.metrics import TER

    hyps = [u.target for u in read_xliff(draft).units]
    refs = [u.target for u in read_xliff(edited).units]
    expected = TER().corpus_score(hyps, [refs]).score
    data = json.loads(res.stdout)
    assert data["hter"] == pytest.approx(expected) and 0 < expected < 100
    text = run("score", "--hyp", draft, "--ref", edited, "--tgt-lang", "ru").stdout
    assert f"HTER     {expected:6.2f}" in text


def test_bad_xliff_is_one_line_error_and_nothing_written(env):
    bad = env / "bad.xlf"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   "<xliff version='1.2'><file>&e;</file></xliff>", "utf-8")  # fmt: skip
    res = run("tmx", "export", bad, "-o", env / "x.tmx", "--src-lang", "en", "--tgt-lang", "ru")
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "bad.xlf" in res.stderr and "DOCTYPE" in res.stderr
    assert not (env / "x.tmx").exists()
    broken = env / "broken.xlf"
    broken.write_text("<xliff version='1.2'><file", "utf-8")
    for args in (("glossary", "check", broken, "-g", env / "g.tsv", "--src-lang", "en",
                  "--tgt-lang", "ru"), ("score", "--hyp", broken, "--ref", broken)):  # fmt: skip
        res = run(*args)
        assert res.exit_code == 2 and "broken.xlf" in res.stderr, res.output
        assert "not well-formed" in res.stderr


def test_translate_folder_reads_docx_into_xliff(env):
    from test_office import make_docx

    make_docx(env / "in" / "report.docx")
    res = _translate(env, "--format", "xliff")  # office files are documents even without --segment
    units = read_xliff(env / "out" / "report.ru.fixture.xlf").units
    assert [u.tuid for u in units][:3] == ["report:0:0", "report:1:0", "report:1:1"]
    assert units[1].source == "The port of Baku is open today."
    bold = [(c.role, c.native) for c in units[1].source_content if not isinstance(c, str)]
    assert bold == [("begin", "&lt;b&gt;"), ("end", "&lt;/b&gt;")]  # the run's formatting
    check_xliff12(env / "out" / "report.ru.fixture.xlf")
    assert len(units) == 8 and all(u.target for u in units)
    lines = read_xliff(env / "out" / "sub" / "a.ru.fixture.xlf").units  # the .txt: by line
    assert [u.tuid for u in lines] == ["sub/a.en:1", "sub/a.en:2"]
    assert "translated 2 file(s)" in res.stderr


def test_xliff_export_without_languages_reads_the_file_once(tmp_path, monkeypatch):
    """The XLIFF's declared languages are used, and the file is parsed only once."""
    import align.xliff

    xlf = tmp_path / "pe.xlf"
    xlf.write_text(
        f'<?xml version="1.0"?><xliff version="1.2" xmlns="{NS12}"><file original="a.txt" '
        'source-language="en" target-language="ru" datatype="plaintext"><body>'
        '<trans-unit id="1"><source>Peace.</source><target state="final">Мир.</target>'
        "</trans-unit></body></file></xliff>",
        "utf-8",
    )
    reads = []
    real = align.xliff.read_xliff
    monkeypatch.setattr(align.xliff, "read_xliff", lambda p: reads.append(p) or real(p))
    res = run("tmx", "export", xlf, "-o", tmp_path / "pe.tmx")
    assert res.exit_code == 0, res.output
    assert "languages en -> ru (from the input" in res.stderr and len(reads) == 1
    from align.tmx import read_tmx

    assert [u.target for u in read_tmx(tmp_path / "pe.tmx", "en", "ru")] == ["Мир."]
