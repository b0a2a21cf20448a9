"""Ingest: encodings, debris removal, interview structure, HTML, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.text.ingest import ingest_file, ingest_text
from align.text.segment import segment_document
from align.text.textio import decode

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_07d8ad3adaf52f90.txt"
DEBRIS = ("Photo:", "News about", "Избранный", "Источники")


@pytest.fixture(scope="module")
def seed_doc():
    return ingest_file(SEED)


def test_seed_structure(seed_doc):
    kinds = [p.kind for p in seed_doc.paragraphs]
    assert seed_doc.lang == "en"
    assert (
        seed_doc.title
        == "No deep crisis: Baku and Moscow will restore full partnership – INTERVIEW"
    )
    assert kinds[:2] == ["title", "lead"]
    questions = [p for p in seed_doc.paragraphs if p.kind == "question"]
    assert [q.turn for q in questions] == [1, 2, 3, 4]
    assert (
        questions[0].text
        == "How do you assess the current crisis in Azerbaijani-Russian relations?"
    )
    assert questions[3].text.endswith("17th ECO Summit in Khankendi?")
    # Every question is followed by at least one answer paragraph of the same turn.
    answers = {}
    for p in seed_doc.paragraphs:
        if p.kind == "answer":
            answers[p.turn] = answers.get(p.turn, 0) + 1
    assert answers == {1: 5, 2: 3, 3: 7, 4: 4}
    assert all(p.lang == "en" for p in seed_doc.paragraphs)


def test_dialogue_dashes_become_structure(seed_doc):
    first_answer = next(p for p in seed_doc.paragraphs if p.kind == "answer")
    assert first_answer.text.startswith("I am confident")
    assert not any(p.text[0] in "-–—" for p in seed_doc.paragraphs)


def test_seed_debris_removed(seed_doc):
    segments = segment_document(seed_doc)
    for seg in segments:
        assert not any(d in seg.text for d in DEBRIS), seg.text
        assert seg.text.lower() not in {"news.az", "ru", "11", "1"}
    removed_rules = [r.split(":", 1)[0] for r in seed_doc.removed]
    assert removed_rules.count("photo-caption") == 2
    assert {"language-switch", "site-name", "counter", "counter-label", "foreign-script"} <= set(
        removed_rules
    )


def test_offsets_point_into_cleaned_text(seed_doc):
    text = seed_doc.text
    for p in seed_doc.paragraphs:
        assert text[p.start : p.end] == p.text
    for s in segment_document(seed_doc):
        assert text[s.start : s.end] == s.text
        assert s.id.count(":") == 2


def _ascii_safe(text: str) -> str:
    # cp1251 and koi8-r cannot hold ü, ğ, typographic quotes or dashes.
    return text.translate(str.maketrans({"ü": "u", "ğ": "g", "’": "'", "—": "-", "–": "-"}))


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16", "utf-8-sig"])
def test_reencoded_seed_gives_identical_segments(tmp_path, encoding):
    text = _ascii_safe(SEED.read_text(encoding="utf-8").replace("\xa0", " "))
    reference = tmp_path / "ref.txt"
    reference.write_text(text, encoding="utf-8")
    encoded = tmp_path / f"seed.{encoding}.txt"
    encoded.write_bytes(text.encode(encoding))
    want = [s.text for s in segment_document(ingest_file(reference))]
    got = [s.text for s in segment_document(ingest_file(encoded))]
    assert got == want
    assert len(got) > 60


def test_crlf_and_decomposed_unicode_are_normalised():
    decoded = decode("Cafe\u0301 au lait.\r\nSecond line.\r".encode())
    assert decoded.text == "Café au lait.\nSecond line.\n"


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Site title | News</title></head>
<body>
<nav><a href="/">Home</a> <a href="/ru">RU</a></nav>
<header><div class="logo">example.com</div></header>
<article>
<h1>Talks resume in Baku</h1>
<p>Delegations met on Monday. They agreed on a schedule.</p>
<figure><img src="x.jpg"><figcaption>Delegates in Baku. Photo: AFP</figcaption></figure>
<p>– What comes next?</p>
<p>– A second round in May. Dr. A. Smith will chair it.</p>
<div class="share">Share</div>
</article>
<footer>© 2025 Example News</footer>
<script>var x = "Photo: tracking";</script>
</body></html>"""


def test_html_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    doc = ingest_file(page)
    assert doc.title == "Talks resume in Baku"
    assert [(p.kind, p.text) for p in doc.paragraphs[1:]] == [
        ("lead", "Delegations met on Monday. They agreed on a schedule."),
        ("question", "What comes next?"),
        ("answer", "A second round in May. Dr. A. Smith will chair it."),
    ]
    segments = [s.text for s in segment_document(doc)]
    assert "Dr. A. Smith will chair it." in segments
    assert not any("Photo" in s or "Home" in s or "©" in s for s in segments)


def test_plain_article_without_dialogue_is_body():
    doc = ingest_text("A title\n\nFirst paragraph here. It has two sentences.\n\nSecond one.")
    assert [p.kind for p in doc.paragraphs] == ["title", "body", "body"]


def test_russian_page_auto_language():
    doc = ingest_text(
        "Заголовок статьи\n\n– Как вы оцениваете ситуацию?\n\n– Спокойно. Всё будет хорошо.\n\nEN\n\nShare"
    )
    assert doc.lang == "ru"
    assert [p.kind for p in doc.paragraphs] == ["title", "question", "answer"]


def test_input_file_is_not_modified(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copy(SEED, copy)
    before = copy.read_bytes()
    CliRunner().invoke(main, ["ingest", str(copy), "-o", str(tmp_path / "out.txt")])
    assert copy.read_bytes() == before


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    bad_utf16 = tmp_path / "broken.txt"
    bad_utf16.write_bytes(b"\xff\xfe" + "Hello".encode("utf-16-le") + b"\x00\xd8")
    not_srx = tmp_path / "rules.srx"
    not_srx.write_text("<html><body>not srx</body></html>", encoding="utf-8")
    broken_xml = tmp_path / "broken.srx"
    broken_xml.write_text("<srx><body>", encoding="utf-8")
    return [
        (["ingest", str(tmp_path / "missing.txt")], "missing.txt: no such file"),
        (["ingest", str(tmp_path)], "is a directory"),
        (["ingest", str(empty)], "empty.txt: is empty"),
        (["ingest", str(binary)], "image.png: looks like binary data"),
        (["segment", str(bad_utf16), "-s", "en"], "broken.txt: has a utf-16 byte-order mark"),
        (["segment", str(SEED), "--srx", str(not_srx)], "rules.srx: is not an SRX file"),
        (["segment", str(SEED), "--srx", str(broken_xml)], "broken.srx: is not well-formed XML"),
    ]


def test_bad_inputs_one_line_exit_2(tmp_path):
    for args, expected in _bad_inputs(tmp_path):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("align: error: "), result.stderr
        assert expected in lines[0]
        assert "Traceback" not in result.output


def test_library_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest_file(tmp_path / "nope.txt")
