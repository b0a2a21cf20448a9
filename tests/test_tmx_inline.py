"""TMX inline codes (TMX 1.4b §3.7): kept by the reader, written back unchanged,
and seen by text consumers as text with word boundaries (issue 11 item 6)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from align.cli import main
from align.model import InlineCode, TranslationUnit, inline_text, merge_text, slice_inline
from align.tmx import merge_tmx, read_tmx, tmx_to_tsv, validate_tmx, write_tmx

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
    'creationtool="t" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
    'o-tmf="t" adminlang="en"/><body>\n'
)
BAKU_EN = 'The port of Baku<ph x="2">&lt;br/&gt;</ph>is open.'
BAKU_RU = 'Порт Баку<ph x="2">&lt;br/&gt;</ph>открыт <bpt i="1">&lt;b&gt;</bpt>днём<ept i="1">&lt;/b&gt;</ept>.'


def _tmx(path: Path, pairs: list[tuple[str, str]], dates: list[str] | None = None) -> Path:
    body = []
    for n, (en, ru) in enumerate(pairs):
        date = f' changedate="{dates[n]}"' if dates else ""
        body.append(
            f'<tu tuid="{n}"{date}><tuv xml:lang="en"><seg>{en}</seg></tuv>'
            f'<tuv xml:lang="ru"><seg>{ru}</seg></tuv></tu>\n'
        )
    path.write_text(HEADER + "".join(body) + "</body></tmx>\n", "utf-8")
    return path


def _segs(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return [chunk.split("</seg>")[0] for chunk in text.split("<seg>")[1:]]


def test_placeholder_between_words_is_a_word_boundary(tmp_path):
    unit = next(read_tmx(_tmx(tmp_path / "a.tmx", [(BAKU_EN, BAKU_RU)]), "en", "ru"))
    assert unit.source == "The port of Baku is open."
    assert unit.target == "Порт Баку открыт днём."
    codes = [p for p in unit.source_content if isinstance(p, InlineCode)]
    assert [(c.role, c.element, c.native) for c in codes] == [("placeholder", "ph", "&lt;br/&gt;")]


def test_span_codes_inside_a_word_do_not_split_it(tmp_path):
    seg = '<bpt i="1">&lt;b&gt;</bpt>B<ept i="1">&lt;/b&gt;</ept>aku and <hi type="b">Ba</hi>ku'
    unit = next(read_tmx(_tmx(tmp_path / "a.tmx", [(seg, "Баку")]), "en", "ru"))
    assert unit.source == "Baku and Baku"


def test_merge_and_rewrite_keep_codes_unchanged(tmp_path):
    segs = [
        BAKU_EN,
        'See <it pos="begin" x="3">&lt;a href="x"&gt;</it>here<ut>{1}</ut>, '
        '<hi x="4" type="em">very <ph>&lt;img/&gt;</ph>much</hi>.',
        'Footnote<ph type="fnote"><sub>A note</sub></ph> text.',
    ]
    src = _tmx(tmp_path / "in.tmx", [(s, BAKU_RU) for s in segs])
    merged = tmp_path / "merged.tmx"
    merge_tmx([src], merged, src_lang="en", tgt_lang="ru")
    rewritten = tmp_path / "re.tmx"
    write_tmx(rewritten, list(read_tmx(src, "en", "ru")), src_lang="en", tgt_lang="ru")
    expected = [x for s in segs for x in (s, BAKU_RU)]
    assert _segs(merged) == expected
    assert _segs(rewritten) == expected


def test_edited_text_drops_stale_codes(tmp_path):
    unit = next(read_tmx(_tmx(tmp_path / "a.tmx", [(BAKU_EN, BAKU_RU)]), "en", "ru"))
    unit.target = "Порт Баку закрыт."
    write_tmx(tmp_path / "b.tmx", [unit], src_lang="en", tgt_lang="ru")
    assert _segs(tmp_path / "b.tmx") == [BAKU_EN, "Порт Баку закрыт."]


def test_tsv_and_glossary_check_see_separate_words(tmp_path):
    src = _tmx(tmp_path / "a.tmx", [(BAKU_EN, BAKU_RU)])
    out = tmp_path / "a.tsv"
    tmx_to_tsv(src, out, "en", "ru")
    assert "The port of Baku is open.\tПорт Баку открыт днём." in out.read_text("utf-8")
    gloss = tmp_path / "g.tsv"
    gloss.write_text("en\tru\nBaku\tБаку\n", "utf-8")
    res = CliRunner().invoke(main, ["glossary", "check", str(src), "-g", str(gloss),
                                    "--src-lang", "en", "--tgt-lang", "ru", "--all"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "1 term occurrences: 1 ok" in res.output, res.output


# --- property: any segment with codes survives read → write → read unchanged ----------

_TEXT = st.text(alphabet="ab cd.Яй", min_size=0, max_size=6)
_NATIVE = st.sampled_from(["", "&lt;b&gt;", "{0}", "&amp;nbsp;", "<sub>x y</sub>"])


@st.composite
def _content(draw) -> tuple:
    """A seg's inner XML built from random text, placeholders, pairs, isolated codes and hi."""
    out: list[str] = []
    i = 0
    for _ in range(draw(st.integers(0, 5))):
        out.append(_esc(draw(_TEXT)))
        kind = draw(st.sampled_from(["ph", "ut", "pair", "it", "hi"]))
        native = draw(_NATIVE)
        if kind == "ph":
            out.append(f'<ph x="{i}">{native}</ph>')
        elif kind == "ut":
            out.append(f"<ut>{native.replace('<sub>x y</sub>', '')}</ut>")
        elif kind == "it":
            pos = draw(st.sampled_from(["begin", "end"]))
            out.append(f'<it pos="{pos}">{native}</it>')
        elif kind == "pair":
            i += 1
            out.append(
                f'<bpt i="{i}">{native}</bpt>{_esc(draw(_TEXT))}<ept i="{i}">&lt;/x&gt;</ept>'
            )
        else:
            out.append(f'<hi type="b">{_esc(draw(_TEXT))}<ph>{native}</ph></hi>')
        i += 1
    out.append(_esc(draw(_TEXT)))
    seg = "".join(out)
    return seg if seg.strip() else "x"


def _c14n(seg: str) -> bytes:
    """Canonical XML of a seg (``<ph/>`` and ``<ph></ph>`` are the same element)."""
    return etree.tostring(etree.fromstring(f"<seg>{seg}</seg>"), method="c14n")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(src=_content(), tgt=_content())
def test_roundtrip_property(tmp_path, src, tgt):
    path = _tmx(tmp_path / "p.tmx", [(src, tgt)])
    units = list(read_tmx(path, "en", "ru"))
    if not units[0].source.strip() or not units[0].target.strip():
        return  # a side with codes only: the writer leaves such units out
    out = tmp_path / "p2.tmx"
    write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert [_c14n(s) for s in _segs(out)] == [_c14n(src), _c14n(tgt)]
    for tmx in (path, out):  # no unpaired <bpt>/<ept> read, none written
        assert [p for p in validate_tmx(tmx) if p.rule == "inline-pair"] == []
    again = list(read_tmx(out, "en", "ru"))
    assert again[0].source_content == units[0].source_content
    assert again[0].source == units[0].source == inline_text(units[0].content("source"))


@given(parts=st.lists(st.one_of(_TEXT, st.sampled_from([
    InlineCode("placeholder", "ph"), InlineCode("begin", "bpt", pair="1"),
    InlineCode("end", "ept", pair="1")])), max_size=8), cut=st.integers(0, 30))  # fmt: skip
def test_slices_partition_the_text_view(parts, cut):
    content = merge_text(parts)
    text = inline_text(content)
    cut = min(cut, len(text))
    left, right = slice_inline(content, 0, cut), slice_inline(content, cut, len(text))
    joined = inline_text(left) + inline_text(right)
    assert joined.replace(" ", "") == text.replace(" ", "")
    assert inline_text(slice_inline(content, 0, len(text))) == text


_ANY_CODE = st.sampled_from([
    InlineCode("begin", "bpt", (("i", "1"),), "&lt;b&gt;", "1", "tmx"),
    InlineCode("end", "ept", (("i", "1"),), "&lt;/b&gt;", "1", "tmx"),
    InlineCode("begin", "bpt", (("i", "2"),), "", "2", "tmx"),
    InlineCode("end", "ept", (("i", "2"),), "", "2", "tmx"),
    InlineCode("begin", "hi", (("type", "b"),), fmt="tmx"), InlineCode("end", "hi", fmt="tmx"),
    InlineCode("begin", "g", (("id", "1"),), fmt="xliff-1.2"),
    InlineCode("end", "g", fmt="xliff-1.2"),
    InlineCode("begin", "bx", pair="1", fmt="xliff-1.2"),
    InlineCode("end", "ex", pair="1", fmt="xliff-1.2"),
    InlineCode("begin", "b", pair="7", fmt="docx"), InlineCode("end", "b", pair="7", fmt="docx"),
    InlineCode("placeholder", "ph", fmt="tmx"),
])  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.one_of(st.text(alphabet="ab", min_size=1, max_size=3), _ANY_CODE),
                      max_size=10))  # fmt: skip
def test_written_bpt_ept_always_pair(tmp_path, parts):
    """Whatever codes a unit holds (reused i, lone halves, other formats), the
    written <seg> pairs every <bpt> with one <ept> by a unique i."""
    content = merge_text(["x", *parts])
    unit = TranslationUnit(inline_text(content), "y", "en", "ru", source_content=content)
    out = tmp_path / "w.tmx"
    write_tmx(out, [unit], src_lang="en", tgt_lang="ru")
    assert [p for p in validate_tmx(out) if p.rule == "inline-pair"] == []


def test_codes_from_other_formats_become_tmx_codes(tmp_path):
    unit = TranslationUnit(
        source="Bold here",
        target="Жирный тут",
        src_lang="en",
        tgt_lang="ru",
        source_content=(
            InlineCode("begin", "g", (("id", "1"),)),
            "Bold",
            InlineCode("end", "g"),
            " here",
            InlineCode("begin", "bx", pair="9"),
        ),
    )
    write_tmx(tmp_path / "o.tmx", [unit], src_lang="en", tgt_lang="ru")
    assert _segs(tmp_path / "o.tmx")[0] == '<bpt i="1"/>Bold<ept i="1"/> here<it pos="begin"/>'


def test_text_in_unknown_elements_is_kept_without_codes(tmp_path):
    """A ``<seg>`` whose children are not inline codes reads as all its text."""
    unit = next(read_tmx(_tmx(tmp_path / "a.tmx", [("a<foo>b</foo>c", "x<foo/>y")]), "en", "ru"))
    assert (unit.source, unit.target) == ("abc", "xy")
    assert unit.source_content is None and unit.target_content is None
