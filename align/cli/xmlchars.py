"""``--replace-invalid-chars``: one definition for every command that writes XML.

TMX, TBX and XLIFF cannot hold most C0 control characters (XML 1.0 §2.2). By
default align stops and names the unit; with the option it writes U+FFFD
instead. The library's error names no option; :func:`hint_invalid_chars` adds
the hint only inside commands that have this option (issue #12.14).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import click

from align.errors import InvalidXmlCharError

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


def invalid_chars_mode(replace: bool) -> str:
    """The writers' ``invalid_chars`` argument for the flag's value."""
    return "replace" if replace else "error"


def check_glossary_chars(glossary, out: str, replace: bool) -> int:
    """Before a TBX is written: XML-invalid characters in terms are an error naming
    the term id, or (``replace``) become U+FFFD. Returns how many were replaced."""
    from align.text.textio import describe_char
    from align.xmlsafe import first_invalid_char, replace_invalid_chars

    count = 0
    for term in glossary.terms:
        for field_name in ("variants", "forbidden"):
            table = getattr(term, field_name)
            for lang, values in table.items():
                for k, value in enumerate(values):
                    ch = first_invalid_char(value)
                    if ch is None:
                        continue
                    if not replace:
                        raise InvalidXmlCharError(
                            out,
                            f"term {term.id} ({lang}): {value!r} contains {describe_char(ch)}, "
                            "a control character XML cannot store; remove it from the glossary",
                        ).with_hint(OPTION)
                    values[k], n = replace_invalid_chars(value)
                    count += n
        if first_invalid_char(term.note):
            if not replace:
                raise InvalidXmlCharError(
                    out, f"term {term.id}: the note contains a control character XML cannot store"
                ).with_hint(OPTION)
            term.note, n = replace_invalid_chars(term.note)
            count += n
    return count
