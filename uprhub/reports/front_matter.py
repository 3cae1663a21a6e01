"""The front matter of a Word draft — what comes before the text proper — read as people write it.

Our own exports write "Label: value" cover lines and a "Submitting organisations" list. Real
drafts are freer, and the validator must not report as missing what they already say:

* the title names the State ("Joint Submission on the United States of America"), and a line
  names the session ("53rd session of the UPR Working Group", "UPR 53", "45.º período de
  sesiones"), often with its month ("November 2026", "enero de 2024");
* the submitters come in one sentence: "Submitted by the Coalition X (JS): Org A (City);
  Org B (City) …" ("Soumis par …", "Presentado por …"), or "Submitted by X (JS):" followed
  by one organisation a line;
* "Key words: a; b" or "Keywords: a, b" ("Mots-clés", "Palabras clave");
* "Contact: Jane Doe, jane@example.org" with name and address in one value.

Pure functions over text (no database: the State names come from ``reviews/data/states.csv``
through `reviews.names`), so the reader and the tests share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import layout
from .document import CoverInformation, Organisation, ReportDocument, SubmissionType

# Labels drafters write beside those of our exports (`layout.all_cover_labels`), casefolded.
EXTRA_LABELS: dict[str, str] = {
    **dict.fromkeys(
        (
            "keywords",
            "key-words",
            "key words",
            "mots-clés",
            "mots clés",
            "mots-clefs",
            "mots clefs",
            "palabras clave",
            "palabras claves",
            "palabras-clave",
        ),
        "key_words",
    ),
    **dict.fromkeys(
        (
            "contact",
            "contact person",
            "contact details",
            "contact information",
            "contact name",
            "focal point",
            "personne de contact",
            "personne à contacter",
            "coordonnées",
            "contacto",
            "persona de contacto",
            "datos de contacto",
        ),
        "contact_name",
    ),
    **dict.fromkeys(
        ("email", "e-mail", "e-mail address", "courriel", "correo", "correo electrónico"),
        "contact_email",
    ),
    **dict.fromkeys(("main submitter", "lead organisation", "lead organization"), "main_submitter"),
}

_VERB = r"(?:submitted|presented|prepared|soumise?s?|présentée?s?|presentad[oa]s?|elaborad[oa]s?)"
_SUBMITTED_BY = re.compile(
    r"^\s*(?:(?:(?:a\s+)?joint\s+submission|submission|contribution(?:\s+conjointe)?"
    rf"|informe(?:\s+conjunto)?)\s+(?:{_VERB}\s+)?|{_VERB}\s+)"
    r"(?:by|par|por)\b\s*:?\s*",
    re.IGNORECASE,
)
# Only a lower-case article is dropped: "The Advocates for Human Rights" keeps its "The".
_ARTICLE = re.compile(r"^(?:the|la|le|les|el|los|las)\s+|^l['’]\s*")
_JOINT_MARK = re.compile(
    r"^(?:JS\s*\d*|joint(?:\s+submission)?|(?:soumission|contribution)\s+conjointe"
    r"|(?:informe|presentación|comunicación)\s+conjunt[ao])$",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&.\-]{0,11}$")
_ORG = re.compile(r"^(?P<name>[^()]*?)\s*(?:\((?P<paren>[^()]*)\))?\s*(?:,\s*(?P<place>.*))?$")
_EMAIL = re.compile(r"[^@\s<>()\[\],;:]+@[^@\s<>()\[\],;:]+\.[^@\s<>()\[\],;:]+")
_CONTACT_NOISE = re.compile(
    r"\b(?:e-?mail|courriel|correo(?:\s+electrónico)?|tel(?:ephone)?|phone)\b\.?\s*:?", re.I
)
JOINT_WORDS = re.compile(r"\bjoint\b|conjoint|conjunt", re.IGNORECASE)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre"
    "|novembre|décembre|decembre"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    "|noviembre|diciembre"
)
_MONTH_YEAR = re.compile(rf"\b(?:{_MONTHS})\s+(?:de\s+)?(?:19|20)\d\d\b", re.IGNORECASE)
_ORDINAL = r"(?:st|nd|rd|th|e|ème|eme|er|re|ª|º|°|\.º|\.ª|\.°|\.)?"
_SESSION_PATTERNS = (
    re.compile(
        rf"\b(\d{{1,2}}){_ORDINAL}\s*(?:session|período de sesiones|periodo de sesiones|sesión)",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:UPR|EPU)\s*(?:session\s*)?(\d{1,2})\b"),
    re.compile(r"\b(?:session|sesión)\s+(?:n[o°º]\.?\s*)?(\d{1,2})\b", re.IGNORECASE),
)


@dataclass
class Submitters:
    """What a "Submitted by …" line says."""

    main: str  # the main submitter (coalition or organisation) as written
    organisations: list[Organisation] = field(default_factory=list)
    joint: bool = False  # "(JS)" or "joint" in the line
    open_list: bool = False  # ends with ":" and the organisations follow, one a line


def _split_outside(text: str, separators: str) -> list[str]:
    """Split `text` at any of `separators` that is not inside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_organisation(text: str, *, bracket_is_acronym: bool = False) -> Organisation:
    """ "Name (ACR), City, Country", "Name (City, ST)" or "Name, City" as an `Organisation`.

    In a draft a bracket holds an acronym when it is written in capitals ("(LDH)"), else a
    place ("(Los Angeles, CA)"); our exports always put the acronym there
    (`layout.organisation_line`), so their lines are read with ``bracket_is_acronym``.
    """
    text = text.strip().rstrip(";.,").strip()
    match = _ORG.match(text)
    if not match or not match.group("name").strip():
        return Organisation(name=text)
    bracket = (match.group("paren") or "").strip()
    acronym, city, country = "", "", ""
    if bracket_is_acronym or (_ACRONYM.match(bracket) and bracket.upper() == bracket):
        acronym = bracket
    else:
        city = bracket
    place = [p.strip() for p in (match.group("place") or "").rsplit(", ", 1) if p.strip()]
    if len(place) == 1:
        country = place[0]
    elif len(place) == 2:
        city, country = place
    return Organisation(
        name=match.group("name").strip(), acronym=acronym, city=city, country=country
    )


def parse_submitters(text: str) -> Submitters | None:
    """The submitters named by a "Submitted by …" line, or None when `text` is not one."""
    prefix = _SUBMITTED_BY.match(text)
    if prefix is None:
        return None
    rest = _ARTICLE.sub("", text[prefix.end() :].strip(), count=1)
    joint = bool(JOINT_WORDS.search(prefix.group(0)))
    if ":" in prefix.group(0):
        head, tail, open_list = "", rest, not rest  # "Submitted by: Org A; Org B"
    else:
        head, *tail_parts = _split_outside(rest, ":")
        tail, open_list = (
            ":".join(tail_parts).strip(),
            bool(tail_parts) and not "".join(tail_parts).strip(),
        )
        head = head.strip()
        if not tail and _is_list(head):
            head, tail = "", head  # "Submitted by Org A (City); Org B (City)"
    # "Coalition X (JS)" names the coalition and marks a joint submission; the mark is no
    # acronym. Other brackets are the acronym or the place of a single submitter.
    bracket = re.search(r"\(([^()]*)\)", head)
    if bracket and _JOINT_MARK.match(bracket.group(1).strip()):
        joint = True
        head = (head[: bracket.start()] + head[bracket.end() :]).strip().rstrip(",")
    organisations = [parse_organisation(item) for item in _list_items(tail)] if tail else []
    if head:
        main = parse_organisation(head)
        if not tail and not open_list:
            organisations = [main]
    else:
        main = organisations[0] if organisations else Organisation(name="")
    return Submitters(main=main.name, organisations=organisations, joint=joint, open_list=open_list)


def _is_list(text: str) -> bool:
    """Several organisations in a row: separated by ";", or by "," each with its bracket."""
    if len(_split_outside(text, ";")) > 1:
        return True
    return sum("(" in item for item in _split_outside(text, ",")) > 1


def _list_items(text: str) -> list[str]:
    separators = ";" if len(_split_outside(text, ";")) > 1 else ","
    items = [item.strip() for item in _split_outside(text, separators) if item.strip()]
    if separators == "," and items:
        # "…, Org B (City) and Org C (City)"
        items = items[:-1] + re.split(r"\s+(?:and|et|y)\s+(?=[A-ZÀ-Ý])", items[-1])
    return items


def parse_contact(value: str) -> tuple[str, str]:
    """(name, e-mail) from "Jane Doe, jane@example.org" or "Jane Doe (jane@example.org)"."""
    found = _EMAIL.search(value)
    email = found.group(0).rstrip(".") if found else ""
    name = _EMAIL.sub(" ", value) if found else value
    name = _CONTACT_NOISE.sub(" ", name)
    name = re.sub(r"[()\[\]<>]", " ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:–—-")
    return name, email


def split_key_words(value: str) -> list[str]:
    separator = ";" if ";" in value else ","
    return [k.strip(" .") for k in value.split(separator) if k.strip(" .")]


@lru_cache(maxsize=1)
def _state_index() -> tuple[dict[str, tuple[str, str]], int]:
    """normalised name → (code, short name) of every State, and the longest name in words."""
    from uprhub.reviews.names import load_state_records, normalise_name

    index: dict[str, tuple[str, str]] = {}
    longest = 1
    for record in load_state_records():
        if not record.is_state:
            continue
        for name in record.names():
            key = normalise_name(name)
            if key:
                index.setdefault(key, (record.code, record.short_name or record.un_name))
                longest = max(longest, len(key.split()))
    return index, longest


_ARTICLES = frozenset(("the", "la", "le", "les", "l", "el", "los", "las"))
_ABOUT = frozenset(
    [
        "on",
        "of",
        "about",
        "concerning",
        "regarding",
        "for",
        "sur",
        "de",
        "du",
        "des",
        "concernant",
        "sobre",
        "relativo",
        "relativa",
    ]
)


def find_state(text: str) -> tuple[str, str] | None:
    """(code, name) of the State a title is about ("… on the United States of America").

    A State named after "on", "of", "about", "sur", "sobre" … wins over one named before (the
    submitter's own country: "Amnesty International UK: submission on Bahrain"); otherwise the
    first named. Names of three letters or fewer ("US", "USA", "UK") count only when written
    in capitals, so the English word "us" names no State.
    """
    from uprhub.reviews.names import normalise_name

    index, longest = _state_index()
    words = normalise_name(text).split()
    capitals = {normalise_name(t) for t in re.findall(r"\b[A-Z][A-Z.]{1,4}", text)}
    found: list[tuple[bool, tuple[str, str]]] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            key = " ".join(words[start : start + size])
            if key in index and (len(key.replace(" ", "")) > 3 or key in capitals):
                previous = words[start - 1] if start else ""
                if previous in _ARTICLES and start >= 2:  # "on the United States"
                    previous = words[start - 2]
                found.append((previous in _ABOUT, index[key]))
                start += size - 1
                break
        start += 1
    if not found:
        return None
    return next((state for about, state in found if about), found[0][1])


def find_session(text: str) -> tuple[int | None, str]:
    """(session number, "Month year") named in a line such as "53rd session … November 2026"."""
    number = None
    for pattern in _SESSION_PATTERNS:
        match = pattern.search(text)
        if match:
            number = int(match.group(1))
            break
    month = _MONTH_YEAR.search(text)
    return number, month.group(0) if month else ""


def cover_match(text: str, labels: dict[str, str]) -> tuple[str, str] | None:
    """(key, value) of a "Label: value" line, with our labels and the drafters' own."""
    label, sep, value = text.partition(":")
    if not sep or not value.strip():
        return None
    name = re.sub(r"\s+", " ", label.strip().casefold())
    key = labels.get(name) or EXTRA_LABELS.get(name)
    if key is None or key == "organisations_heading":
        return None
    return key, value.strip()


def apply_cover(cover: CoverInformation, key: str, value: str, doc: ReportDocument) -> None:
    """Put one cover line's value in its place."""
    if key == "submission_type":
        joint = bool(JOINT_WORDS.search(value))
        cover.submission_type = SubmissionType.JOINT if joint else SubmissionType.INDIVIDUAL
    elif key == "state":
        cover.state_name = value
    elif key == "session":
        month = re.search(r"\(([^()]*)\)", value)
        number = re.search(r"\b(\d{1,3})\b", value.split("(")[0])
        if number and (month or not re.search(r"[^\W\d_]{4,}", value.split("(")[0])):
            cover.session = int(number.group(1))
            cover.session_month_year = month.group(1).strip() if month else ""
        else:
            found, month_year = find_session(value)
            cover.session = cover.session or found
            cover.session_month_year = month_year or value
    elif key == "main_submitter":
        cover.main_submitter = value
    elif key == "contact_name":
        name, email = parse_contact(value)
        cover.contact_name = name
        if email and not cover.contact_email:
            cover.contact_email = email
    elif key == "contact_email":
        cover.contact_email = parse_contact(value)[1] or value
    elif key == "period":
        start, _sep, end = value.partition(" – ")
        cover.period_start, cover.period_end = start.strip(), end.strip()
    elif key == "key_words":
        cover.key_words = split_key_words(value)
    elif key == "organisation":
        line, _sep, description = value.partition(" — ")
        org = parse_organisation(line, bracket_is_acronym=True)
        org.description = description.strip()
        for known in doc.organisations:
            if layout.organisation_line(known) == line.strip():
                known.description = org.description
                return
        doc.organisations.append(org)
