"""Web pages are decoded once (BOM, <meta> charset, detection), then parsed as text (#11.11)."""

from __future__ import annotations

import codecs

import pytest

from align.text.ingest import ingest_file
from align.text.textio import declared_html_charset, decode_html

TITLE = "Заголовок"
P1 = "Порт Баку сегодня открыт для всех судов. Капитан сказал, что погода хорошая."
P2 = "Никто не ответил на его вопрос о времени отправления."
PAGE = (
    "<!DOCTYPE html><html><head>{meta}<title>{t}</title></head><body><h1>{t}</h1>"
    "<p>{p1}</p><p>{p2}</p></body></html>"
)


def page(meta: str = "") -> str:
    return PAGE.format(meta=meta, t=TITLE, p1=P1, p2=P2)


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ("", "cp1251"),  # no declaration: detected
        ("<meta charset=windows-1251>", "cp1251"),
        ('<meta charset="windows-1251">', "cp1251"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', "cp1251"),
        ("", "utf-8"),  # UTF-8 without a meta tag
        ('<meta charset="utf-8">', "utf-8"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "koi8-r"),
        ("", "utf-8-sig"),  # BOM
        ('<meta charset="windows-1251">', "utf-8-sig"),  # BOM wins over a wrong meta
        ('<meta charset="utf-8">', "cp1251"),  # meta contradicted by the bytes: detection
    ],
)
def test_russian_page_decodes_once(tmp_path, meta, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(page(meta).encode(encoding))
    doc = ingest_file(path)
    assert doc.title == TITLE
    assert [p.text for p in doc.paragraphs[1:]] == [P1, P2]
    assert doc.lang == "ru"


@pytest.mark.parametrize(
    ("html", "codec"),
    [
        (b"<meta charset=windows-1251>", "cp1251"),
        (b"<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=KOI8-R'>", "koi8_r"),
        (b'<meta charset="iso-8859-1">', "cp1252"),  # the HTML standard's mapping
        (b'<meta charset="utf-16">', "utf-8"),  # a byte stream with a utf-16 meta is UTF-8
        (b'<meta charset="no-such-charset">', None),
        (b"<p>no meta</p>", None),
        (b" " * 5000 + b"<meta charset=koi8-r>", None),  # only the first 4 KiB count
    ],
)
def test_declared_charset(html, codec):
    found = declared_html_charset(html)
    assert found == (codecs.lookup(codec).name if codec else None)


def test_contradicted_meta_is_reported(capsys):
    decoded = decode_html(page('<meta charset="utf-8">').encode("cp1251"), "p.html")
    assert decoded.encoding != "utf-8" and TITLE in decoded.text
    assert "p.html: declares charset utf-8 but byte" in capsys.readouterr().err


def test_html_sniffed_without_extension(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(page("<meta charset=windows-1251>").encode("cp1251"))
    assert ingest_file(path).title == TITLE
