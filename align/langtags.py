"""BCP 47 language tags: one place that parses, validates, normalises and matches them.

Every stage takes language codes from users (``-s en``), files (TMX ``xml:lang``,
TBX columns) and Argos packages (``from_code``). They are read here with
``langcodes`` (the IANA subtag registry, RFC 5646 syntax) so that
``EN``, ``en_GB`` and ``en-gb`` mean what a CAT tool means by them, and nothing
that is not a tag (``xx``, ``../../x``) ever reaches a file name or a TMX.

Normalising only fixes case and separators: a region or script is never added
or replaced (``en`` stays ``en``, ``en_GB`` becomes ``en-GB``, never ``en-US``).
"""

from __future__ import annotations

import functools

import langcodes
from langcodes import Language, LanguageTagError

__all__ = [
    "MACROLANGUAGE",
    "LanguageTagError",
    "is_valid_tag",
    "is_well_formed",
    "language_subtag",
    "normalize_tag",
    "parse_tag",
    "preferred_tag",
    "primary_language",
    "script_subtag",
    "tags_match",
    "user_tag",
]

EXAMPLES = "a BCP 47 language tag like en, ru or pt-BR"


def _raw(code: str) -> str:
    return code.strip().replace("_", "-")


@functools.lru_cache(maxsize=1024)
def _language(code: str) -> Language:
    """Parse without canonicalising (``iw`` stays ``iw``); raises LanguageTagError."""
    return Language.get(_raw(code), normalize=False)


def is_well_formed(code: str) -> bool:
    """True when ``code`` has the syntax of a language tag (RFC 5646 §2.1).

    Syntax alone: ``zt`` (Argos's traditional Chinese) is well-formed though not
    registered. Path separators, dots and spaces never are, so a well-formed tag
    is always safe inside a file name.
    """
    if not isinstance(code, str) or not code or code != code.strip():
        return False
    try:
        lang = _language(code)
    except (LanguageTagError, ValueError):
        return False
    return lang.language is not None and all(ch.isalnum() or ch in "-_" for ch in code)


def is_valid_tag(code: str) -> bool:
    """True when ``code`` is well-formed and its subtags are in the IANA registry.

    ``und`` (undetermined) and private-use-only tags (``x-foo``) are not
    languages a text can be in, so they are not valid here either.
    """
    if not is_well_formed(code):
        return False
    raw = _raw(code)
    if raw.lower() == "und" or raw.lower().startswith(("und-", "x-")):
        return False
    return bool(langcodes.tag_is_valid(raw))


def normalize_tag(code: str) -> str:
    """Case and separators per RFC 5646 §2.1.1: ``EN_gb`` -> ``en-GB``, ``zh_hant`` -> ``zh-Hant``.

    Nothing is added, removed or replaced. Raises ``ValueError`` for a code that
    is not well-formed.
    """
    if not is_well_formed(code):
        raise ValueError(f"{code!r} is not {EXAMPLES}")
    return _language(code).to_tag()


# FLORES-200 (and ISO 639-3) name these languages by an individual language inside a
# macrolanguage; users, Argos packages and CAT tools name them by the macrolanguage,
# whose dominant standard variety they are: FLORES's "azj_Latn" is the Azerbaijani of
# an ``az`` project. Kept explicit rather than ``standardize_tag(macro=True)``: that
# table also folds ``tw`` (Twi) into ``ak`` (Akan), which FLORES keeps apart, and
# lacks FLORES's ``pbt`` and ``quy``. Never folded, as distinct languages users name
# on purpose: ``yue`` (Cantonese), the Arabic dialects (``arz``, ``ary``, ``acm``,
# ``apc``, ``ajp``, ``aeb``, ``acq``, ``ars``), ``azb`` (South Azerbaijani, Arabic
# script), ``bjn``/``min`` (in the Malay macrolanguage), ``ltg`` (Latgalian), ``ckb``
# (Sorani), ``fuv`` (Nigerian Fulfulde: CLDR's ``ff`` is Pulaar), ``taq`` (Tamasheq).
# ``prs`` (Dari) is already ``fa-AF`` by the IANA registry.
MACROLANGUAGE: dict[str, str] = {
    "als": "sq", "arb": "ar", "ayr": "ay", "azj": "az", "cmn": "zh", "dik": "din",
    "ekk": "et", "gaz": "om", "khk": "mn", "kmr": "ku", "knc": "kr", "lvs": "lv",
    "npi": "ne", "ory": "or", "pbt": "ps", "pes": "fa", "plt": "mg", "quy": "qu",
    "swh": "sw", "uzn": "uz", "ydd": "yi", "zsm": "ms",
}  # fmt: skip


@functools.lru_cache(maxsize=1024)
def preferred_tag(code: str) -> str:
    """The shortest form BCP 47 prefers (RFC 5646 §4.1, as langcodes.standardize_tag).

    ISO 639-3 codes that have a two-letter form become it and a script that is the
    language's default is dropped: ``eng`` -> ``en``, ``rus_Cyrl`` (FLORES) -> ``ru``,
    ``zho`` -> ``zh``; ``en-GB``, ``zh-Hant``, ``pt-BR`` are kept as they are. FLORES's
    individual languages take their macrolanguage (:data:`MACROLANGUAGE`), the script
    following the same rule: ``pes_Arab`` -> ``fa``, ``zsm_Latn`` -> ``ms``,
    ``azj_Latn`` -> ``az-Latn`` (as ``aze_Latn``: Azerbaijani is also written in
    Cyrillic and Arabic); ``yue_Hant`` stays ``yue-Hant``. Raises ``ValueError`` for a
    malformed code.
    """
    lang = Language.get(normalize_tag(code), normalize=True)
    macro = MACROLANGUAGE.get(lang.language or "")
    if macro is not None:
        lang = lang.update_dict({"language": macro})
    return lang.simplify_script().to_tag()


def _hint(code: str) -> str:
    """What ``code`` may have meant, for the end of a "not a tag" error; ``''`` if nothing.

    Users name languages the way they would in speech (``-t azerbaijani``, ``-t Farsi``)
    or type their country's code (``-t ua``: Ukraine, whose language is ``uk``), and the
    bare error leaves them to find the code alone. Names and countries come from
    langcodes with its ``language_data`` extra (CLDR names, likely subtags, and
    population data, which tells a real country from codes like ``XX``, ``EU`` or
    ``ZZ``); two-letter codes are read only as countries, never as names. Never
    raises and stays one line. Without ``language_data`` there is no hint; it is
    imported here first because langcodes prints an install notice to stdout when its
    own import of it fails.
    """
    try:
        import language_data.names
        import language_data.population_data  # noqa: F401
    except ImportError:
        return ""
    try:
        text = code.strip()
        if len(text) == 2 and text.isascii() and text.isalpha():
            region = text.upper()
            likely = Language.get(f"und-{region}").maximize()
            lang = likely.language or "und"
            if (
                likely.territory != region
                or lang == "und"
                or not Language.get(f"{lang}-{region}").speaking_population()
            ):
                return ""
            tag = preferred_tag(lang)
            hint = (
                f"; {region!r} is a country code ({likely.territory_name()}): "
                f"its main language is {tag!r} ({Language.get(tag).display_name()})"
            )
        elif len(text) >= 3:
            tag = preferred_tag(langcodes.find(text).to_tag())
            hint = f"; did you mean {tag!r} ({Language.get(tag).display_name()})?"
        else:
            return ""
        return hint if is_valid_tag(tag) and hint.isprintable() else ""
    except Exception:  # a hint must never hide the error it explains
        return ""


def user_tag(code: str) -> str:
    """A language a user names (``-s``, a config's ``src_lang``), checked, in its preferred form.

    ``en_gb`` -> ``en-GB``, ``eng_Latn`` -> ``en`` (see :func:`preferred_tag`). Raises
    ``ValueError`` (``'xx' is not a BCP 47 language tag like en, ru or pt-BR``) for an
    unknown or malformed code, so nothing that is not a tag reaches a file name. The
    message stays one line and, when the code is a language's name or a country's code,
    ends with the code meant: ``...; did you mean 'az' (Azerbaijani)?`` for
    ``azerbaijani``, ``...; 'UA' is a country code (Ukraine): its main language is 'uk'
    (Ukrainian)`` for ``ua`` (see :func:`_hint`).
    """
    if not is_valid_tag(code):
        raise ValueError(f"{code!r} is not {EXAMPLES}{_hint(code)}")
    return preferred_tag(code)


def parse_tag(code: str, *, what: str = "language") -> str:
    """Validate a tag from a user or a file and return it normalised.

    Raises ``ValueError`` with a one-line message (``language 'xx' is not a BCP 47
    language tag like en, ru or pt-BR``) for unknown or malformed codes, ending with
    the code meant when ``code`` is a language's name or a country's code, as
    :func:`user_tag` does.
    """
    if not is_valid_tag(code):
        raise ValueError(f"{what} {code!r} is not {EXAMPLES}{_hint(code)}")
    return normalize_tag(code)


def language_subtag(code: str) -> str:
    """The primary language subtag, lower-case: ``en-GB`` -> ``en``; ``''`` if malformed."""
    if not is_well_formed(code):
        return ""
    return _language(code).language or ""


def script_subtag(code: str) -> str:
    """The script subtag, title-case: ``sr_latn`` -> ``Latn``; ``''`` if none or malformed."""
    if not is_well_formed(code):
        return ""
    return _language(code).script or ""


def primary_language(code: str) -> str:
    """The language a code names, as its preferred primary subtag: what decides behaviour.

    Read as the CLI reads ``-s`` (:func:`preferred_tag`), so every spelling of a
    language gives one key: ``ru``, ``ru-RU``, ``RU_ru``, ``rus``, ``rus_Cyrl`` -> ``ru``;
    ``azj_Latn`` -> ``az``; ``zho_Hans`` -> ``zh``. A code that is not a tag gives its
    part before the first ``-``/``_``, lower-cased.
    """
    try:
        return language_subtag(preferred_tag(code))
    except ValueError:
        return code.strip().replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=4096)
def tags_match(wanted: str, actual: str | None) -> bool:
    """Does a text tagged ``actual`` satisfy a request for ``wanted``?

    Languages must be equal (case and ``_``/``-`` ignored). A subtag only one side
    gives is no conflict: a region-less request matches any region (``en`` ~
    ``en-GB``) and a file without a region matches a request with one (``EN`` ~
    ``en-US``), but two different regions never match (``en-GB`` !~ ``en-US``).
    Scripts follow the same rule (``zh`` ~ ``zh-Hant``); when one side gives a
    script and the other only a region, the region's likely script (CLDR) is
    compared, so ``zh-TW`` (Traditional) does not match ``zh-Hans``.
    Malformed codes match only an identical string (case-insensitively).
    """
    if not actual:
        return False
    if not (is_well_formed(wanted) and is_well_formed(actual)):
        return _raw(wanted).lower() == _raw(actual).lower()
    a, b = _language(wanted), _language(actual)
    if a.language != b.language:
        return False
    if a.territory and b.territory and a.territory != b.territory:
        return False
    if a.script and b.script:
        if a.script != b.script:
            return False
    elif a.script or b.script:
        given, other = (a, b) if a.script else (b, a)
        if other.territory and other.maximize().script != given.script:
            return False
    return not (a.variants and b.variants and a.variants != b.variants)
