"""``--replace-invalid-chars``: one definition for every command that writes XML.

TMX, TBX and XLIFF cannot hold most C0 control characters (XML 1.0 §2.2). By
default align stops and names the unit; with the option it writes U+FFFD
instead. The library's error names no option; :func:`hint_invalid_chars` adds
the hint only inside commands that have this option (issue #12.14).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from align.errors import InvalidXmlCharError
from align.xmlsafe import InvalidChars

if TYPE_CHECKING:
    from align.glossary import Glossary

OPTION = "--replace-invalid-chars"


def replace_invalid_chars_option(what: str = "the XML output") -> Callable:
    """The flag, stored as ``replace_invalid_chars``."""
    return click.option(
        OPTION,
        "replace_invalid_chars",
        is_flag=True,
        help=f"Replace control characters XML cannot store with U+FFFD in {what} "
        "instead of stopping.",
    )


@contextlib.contextmanager
def hint_invalid_chars() -> Iterator[None]:
    """Re-raise an :class:`InvalidXmlCharError` with the hint to use :data:`OPTION`."""
    try:
        yield
    except InvalidXmlCharError as exc:
        raise exc.with_hint(OPTION) from None


def invalid_chars_mode(replace: bool) -> InvalidChars:
    """The writers' ``invalid_chars`` argument for the flag's value."""
    return "replace" if replace else "error"


def note_replaced(out: str | Path, count: int) -> None:
    """The one stderr line saying how many characters the option replaced in ``out`` (if any)."""
    if count:
        click.echo(f"align: note: {out}: replaced {count} invalid characters with U+FFFD", err=True)


def check_glossary_chars(glossary: Glossary, out: str, replace: bool) -> int:
    """Before a TBX is written: XML-invalid characters in terms are an error naming
    the term id, or (``replace``) become U+FFFD. Returns how many were replaced."""
    from align.text.textio import describe_char
    from align.xmlsafe import storable

    mode = invalid_chars_mode(replace)
    count = 0

    def fix(text: str, where: str) -> str:
        nonlocal count

        def refuse(ch: str) -> InvalidXmlCharError:
            problem = f"{where} contains {describe_char(ch)}, a control character XML cannot store"
            return InvalidXmlCharError(out, f"{problem}; remove it from the glossary").with_hint(
                OPTION
            )

        fixed, n = storable(text, mode, refuse)
        count += n
        return fixed

    for term in glossary.terms:
        for table in (term.variants, term.forbidden):
            for lang, values in table.items():
                values[:] = [fix(v, f"term {term.id} ({lang}): {v!r}") for v in values]
        term.note = fix(term.note, f"term {term.id}: the note")
    return count
