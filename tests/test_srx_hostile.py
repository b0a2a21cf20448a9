"""SRX files go through the safe XML policy; broken rules give one line naming the rule."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from align.cli import main

HEAD = '<?xml version="1.0"?>\n'
BODY = """<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="no"/>
<body>
<languagerules>
<languagerule languagerulename="English">
<rule break="no"><beforebreak>{before}</beforebreak><afterbreak>\\s</afterbreak></rule>
<rule break="yes"><beforebreak>[.?!]</beforebreak><afterbreak>\\s</afterbreak></rule>
</languagerule>
</languagerules>
<maprules>
<languagemap languagepattern="{pattern}" languagerulename="{target}"/>
</maprules>
</body>
</srx>
"""


def srx(tmp_path, before="Mr\\.", pattern="en.*", target="English", doctype=""):
    p = tmp_path / "rules.srx"
    p.write_text(HEAD + doctype + BODY.format(before=before, pattern=pattern, target=target))
    return p


def segment(tmp_path, rules):
    text = tmp_path / "t.txt"
    text.write_text("Mr. Smith came. He left.\n")
    return CliRunner().invoke(
        main, ["segment", str(text), "--srx", str(rules), "-s", "en"], catch_exceptions=False
    )


def one_error(res) -> str:
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), res.stderr
    return lines[0]


def test_good_rules_work(tmp_path):
    res = segment(tmp_path, srx(tmp_path))
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines() == ["Mr. Smith came.", "He left."]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE srx [<!ENTITY abbr "Mr\\.">]>\n',
        '<!DOCTYPE srx [<!ENTITY abbr SYSTEM "file:///etc/hostname">]>\n',
        '<!DOCTYPE srx [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n',
    ],
    ids=["internal", "external", "laughs"],
)
def test_entities_refused(tmp_path, doctype):
    rules = srx(tmp_path, before="&abbr;" if "abbr" in doctype else "Mr\\.", doctype=doctype)
    err = one_error(segment(tmp_path, rules))
    assert "rules.srx: declares XML entities" in err


def test_invalid_regex_names_the_rule(tmp_path):
    err = one_error(segment(tmp_path, srx(tmp_path, before="[Mr")))
    assert "languagerule 'English' rule 1 (line 7) <beforebreak>: '[Mr'" in err
    assert "not a valid regular expression" in err


def test_invalid_language_pattern(tmp_path):
    err = one_error(segment(tmp_path, srx(tmp_path, pattern="(en")))
    assert "languagepattern" in err and "'(en'" in err


def test_unknown_languagerulename(tmp_path):
    err = one_error(segment(tmp_path, srx(tmp_path, target="Englsh")))
    assert "languagerule 'Englsh', which is not defined (defined: English)" in err
