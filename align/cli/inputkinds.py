"""Inputs that are no text to align or translate: a TMX or XLIFF, or markup read by line.

``align align`` and ``align translate`` read a plain file one segment per line
(documents with ``--segment``). A translation memory or an XLIFF given there
would be read as its markup, line by line, and "aligned" or "translated" with
exit 0; an HTML page without ``--segment`` would pair ``<!DOCTYPE html>``
lines. :func:`check_text_input` refuses them in one line that says what to do.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError, warn

_HEAD = 4096
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


# Per command: what a TMX or an XLIFF is to it, and the command that reads one.
_TMX = {
    "align": "its pairs are aligned already; `align tmx to-tsv {path}` lists them",
    "translate": "a translation memory, not a text to translate; `align tmx to-tsv {path}` "
    "lists its pairs",
}
_XLIFF = {
    "align": "its units are paired already; `align tmx export {path} -o FILE.tmx` makes a TMX "
    "of its translated units",
    "translate": "translate reads plain text and documents, and would translate its markup "
    "line by line; give the source text (-f xliff writes the drafts as XLIFF)",
}
_DONE = {"align": "aligned", "translate": "translated"}


def file_head(path: Path) -> bytes:
    """The start of ``path``, UTF-16 zero bytes and a BOM dropped, leading blanks stripped."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except OSError:
        return b""  # the reader that follows names the problem
    return head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")


def check_text_input(path: str | Path, segment: bool, doing: str) -> None:
    """Refuse ``path`` when it is no text to read for ``doing`` ("align", "translate").

    A TMX (already aligned pairs) or XLIFF (already paired units) is refused
    always, naming the command that reads it; an HTML page is refused without
    ``segment``, which reads it as a document. Other XML read by line gets a
    warning: a line file may well start with a tag. Standard input (``-``) and
    files that cannot be read pass (the reader reports those).
    """
    from align.text.ingest import HTML_START  # as documents are sniffed
    from align.xliff import is_xliff

    p = Path(path)
    if str(path) == "-" or not p.is_file():
        return
    name = p.name.lower()
    head = b"" if name.endswith(".gz") else file_head(p)
    xml = head.startswith(b"<")
    if name.endswith((".tmx", ".tmx.gz")) or (xml and b"<tmx" in head):
        named = name.endswith((".tmx", ".tmx.gz")) and doing == "align"
        review = f", `align review {path}` checks them" if named else ""
        raise InputError(p, f"is a TMX file: {_TMX[doing].format(path=path)}{review}")
    if is_xliff(p) or (xml and b"<xliff" in head):
        raise InputError(p, f"is an XLIFF file: {_XLIFF[doing].format(path=path)}")
    if segment:
        return
    if name.endswith(_HTML_SUFFIXES) or HTML_START.match(head.decode("latin-1")):
        raise InputError(
            p,
            f"is an HTML page: read one segment per line, its markup would be {_DONE[doing]} "
            "too; add --segment to read it as a document (its text, split into sentences)",
        )
    if xml and head.startswith(b"<?xml"):
        warn(p, "looks like XML; it is read one segment per line, markup and all")
