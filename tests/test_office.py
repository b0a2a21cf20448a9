"""Office documents in: .docx, .odt and .pdf text layers, with inline codes and safe refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.model import InlineCode
from align.text.ingest import ingest_file
from align.text.segment import segment_document
from align.tmx import read_tmx


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def make_docx(path: Path) -> Path:
    """Heading, two paragraphs (one with a bold run), a 2x2 table: made with python-docx."""
    import docx

    d = docx.Document()
    d.add_heading("Baku port report", level=1)
    p = d.add_paragraph("The port of Baku is ")
    p.add_run("open").bold = True
    p.add_run(" today. Ships arrive at nine.")
    d.add_paragraph("Tickets cost 15 euros.")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Ship", (0, 1): "Arrival", (1, 0): "Caspian Star",
                         (1, 1): "9:00"}.items():  # fmt: skip
        table.cell(r, c).text = text
    d.save(path)
    return path


def test_docx_ingests_to_expected_segments_and_codes(tmp_path):
    doc = ingest_file(make_docx(tmp_path / "report.docx"), lang="en")
    segs = segment_document(doc)
    assert [s.text for s in segs] == [
        "Baku port report",
        "The port of Baku is open today.",
        "Ships arrive at nine.",
        "Tickets cost 15 euros.",
        "Ship",
        "Arrival",
        "Caspian Star",
        "9:00",
    ]
    assert segs[0].kind == "title"
    bold = segs[1].content
    assert [p if isinstance(p, str) else (p.role, p.element) for p in bold] == [
        "The port of Baku is ",
        ("begin", "b"),
        "open",
        ("end", "b"),
        " today.",
    ]
    assert all(s.content is None for s in segs if s is not segs[1])
    assert doc.encoding == "docx"


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_docx_footnotes_follow_their_paragraph_and_breaks_separate_words(tmp_path):
    body = (
        f"<w:document {W_NS}><w:body>"
        "<w:p><w:r><w:t>Baku</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>is a port.</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
        "<w:p><w:del><w:r><w:t>Deleted text.</w:t></w:r></w:del>"
        '<w:r><w:rPr><w:i/><w:b w:val="0"/></w:rPr><w:t>Second</w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> paragraph.</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    notes = (
        f"<w:footnotes {W_NS}>"
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:t>A footnote about Baku.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    path = _zip(tmp_path / "n.docx", {"word/document.xml": body, "word/footnotes.xml": notes})
    doc = ingest_file(path, lang="en")
    assert [p.text for p in doc.paragraphs] == [
        "Baku is a port.",
        "A footnote about Baku.",
        "Second paragraph.",
    ]
    codes = [c for c in doc.paragraphs[0].content if isinstance(c, InlineCode)]
    assert [(c.role, c.element) for c in codes] == [
        ("placeholder", "br"),
        ("placeholder", "footnote"),
    ]
    italic = [c.element for c in doc.paragraphs[2].content if isinstance(c, InlineCode)]
    assert italic == ["i", "i"]  # w:b w:val="0" is not bold


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Порт Баку</text:h>
  <text:p>Порт Баку <text:span text:style-name="T1">открыт</text:span> сегодня.<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Сноска о Баку.</text:p></text:note-body></text:note></text:p>
  <table:table><table:table-row><table:table-cell><text:p>Судно</text:p></table:table-cell><table:table-cell><text:p>Прибытие</text:p></table:table-cell></table:table-row></table:table>
  <text:list><text:list-item><text:p>Пункт<text:s text:c="2"/>один</text:p></text:list-item></text:list>
 </office:text></office:body>
</office:document-content>
"""


def test_odt_reading_order_with_codes_and_footnote(tmp_path):
    path = _zip(tmp_path / "r.odt", {"mimetype": "application/vnd.oasis.opendocument.text",
                                     "content.xml": ODT_CONTENT})  # fmt: skip
    doc = ingest_file(path, lang="ru")
    assert [p.text for p in doc.paragraphs] == [
        "Порт Баку",
        "Порт Баку открыт сегодня.",
        "Сноска о Баку.",
        "Судно",
        "Прибытие",
        "Пункт один",
    ]
    assert doc.paragraphs[0].kind == "title"
    shape = [p if isinstance(p, str) else p.element for p in doc.paragraphs[1].content]
    assert shape == ["Порт Баку ", "b", "открыт", "b", " сегодня.", "footnote"]


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica), written by hand."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


PDF_LINES = [
    "The port of Baku is open to ships from all over the",
    "Caspian region every day. It closes at night.",
    "Short line.",
    "A new paragraph starts here and it is long enough to",
    "wrap onto the next line.",
]


def test_pdf_text_layer_with_layout_warning(tmp_path, capsys):
    path = tmp_path / "p.pdf"
    path.write_bytes(make_pdf(PDF_LINES))
    doc = ingest_file(path, lang="en")
    assert [p.text for p in doc.paragraphs] == [
        "The port of Baku is open to ships from all over the Caspian region every day. "
        "It closes at night. Short line.",
        "A new paragraph starts here and it is long enough to wrap onto the next line.",
    ]
    captured = capsys.readouterr()
    assert "p.pdf: text comes from the PDF's text layer" in captured.err
    assert "line and page breaks may split sentences" in captured.err


def _bomb(path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b" " * (20 * 1024 * 1024) + b"/>")
    path.write_bytes(buf.getvalue())
    return path


def _encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = path.with_suffix(".plain.pdf")
    plain.write_bytes(make_pdf(PDF_LINES))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


BAD = {
    "notzip.docx": (lambda p: p.write_text("plain text, not a zip") and p, "not a zip"),
    "bomb.docx": (_bomb, "zip bomb"),
    "locked.pdf": (_encrypted_pdf, "password-protected"),
    "protected.docx": (
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)) and p,
        "password-protected",
    ),
    "notzip.odt": (lambda p: p.write_bytes(b"PK\x03\x04broken") and p, "not a zip"),
    "nodoc.docx": (lambda p: _zip(p, {"x.xml": "<x/>"}), "word/document.xml"),
    "entity.docx": (
        lambda p: _zip(
            p,
            {
                "word/document.xml": '<!DOCTYPE d [<!ENTITY e "x">]>'
                f"<w:document {W_NS}><w:body/></w:document>"
            },
        ),
        "DOCTYPE",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_office_input_one_line_exit_2_nothing_written(tmp_path, name):
    make, expected = BAD[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as err:
        ingest_file(path)
    assert expected in str(err.value) and name in str(err.value)
    for command in ("ingest", "segment"):
        out = tmp_path / f"{command}.out"
        res = run(command, path, "-o", out)
        assert res.exit_code == 2, res.output
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("align: error:")]
        assert len(errors) == 1 and name in errors[0] and expected in errors[0], res.stderr
        assert not out.exists()


def test_segment_json_keeps_codes_and_reloads(tmp_path):
    path = make_docx(tmp_path / "r.docx")
    out = tmp_path / "r.json"
    res = run("ingest", path, "--format", "json", "-o", out)
    assert res.exit_code == 0, res.output
    from align.text.documents import load_document_json

    again = load_document_json(out)
    original = ingest_file(path)
    assert [p.content for p in again.paragraphs] == [p.content for p in original.paragraphs]
    assert any(p.content for p in again.paragraphs)


def test_docx_pair_aligned_to_xliff(tmp_path, monkeypatch):
    import docx

    from align.xliff import read_xliff

    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    en = make_docx(tmp_path / "report.en.docx")
    d = docx.Document()
    d.add_heading("Отчёт о порте Баку", level=1)
    p = d.add_paragraph("Порт Баку ")
    p.add_run("открыт").bold = True
    p.add_run(" сегодня. Суда прибывают в девять.")
    d.add_paragraph("Билеты стоят 15 евро.")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Судно", (0, 1): "Прибытие", (1, 0): "Каспийская звезда",
                         (1, 1): "9:00"}.items():  # fmt: skip
        table.cell(r, c).text = text
    ru = tmp_path / "report.ru.docx"
    d.save(ru)
    out = tmp_path / "report.xlf"
    res = run("align", en, ru, "-s", "en", "-t", "ru", "--segment", "-f", "xliff", "-o", out)
    assert res.exit_code == 0, res.output
    units = read_xliff(out).units
    pairs = [(u.source, u.target) for u in units]
    assert ("The port of Baku is open today.", "Порт Баку открыт сегодня.") in pairs
    assert ("Tickets cost 15 euros.", "Билеты стоят 15 евро.") in pairs
    assert [u.tuid for u in units if u.target] == [str(n) for n in range(1, len(pairs) + 1)]
    flagged = ["REVIEW: the aligner flagged" in (u.note or "") for u in units]
    assert [u.state for u in units] == [
        "needs-review-translation" if f else "translated" for f in flagged
    ]  # the aligner's flag is the state, so --skip-review still sees it
    # the bold runs come through as inline codes (XLIFF <bpt>/<ept>), as with translate
    assert _bold(units, "The port of Baku is open today.") == ("open", "открыт")
    tmx_out = tmp_path / "report.tmx"
    res = run("align", en, ru, "-s", "en", "-t", "ru", "--segment", "-f", "tmx", "-o", tmx_out)
    assert res.exit_code == 0, res.output
    assert "<bpt" in tmx_out.read_text(encoding="utf-8")
    tmx_units = list(read_tmx(tmx_out, "en", "ru"))
    assert _bold(tmx_units, "The port of Baku is open today.") == ("open", "открыт")


def _bold(units: list, source: str) -> tuple[str, str]:
    """The text inside the begin/end codes of each side of the unit with ``source``."""
    (unit,) = [u for u in units if u.source == source]
    sides = []
    for content in (unit.source_content, unit.target_content):
        roles = [p.role if isinstance(p, InlineCode) else p for p in content]
        sides.append(roles[roles.index("begin") + 1])
        assert roles[roles.index("begin") + 2] == "end"
    return sides[0], sides[1]


def test_merged_bead_joins_the_codes_of_its_lines():
    from align.aligner.formats import to_units
    from align.model import Bead

    b, e = InlineCode("begin", "b", pair="1"), InlineCode("end", "b", pair="1")
    src = ["The museum opens at 10.", "Tickets cost 15 euros."]
    tgt = ["Музей открывается в 10.", "Билеты стоят 15 евро."]
    src_content = [None, ("Tickets cost ", b, "15 euros", e, ".")]
    (unit,) = to_units([Bead((0, 1), (0, 1))], src, tgt, "en", "ru", src_content, None)
    assert unit.source_content == ("The museum opens at 10. Tickets cost ", b, "15 euros", e, ".")
    assert unit.content("source") == unit.source_content and unit.target_content is None
