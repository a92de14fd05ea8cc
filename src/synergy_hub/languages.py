"""Texts in many languages: which one is shown, and the BCP 47 tags of the others.

The UI has two languages, Simplified Chinese and English, and resources, openness lists
and organisations keep their texts in those two in columns (`title_zh`, `title_en`, …).
Texts in any other language are kept beside them under their BCP 47 tag, in one JSON
field `translations` (decision 0013). This module is the one home of the rules about
them: which text a reader sees (`pick_language`, `OtherLanguageTexts`), how the
`translations` value is checked (`clean_translations`), which tags are well formed,
which tag goes to which column, and how the language codes that catalogs use (ISO
639-1/-2/-3 codes, EU authority and Library of Congress IRIs, CKAN locales such as
`pt_BR`) become tags. Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from synergy_hub.validation import FieldErrors

#: The columns of the UI's two languages, by their column suffix.
ZH, EN = "zh", "en"

# ISO 639-1: the two-letter codes (all of them; 184 in the standard).
_ISO_639_1_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he
    hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr
    ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng
    nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk
    sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz
    ve vi vo wa wo xh yi yo za zh zu"""
_ISO_639_1 = frozenset(_ISO_639_1_CODES.split())

# Three-letter codes (ISO 639-2/T as the EU authority table uses them, and the /B forms)
# of the languages catalogs name most, with their two-letter tag. BCP 47 uses the
# shortest code, so `deu`, `ger` and `DEU` all become `de`.
_THREE_LETTER = {
    "ara": "ar", "bel": "be", "bos": "bs", "bul": "bg", "cat": "ca", "ces": "cs", "cze": "cs",
    "cym": "cy", "wel": "cy", "dan": "da", "deu": "de", "ger": "de", "ell": "el", "gre": "el",
    "eng": "en", "est": "et", "eus": "eu", "baq": "eu", "fas": "fa", "per": "fa", "fin": "fi",
    "fra": "fr", "fre": "fr", "gle": "ga", "gla": "gd", "glg": "gl", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "hye": "hy", "arm": "hy", "ind": "id", "isl": "is", "ice": "is",
    "ita": "it", "jpn": "ja", "kat": "ka", "geo": "ka", "kaz": "kk", "kor": "ko", "lav": "lv",
    "lit": "lt", "ltz": "lb", "mkd": "mk", "mac": "mk", "mlt": "mt", "mon": "mn", "msa": "ms",
    "may": "ms", "nld": "nl", "dut": "nl", "nno": "nn", "nob": "nb", "nor": "no", "pol": "pl",
    "por": "pt", "roh": "rm", "ron": "ro", "rum": "ro", "rus": "ru", "slk": "sk", "slo": "sk",
    "slv": "sl", "spa": "es", "sqi": "sq", "alb": "sq", "srp": "sr", "swe": "sv", "tha": "th",
    "tur": "tr", "uig": "ug", "ukr": "uk", "vie": "vi", "zho": "zh", "chi": "zh", "bod": "bo",
    "tib": "bo", "mri": "mi", "mao": "mi", "smi": "se", "sme": "se", "fry": "fy", "fao": "fo",
    "oci": "oc", "bre": "br", "cos": "co", "afr": "af", "swa": "sw", "urd": "ur", "ben": "bn",
}  # fmt: skip
# ISO 639-2/B codes (and a collective code) that the EU authority table does not use.
_NOT_EU = {"alb", "arm", "baq", "chi", "cze", "dut", "fre", "geo", "ger", "gre", "ice", "mac",
           "mao", "may", "per", "rum", "slo", "smi", "tib", "wel"}  # fmt: skip
#: The EU authority table's code for a two-letter tag, for dct:language (`de` → `DEU`).
EU_CODES = {two: three.upper() for three, two in _THREE_LETTER.items() if three not in _NOT_EU}

# RFC 5646 §2.1, without the grandfathered tags; the primary language is ISO 639 (2 or 3
# letters): the 4- and 5–8-letter forms the syntax allows are reserved or unused.
_TAG = re.compile(
    r"""^(?P<language>[a-z]{2,3})(?:-[a-z]{3}){0,3}
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
        (?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*
        (?:-x(?:-[a-z0-9]{1,8})+)?$""",
    re.VERBOSE,
)
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}


class LanguageTagError(ValueError):
    """Not a well-formed BCP 47 tag of an ISO 639 language."""


def normalise_tag(value: str) -> str:
    """The canonical form of a language tag (`de-CH`, `zh-Hant-TW`), or LanguageTagError.

    Accepts the spellings catalogs use: any case, `_` for `-` (CKAN locales), a
    three-letter ISO 639-2 code where a two-letter one exists (`deu` → `de`).
    """
    text = value.strip().replace("_", "-").lower()
    match = _TAG.match(text)
    if match is None:
        raise LanguageTagError(value)
    language = match.group("language")
    if len(language) == 3:
        language = _THREE_LETTER.get(language, language)
    elif language not in _ISO_639_1:
        raise LanguageTagError(value)
    parts = text.split("-")
    parts[0] = language
    canonical: list[str] = []
    for index, part in enumerate(parts):
        if part == "x":  # private use: the rest stays as it is
            canonical.extend(parts[index:])
            break
        if index and len(part) == 4 and part.isalpha() and part == match.group("script"):
            canonical.append(part.title())
        elif index and part == match.group("region") and part.isalpha():
            canonical.append(part.upper())
        else:
            canonical.append(part)
    return "-".join(canonical)


def column_of(tag: str) -> str | None:
    """`zh` or `en` when a (normalised) tag's text belongs in the UI's columns, else None.

    Simplified Chinese (`zh`, `zh-Hans`, `zh-CN`, `zh-SG`) goes to the Chinese column;
    Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) is another language here,
    since the UI is written in Simplified characters. Every English tag goes to English.
    """
    parts = tag.split("-")
    if parts[0] == "en":
        return EN
    if parts[0] != "zh":
        return None
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if script == "Hant" or (not script and region in _TRADITIONAL_REGIONS):
        return None
    return ZH


def tag_from_code(value: str) -> str | None:
    """A language tag from how catalogs name a language, or None when it is not one.

    `de`, `DE`, `deu`, `ger`, `pt_BR`, the EU authority IRI `…/language/DEU`, the Library
    of Congress `…/iso639-1/de` or `…/iso639-2/ger`, and lexvo's `…/iso639-3/deu`.
    """
    text = value.strip()
    if "/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
        if text.upper() in ("MUL", "UND", "ZXX", "MIS", "OP_DATPRO", "NULL"):
            return None
    try:
        return normalise_tag(text)
    except LanguageTagError:
        return None


# --- names ----------------------------------------------------------------------------------

#: Names of the languages catalogs use most (Django's own list lacks some, e.g. Romansh).
_NAMES = {
    "ar": _("Arabic"), "bg": _("Bulgarian"), "ca": _("Catalan"), "cs": _("Czech"),
    "cy": _("Welsh"), "da": _("Danish"), "de": _("German"), "el": _("Greek"),
    "en": _("English"), "es": _("Spanish"), "et": _("Estonian"), "eu": _("Basque"),
    "fi": _("Finnish"), "fr": _("French"), "ga": _("Irish"), "gl": _("Galician"),
    "hr": _("Croatian"), "hu": _("Hungarian"), "is": _("Icelandic"), "it": _("Italian"),
    "ja": _("Japanese"), "ko": _("Korean"), "lb": _("Luxembourgish"), "lt": _("Lithuanian"),
    "lv": _("Latvian"), "mt": _("Maltese"), "nb": _("Norwegian Bokmål"), "nl": _("Dutch"),
    "nn": _("Norwegian Nynorsk"), "no": _("Norwegian"), "pl": _("Polish"),
    "pt": _("Portuguese"), "rm": _("Romansh"), "ro": _("Romanian"), "ru": _("Russian"),
    "sk": _("Slovak"), "sl": _("Slovenian"), "sv": _("Swedish"), "tr": _("Turkish"),
    "uk": _("Ukrainian"), "vi": _("Vietnamese"), "zh": _("Chinese"),
}  # fmt: skip
_TRADITIONAL = pgettext_lazy("language", "Traditional Chinese")


def _label(tag: str) -> str:
    parts = tag.split("-")
    if parts[0] == "zh" and column_of(tag) is None:
        name = str(_TRADITIONAL)
    elif parts[0] in _NAMES:
        name = str(_NAMES[parts[0]])
    else:
        return tag
    return name if len(parts) == 1 else f"{name} ({tag})"


#: The name of a tag's language in the active UI language ("German", "德语"), with the
#: full tag when it says more than the language (`German (de-CH)`); unknown ones: the tag.
language_label = lazy(_label, str)


# --- which text is shown ------------------------------------------------------------------


def pick_language(zh: str, en: str) -> str:
    """Return the text in the active language, falling back to the other one."""
    if (get_language() or "zh-hans").startswith("zh"):
        return zh or en
    return en or zh


class OtherLanguage(NamedTuple):
    """An object's texts in one language other than Chinese and English."""

    tag: str
    label: str
    texts: dict[str, Any]


class OtherLanguageTexts:
    """For models with a `translations` field: the text shown, and the other languages.

    A text is shown in the active UI language, else in the UI's other language, else in
    another language in tag order (so the choice does not depend on how the database
    orders the keys of a JSON object).
    """

    translations: Any

    def shown(self, zh: str, en: str, part: str) -> str:
        """The text a reader sees of one part (`title`, `name`, …) given its two columns."""
        return pick_language(zh, en) or self.other_text(part)

    def other_text(self, part: str) -> str:
        """A text in another language, for an object that has none in Chinese or English."""
        for tag in sorted(self.translations or {}):
            value = self.translations[tag].get(part)
            if isinstance(value, str) and value:
                return value
        return ""

    @property
    def other_languages(self) -> list[OtherLanguage]:
        """The texts in other languages, by tag, each with its language's name (for pages)."""
        return [
            OtherLanguage(tag, str(language_label(tag)), texts)
            for tag, texts in sorted((self.translations or {}).items())
        ]


# --- checking a `translations` value ------------------------------------------------------

#: At most this many other languages per object.
MAX_LANGUAGES = 30


def clean_translations(
    errors: FieldErrors,
    value: Any,
    parts: Mapping[str, int],
    *,
    keywords: tuple[int, int] | None = None,
    field: str = "translations",
) -> dict[str, dict[str, Any]]:
    """Texts in languages other than Chinese and English, keyed by BCP 47 tag, checked.

    `{"de": {"title": …, "description": …}}` with the parts allowed (name → length limit)
    and, where `keywords` gives (how many, how long), a list of keywords. Tags are
    normalised (`de_ch` → `de-CH`); Chinese and English belong in their own fields; empty
    texts and languages without any text are dropped. Every error names the language.
    """
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        errors.add(field, gettext("Give an object keyed by language tag."), "invalid")
        return {}
    if len(value) > MAX_LANGUAGES:
        errors.add(
            field,
            gettext("At most %(max)d other languages are allowed.") % {"max": MAX_LANGUAGES},
            "max_items",
        )
        return {}
    allowed = [*parts, *(["keywords"] if keywords else [])]
    clean: dict[str, dict[str, Any]] = {}
    for raw_tag, texts in value.items():
        tag = checked_tag(errors, field, raw_tag)
        if tag is None:
            continue
        if tag in clean:
            errors.add(
                field, gettext("%(tag)s is given twice.") % {"tag": tag}, "duplicate_language"
            )
            continue
        if not isinstance(texts, Mapping):
            errors.add(
                field,
                gettext("%(tag)s: give an object with %(parts)s.")
                % {"tag": tag, "parts": ", ".join(allowed)},
                "invalid",
            )
            continue
        unknown = sorted(str(k) for k in texts if k not in allowed)
        if unknown:
            errors.add(
                field,
                gettext("%(tag)s: unknown part(s) %(parts)s.")
                % {"tag": tag, "parts": ", ".join(unknown)},
                "invalid",
            )
            continue
        found = _parts(errors, field, tag, texts, parts, keywords)
        if found:
            clean[tag] = found
    return dict(sorted(clean.items()))


def checked_tag(errors: FieldErrors, field: str, raw_tag: Any) -> str | None:
    """The normalised tag of an other language, or None with an error naming it."""
    try:
        tag = normalise_tag(str(raw_tag))
    except LanguageTagError:
        errors.add(
            field,
            gettext("“%(tag)s” is not a language tag (BCP 47, e.g. de, fr-CH, zh-Hant).")
            % {"tag": str(raw_tag)[:40]},
            "invalid_language",
        )
        return None
    if column_of(tag) is not None:
        errors.add(
            field,
            gettext("%(tag)s: Chinese and English texts go in their own fields (_zh, _en).")
            % {"tag": tag},
            "column_language",
        )
        return None
    return tag


def _parts(
    errors: FieldErrors,
    field: str,
    tag: str,
    texts: Mapping[str, Any],
    parts: Mapping[str, int],
    keywords: tuple[int, int] | None,
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, limit in parts.items():
        text = "" if texts.get(name) is None else str(texts.get(name)).strip()
        if len(text) > limit:
            errors.add(
                field,
                gettext(
                    "%(tag)s: %(part)s: at most %(max)d characters are allowed (%(count)d given)."
                )
                % {"tag": tag, "part": name, "max": limit, "count": len(text)},
                "max_length",
            )
        elif text:
            found[name] = text
    if keywords is None:
        return found
    most, longest = keywords
    words = list(dict.fromkeys(as_list(texts.get("keywords"))))
    if len(words) > most:
        errors.add(
            field,
            gettext("%(tag)s: at most %(max)d keywords are allowed.") % {"tag": tag, "max": most},
            "max_items",
        )
    elif any(len(k) > longest for k in words):
        errors.add(
            field,
            gettext("%(tag)s: each keyword may have at most %(max)d characters.")
            % {"tag": tag, "max": longest},
            "max_length",
        )
    elif words:
        found["keywords"] = words
    return found


def as_list(value: Any) -> list[str]:
    """A list of stripped strings from a list or a comma-separated text (， too)."""
    if value is None or value == "":
        return []
    items: Iterable[Any] = value.replace("，", ",").split(",") if isinstance(value, str) else value
    return [str(part).strip() for part in items if str(part).strip()]
