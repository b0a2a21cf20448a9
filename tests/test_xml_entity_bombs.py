"""A full billion-laughs DOCTYPE is refused by every XML reader with the entity message.

libxml2 2.13+ stops such a file with its own "entity amplification" error before
the DOCTYPE can be inspected; the readers must still say what is wrong (entities),
not that the file is malformed, whichever libxml2 is installed.
"""

from __future__ import annotations

import pytest

from align.errors import InputError
from align.glossary.tbx import parse_tbx
from align.text.segment import _check_srx
from align.tmx.reader import read_tmx
from align.xliff.reader import read_xliff
from align.xmlsafe import entity_declarations

BOMB = '<!DOCTYPE {root} [<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)
BODIES = {
    "tmx": '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&l9;'
    '</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>',
    "tbx": '<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&l9;</term></tig>'
    "</langSet></termEntry></body></text></martif>",
    "xlf": '<xliff version="1.2"><file source-language="en" target-language="ru" original="a">'
    "<body><trans-unit id='1'><source>&l9;</source></trans-unit></body></file></xliff>",
    "srx": '<srx version="2.0"><header/><body><maprules><languagemap languagepattern=".*" '
    'languagerulename="a"/></maprules><languagerules><languagerule languagerulename="a">'
    "<rule><beforebreak>&l9;</beforebreak></rule></languagerule></languagerules></body></srx>",
}
ROOTS = {"tmx": "tmx", "tbx": "martif", "xlf": "xliff", "srx": "srx"}
READERS = {
    "tmx": lambda p: list(read_tmx(p, "en", "ru")),
    "tbx": lambda p: parse_tbx(p.read_bytes(), p),
    "xlf": read_xliff,
    "srx": _check_srx,
}
MESSAGES = {
    "tmx": "declares XML entities (l0, l1, l2)",
    "tbx": "declares XML entities",
    "xlf": "has a DOCTYPE",
    "srx": "declares XML entities (l0, l1, l2)",
}


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused_as_entities(tmp_path, kind, encoding):
    path = tmp_path / f"bomb.{kind}"
    doc = f'<?xml version="1.0" encoding="{encoding}"?>\n' + BOMB.format(root=ROOTS[kind])
    path.write_bytes((doc + "]>\n" + BODIES[kind]).encode(encoding))
    with pytest.raises(InputError) as err:
        READERS[kind](path)
    assert str(err.value).startswith(str(path))
    assert MESSAGES[kind] in str(err.value)


def test_entity_declarations_names_each_declaration():
    head = b'<!DOCTYPE x [<!ENTITY a "1"><!ENTITY % b SYSTEM "f"><!entity c "3">]><x/>'
    assert entity_declarations(head) == ["a", "b", "c"]
    assert entity_declarations("<!ENTITY é 'x'>".encode("utf-16")) == ["é"]
    assert entity_declarations(b"<x>&lt;!ENTITY</x>") == []
