"""Which language a text is in: a heuristic, script first, then common words."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy

OFFICIAL_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

LANGUAGE_NAMES: dict[str, Any] = {
    "ar": gettext_lazy("Arabic"),
    "zh": gettext_lazy("Chinese"),
    "en": gettext_lazy("English"),
    "fr": gettext_lazy("French"),
    "ru": gettext_lazy("Russian"),
    "es": gettext_lazy("Spanish"),
    "de": gettext_lazy("German"),
    "pt": gettext_lazy("Portuguese"),
    "it": gettext_lazy("Italian"),
    "nl": gettext_lazy("Dutch"),
    "uk": gettext_lazy("Ukrainian"),
}
# Names people type in a cover field instead of the code.
_LANGUAGE_ALIASES = {
    "english": "en",
    "anglais": "en",
    "inglés": "en",
    "french": "fr",
    "français": "fr",
    "francés": "fr",
    "spanish": "es",
    "español": "es",
    "espagnol": "es",
    "arabic": "ar",
    "chinese": "zh",
    "russian": "ru",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is that for with on are by be this which has have was were it "
        "from not its their"
    ),
    "fr": _words(
        "le la les des et du une un est que pour dans sur par au aux sont qui pas avec ces été leur"
    ),
    "es": _words("el los las del y que en por para con una es se su sus al como más fue han"),
    "de": _words("der die das und ist nicht mit von zu den dem auf für sich ein eine wird auch"),
    "pt": _words("os as da do das dos e não uma com para em por são foi pela pelo ao"),
    "it": _words("il lo gli della delle di che è per con non una sono nel nella alla degli"),
    "nl": _words("de het een en van is dat niet met voor zijn op te door worden wordt"),
}
_LATIN_WORD = re.compile(r"[^\W\d_]+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SAMPLE_CHARS = 20_000


def detect_language(text: str) -> str | None:
    """Best guess of the language of `text` (an ISO 639-1 code), or None when unsure."""
    sample = text[:_SAMPLE_CHARS]
    scripts = {
        "ar": len(_ARABIC.findall(sample)),
        "zh": len(_HAN.findall(sample)),
        "cyrillic": len(_CYRILLIC.findall(sample)),
        "latin": len(_LATIN.findall(sample)),
    }
    script, letters = max(scripts.items(), key=lambda item: item[1])
    if letters < 20:
        return None
    if script == "cyrillic":
        return "uk" if len(_UKRAINIAN.findall(sample)) > letters * 0.01 else "ru"
    if script != "latin":
        return script
    words = _LATIN_WORD.findall(sample.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOP_WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    # Confident only with enough evidence and a clear lead: neighbours share words ("de", "que").
    if top >= 5 and top >= 1.5 * runner_up:
        return best
    return None


def normalise_language(value: str) -> str:
    """ "en-GB" → "en", "Français" → "fr"; unknown values come back lower-cased."""
    value = value.strip().lower()
    if value in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[value]
    return value.split("-")[0].split("_")[0]


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))
