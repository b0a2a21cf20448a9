"""The HTML review report: structure checked with lxml, self-contained."""

from __future__ import annotations

import lxml.html

from align.run.report import ReportData, ReportRow, render


def _data(fixture: bool = False, mt: bool = False) -> ReportData:
    rows = [
        ReportRow(
            [0],
            [0],
            "Baku & Moscow <agree>.",
            "Баку и Москва договорились.",
            "1-1",
            0.93,
            False,
            mt="Баку и Москва согласны." if mt else None,
            src_terms=[(0, 4, "ok"), (7, 13, "ok")],
            tgt_terms=[(0, 4, "ok"), (7, 13, "ok")],
        ),
        ReportRow(
            [1, 2],
            [1],
            "In Khankendi. It rained.",
            "В Степанакерте шёл дождь.",
            "2-1",
            0.41,
            True,
            mt="В Ханкенди. Шёл дождь." if mt else None,
            src_terms=[(3, 12, "forbidden")],
            tgt_terms=[(2, 14, "forbidden")],
            findings=["forbidden: Khankendi → expected “Ханкенди” (found “Степанакерте”)"],
        ),
        ReportRow([3], [], "Photo: TASS", "", "1-0", 0.8, True),
    ]
    return ReportData(
        "Interview",
        "en",
        "ru",
        rows,
        4,
        2,
        scores={"alignment strict F1": 0.97},
        notes=["no model installed"],
        mt_label="fixture-en-ru" if mt else None,
        fixture=fixture,
    )


def test_report_structure():
    page = lxml.html.document_fromstring(render(_data()))
    rows = page.xpath("//table[@class='beads']/tbody/tr")
    assert len(rows) == 3
    assert rows[1].get("class") == "review"
    assert "null" in rows[2].get("class")
    marks = rows[1].xpath(".//mark")
    # The English source term is marked neutrally; only the Russian rendering is a problem.
    assert [m.get("class") for m in marks] == ["term", "forbidden"]
    assert marks[0].text == "Khankendi" and marks[1].text == "Степанакерте"
    assert (
        rows[0].xpath("./td")[3].text_content() == "Baku & Moscow <agree>."
    )  # escaped, not markup
    assert page.xpath("//section[@id='scores']//td")[0].text == "0.970"
    assert len(page.xpath("//svg//circle")) == 3
    # Three columns of text, no MT column without MT.
    assert len(page.xpath("//table[@class='beads']/thead/tr/th")) == 6


def test_report_is_self_contained():
    text = render(_data(mt=True))
    page = lxml.html.document_fromstring(text)
    assert not page.xpath("//script | //link | //img | //iframe")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text


def test_mt_column_and_fixture_banner():
    page = lxml.html.document_fromstring(render(_data(fixture=True, mt=True)))
    assert page.xpath("//div[contains(@class,'fixture')]")
    assert "not a translation" in page.xpath("//div[contains(@class,'fixture')]")[0].text_content()
    heads = [th.text_content() for th in page.xpath("//table[@class='beads']/thead/tr/th")]
    assert heads[5] == "ru (MT: fixture-en-ru)"
    assert page.xpath("//td[@class='mt']")[1].text == "В Ханкенди. Шёл дождь."


def test_stale_spans_are_ignored():
    data = _data()
    data.rows[0].src_terms.append((2, 999, "ok"))
    page = lxml.html.document_fromstring(render(data))
    assert (
        page.xpath("//table[@class='beads']/tbody/tr")[0].xpath("./td")[3].text_content()
        == "Baku & Moscow <agree>."
    )


def test_report_faults_a_new_user_met_are_fixed():
    """Issue 15's list: no flag filter, no reasons, hidden flagged row, grey nulls scored 1.00,
    correct source terms struck through, no viewport."""
    data = _data()
    data.rows.append(ReportRow([4], [2], "Fine.", "Хорошо.", "1-1", 0.97, False))
    text = render(data)
    page = lxml.html.document_fromstring(text)
    assert page.xpath("//meta[@name='viewport']")
    # Flagged beads are listed first, each linked to its row with the reason in words.
    links = page.xpath("//section[@id='flagged']//a")
    assert [a.get("href") for a in links] == ["#bead-2", "#bead-3"]
    items = [li.text_content() for li in page.xpath("//section[@id='flagged']//li")]
    assert "low similarity: confidence 0.41" in items[0] and "forbidden: Khankendi" in items[0]
    assert "unmatched: no target line pairs with this one" in items[1]
    assert page.xpath("//tr[@id='bead-2']")
    # A filter for flagged beads that needs no script.
    assert page.xpath("//input[@id='flagged-only'][@type='checkbox']")
    assert "#flagged-only:checked~table.beads tbody tr:not(.review){display:none}" in text
    rows = page.xpath("//table[@class='beads']/tbody/tr")
    assert rows[3].get("class") is None  # the clean bead is not flagged
    # An omission says so, with no misleading score.
    null_cells = rows[2].xpath("./td")
    assert null_cells[2].text_content().strip() == "— ⚑"
    assert null_cells[4].text_content() == "— no target line —"
    assert "unmatched" in rows[2].xpath("./td[@class='why']")[0].text_content()
    # Source terms are never struck through.
    assert all(m.get("class") == "term" for m in page.xpath("//td[@lang='en']//mark"))


def test_report_rows_carry_the_given_reasons():
    data = _data()
    data.rows[0].reasons = ["length: the target is 3.1× longer than usual here"]
    page = lxml.html.document_fromstring(render(data))
    why = page.xpath("//table[@class='beads']/tbody/tr")[0].xpath("./td[@class='why']")[0]
    assert why.text_content() == "length: the target is 3.1× longer than usual here"
    assert page.xpath("//table[@class='beads']/tbody/tr")[0].get("class") == "review"
