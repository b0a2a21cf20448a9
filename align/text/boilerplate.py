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


# The keys a rule file may hold (see align/data/boilerplate.json); anything else is
# refused, so a misspelt "rules" or "pattern" is never silently a file with no rules.
TOP_KEYS = ("about", "rules")
PATTERN_KEYS = ("name", "why", "match", "pattern", "flags")
RULE_KEYS = {
    "fullmatch": PATTERN_KEYS,
    "search": PATTERN_KEYS,
    "foreign-script": ("name", "why", "match", "max_words"),
}


def _unknown_key(raw: dict, allowed: tuple[str, ...], what: str) -> str | None:
    """The first key of ``raw`` not in ``allowed``, named with the keys ``what`` has."""
    extra = [k for k in raw if k not in allowed]
    if not extra:
        return None
    return f"unknown key {extra[0]!r} ({what} has {', '.join(allowed)})"


def _compile(raw: object, k: int, source: str) -> Rule:
    """Rule ``k`` (counted from 1) of a rule file, checked key by key."""
    if not isinstance(raw, dict):
        raise InputError(source, f"rule {k}: must be a JSON object, not {json.dumps(raw)[:40]}")
    name = raw.get("name", "?")
    where = f"rule {k}" + (f" ({name})" if isinstance(name, str) and "name" in raw else "")

    def bad(problem: str) -> InputError:
        return InputError(source, f"{where}: {problem}")

    match = raw.get("match", "fullmatch")
    if not isinstance(match, str) or match not in RULE_KEYS:
        raise bad(f"unknown match type {match!r} (expected {', '.join(RULE_KEYS)})")
    if problem := _unknown_key(raw, RULE_KEYS[match], f"a {match} rule"):
        raise bad(problem)
    if not isinstance(name, str):
        raise bad("name must be a string")
    if match == "foreign-script":
        max_words = raw.get("max_words", 3)
        if type(max_words) is not int or max_words < 0:
            raise bad("max_words must be a whole number")
        return Rule(name, match, max_words=max_words)
    flags, pattern = raw.get("flags", ""), raw.get("pattern")
    if not isinstance(flags, str) or set(flags) - {"i"}:
        raise bad('flags may only be "i" (ignore case) or ""')
    if not isinstance(pattern, str):
        raise bad("pattern must be a string (a Python regular expression)")
    try:
        compiled = re.compile(pattern, re.IGNORECASE if flags else 0)
    except (re.error, RecursionError, OverflowError) as exc:
        raise bad(f"bad pattern ({exc})") from None
    if not pattern or (match == "search" and compiled.search("") is not None):
        # A search for "" (or "x*") hits every block: the whole page would be debris.
        raise bad(f"pattern {pattern!r} matches empty text, so it would match every block")
    return Rule(name, match, compiled)


def _compile_all(raw: object, source: str) -> tuple[Rule, ...]:
    """Every rule of a parsed rule file; InputError names what is wrong with its structure."""
    if not isinstance(raw, dict):
        raise InputError(source, 'must be a JSON object with a "rules" list')
    if problem := _unknown_key(raw, TOP_KEYS, "a rule file"):
        raise InputError(source, problem)
    if not isinstance(raw.get("rules"), list):
        raise InputError(source, '"rules" must be a list of rule objects')
    return tuple(_compile(r, k, source) for k, r in enumerate(raw["rules"], 1))


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """Load a rule file; ``None`` means the bundled news-page rules.

    Raises InputError (``FILE: problem``) for unreadable JSON and for a structure
    that is not a rule file: a top level other than ``{"about", "rules"}``, a rule
    key that its match type does not use, a wrong type or a bad pattern.
    """
    if path is None:
        return _bundled_rules()
    check_readable(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise InputError(path, "is not a usable JSON rule file (nested too deeply)") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, f"is not a readable JSON rule file ({exc})") from None
    return _compile_all(raw, str(path))


@lru_cache(maxsize=1)
def _bundled_rules() -> tuple[Rule, ...]:
    text = resources.files("align").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    return _compile_all(json.loads(text), "align/data/boilerplate.json")


def debris_rule(block: str, body_script: str | None, rules: tuple[Rule, ...]) -> str | None:
    """Name of the first rule that marks ``block`` as debris, else ``None``."""
    return next((r.name for r in rules if r.hits(block, body_script)), None)
