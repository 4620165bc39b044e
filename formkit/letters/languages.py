"""Home languages as the MIS writes them, and the codes translated letters use.

A contact's home language comes from the register as a name ('Polish'), an ISO
639-1 code ('pl') or a DfE census code ('POL'). A translated letter template is
named with the ISO code: ``sen_register.pl.docx``. :func:`language_code` maps
what the register says to that code; English (and 'believed to be English', and
a blank) is ``'en'``; a language formkit does not know gives None, so the family
gets the English letter and the run lists them.
"""

from __future__ import annotations

import re

ENGLISH = "en"

# ISO 639-1 code -> English name, for the languages most spoken in English schools.
NAMES: dict[str, str] = {
    "en": "English", "pl": "Polish", "ur": "Urdu", "pa": "Panjabi", "bn": "Bengali", "so": "Somali",
    "ar": "Arabic", "gu": "Gujarati", "pt": "Portuguese", "ro": "Romanian", "lt": "Lithuanian",
    "lv": "Latvian", "fr": "French", "es": "Spanish", "it": "Italian", "de": "German", "tr": "Turkish",
    "ta": "Tamil", "zh": "Chinese", "ps": "Pashto", "fa": "Persian", "ku": "Kurdish", "sq": "Albanian",
    "ru": "Russian", "uk": "Ukrainian", "bg": "Bulgarian", "hu": "Hungarian", "cs": "Czech", "sk": "Slovak",
    "hi": "Hindi", "ml": "Malayalam", "tl": "Tagalog", "ti": "Tigrinya", "am": "Amharic", "yo": "Yoruba",
    "tw": "Twi", "sw": "Swahili", "cy": "Welsh", "ga": "Irish", "el": "Greek", "nl": "Dutch", "ne": "Nepali",
    "si": "Sinhala", "vi": "Vietnamese", "th": "Thai", "ja": "Japanese", "ko": "Korean", "he": "Hebrew",
}

_ALIASES: dict[str, str] = {
    "ENGLISH": "en", "ENG": "en", "ENB": "en", "BELIEVED TO BE ENGLISH": "en", "ENGLISH BRITISH": "en",
    "BRITISH ENGLISH": "en", "POLSKI": "pl", "POL": "pl", "URD": "ur", "PUNJABI": "pa", "PANJABI": "pa",
    "PNJ": "pa", "BENGALI": "bn", "BANGLA": "bn", "SYLHETI": "bn", "BNG": "bn", "SOM": "so", "ARA": "ar",
    "GUJ": "gu", "POR": "pt", "PORTUGUESE": "pt", "RMN": "ro", "LIT": "lt", "FRN": "fr", "SPA": "es",
    "FARSI": "fa", "PERSIAN FARSI": "fa", "MANDARIN": "zh", "CANTONESE": "zh", "SHQIP": "sq",
    "ALBANIAN SHQIP": "sq", "FILIPINO": "tl",
}
_BY_NAME = {name.upper(): code for code, name in NAMES.items()}


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


def language_code(text: str) -> str | None:
    """'Polish', 'polish', 'pl', 'POL', 'Polish (Polski)' -> 'pl'; '' or 'English'
    -> 'en'; a language formkit does not know -> None."""
    key = _key(text)
    if not key:
        return ENGLISH
    if key in _ALIASES:
        return _ALIASES[key]
    if key in _BY_NAME:
        return _BY_NAME[key]
    if key.lower() in NAMES:
        return key.lower()
    first = key.split(" ")[0]
    return _BY_NAME.get(first) or _ALIASES.get(first)


def language_name(code: str) -> str:
    """'pl' -> 'Polish'; an unknown code is returned as it is."""
    return NAMES.get(code, code)
