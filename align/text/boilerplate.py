"""Drop web debris from scraped pages with rules kept as data (data/boilerplate.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from align.errors import InputError
from align.paths import check_readable
from align.text.script import dominant_script


@dataclass(frozen=True)
class Rule:
    name: str
    match: str
    pattern: re.Pattern[str] | None = None
    max_words: int = 0

    def hits(self, block: str, body_script: str | None) -> bool:
        if self.match == "foreign-script":
            script = dominant_script(block)
            return (
                body_script is not None
                and script is not None
                and script != body_script
                and len(block.split()) <= self.max_words
                and not block.rstrip().endswith((".", "?", "!"))
            )
        assert self.pattern is not None
        if self.match == "fullmatch":
            return self.pattern.fullmatch(block) is not None
        return self.pattern.search(block) is not None


def _compile(raw: dict, source: str) -> Rule:
    name = raw.get("name", "?")
    match = raw.get("match", "fullmatch")
    if match == "foreign-script":
        return Rule(name, match, max_words=int(raw.get("max_words", 3)))
    if match not in ("fullmatch", "search"):
        raise InputError(source, f"rule {name!r}: unknown match type {match!r}")
    flags = re.IGNORECASE if "i" in raw.get("flags", "") else 0
    try:
        return Rule(name, match, re.compile(raw["pattern"], flags))
    except (KeyError, re.error) as exc:
        raise InputError(source, f"rule {name!r}: bad pattern ({exc})") from None


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """Load a rule file; ``None`` means the bundled news-page rules."""
    if path is None:
        return _bundled_rules()
    check_readable(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise InputError(path, "is not a usable JSON rule file (nested too deeply)") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, f"is not a readable JSON rule file ({exc})") from None
    return tuple(_compile(r, str(path)) for r in raw.get("rules", []))


@lru_cache(maxsize=1)
def _bundled_rules() -> tuple[Rule, ...]:
    text = resources.files("align").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    return tuple(_compile(r, "align/data/boilerplate.json") for r in json.loads(text)["rules"])


def debris_rule(block: str, body_script: str | None, rules: tuple[Rule, ...]) -> str | None:
    """Name of the first rule that marks ``block`` as debris, else ``None``."""
    return next((r.name for r in rules if r.hits(block, body_script)), None)
