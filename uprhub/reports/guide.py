"""The public guide "How to write a stakeholder submission", generated from the rules in force.

The validator's rules (`rules.rules_for_cycle`: the bundled ``rules.csv`` overlaid with the
admins' `ValidationRule` rows) give the figures and say how binding each point is, so a limit
changed there changes the guide, the report editor and the upload check together; a rule an
admin switched off leaves the guide too. Every sentence is a gettext string with the rule's
parameters filled in, so the guide reads the same in English, French and Spanish. The rules'
source notes (English, for admins) are not shown: the guide names OHCHR's guidelines instead.

What is no rule of the validator — Word rather than PDF, who may submit, how to send — comes
from the same facts as the submission package's instructions (`export.package`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .document import Severity
from .export.package import ONLINE_SYSTEM
from .rules import Rule, RuleSet
from .validator import counting_explanation, format_count, language_name

REQUIRED = "required"
EXPECTED = "expected"
ADVICE = "advice"
_LEVELS = {Severity.ERROR: REQUIRED, Severity.WARNING: EXPECTED, Severity.TIP: ADVICE}


@dataclass(frozen=True)
class GuideItem:
    """One point of the guide; `rule` is the validator's rule code ("" for a plain fact)."""

    level: str  # REQUIRED, EXPECTED or ADVICE
    text: str
    rule: str = ""
    example: str = ""  # shown as an example line under the text
    link: str = ""  # an address the text names, shown as a link after it
    link_text: str = ""


@dataclass(frozen=True)
class GuideSection:
    slug: str  # the anchor other pages link to (…/guide/#deadline)
    title: str
    items: list[GuideItem] = field(default_factory=list)


@dataclass(frozen=True)
class Guide:
    cycle: int | None
    sections: list[GuideSection]
    counting: list[str]  # how words are counted, as the upload check and the report page say
    individual_limit: int = 0
    joint_limit: int = 0
    online_system: str = ONLINE_SYSTEM

    @property
    def individual_words(self) -> str:
        """The limit grouped the active language's way ("2,815", "2 815")."""
        return format_count(self.individual_limit)

    @property
    def joint_words(self) -> str:
        return format_count(self.joint_limit)

    def section(self, slug: str) -> GuideSection | None:
        return next((s for s in self.sections if s.slug == slug), None)


def level_label(level: str) -> str:
    return {
        REQUIRED: _("Required"),
        EXPECTED: _("Expected"),
        ADVICE: _("Advice"),
    }[level]


def _item(rule: Rule, text: str, example: str = "") -> GuideItem:
    return GuideItem(level=_LEVELS[rule.severity], text=text, rule=rule.code, example=example)


def _limits(rules: RuleSet) -> tuple[int, int]:
    rule = rules.get("word_limit")
    if rule is None:
        return 0, 0
    return int(rule.param("individual", 0) or 0), int(rule.param("joint", 0) or 0)


def _who() -> GuideSection:
    return GuideSection(
        "who",
        _("Who can submit"),
        [
            GuideItem(
                ADVICE,
                _(
                    "Civil-society organisations, Indigenous Peoples' organisations, national "
                    "human rights institutions, cities and local governments, and academics can "
                    "send a written submission on the State under review."
                ),
            ),
            GuideItem(
                ADVICE,
                _(
                    "You do not need ECOSOC consultative status to submit in writing; only "
                    "accredited organisations may attend the sessions and speak."
                ),
            ),
        ],
    )


def _individual_or_joint(rules: RuleSet) -> GuideSection:
    items = [
        GuideItem(
            ADVICE,
            _(
                "An individual submission comes from one organisation; a joint submission is "
                "written by several organisations together, and may be longer (see Length)."
            ),
        )
    ]
    together = rules.get("joint_organisations")
    if together is not None:
        minimum = int(together.param("min_organisations", 2) or 2)
        items.append(
            _item(
                together,
                ngettext(
                    "A joint submission names every submitting organisation, with its city, at "
                    "the start of the text (at least %(n)s organisation).",
                    "A joint submission names every submitting organisation, with its city, at "
                    "the start of the text (at least %(n)s organisations).",
                    minimum,
                )
                % {"n": minimum},
                example=_(
                    "Submitted by the Coalition for X (JS): Organisation A (City); "
                    "Organisation B (City); Organisation C (City)"
                ),
            )
        )
    one_state = rules.get("one_state")
    if one_state is not None:
        items.append(
            _item(one_state, _("A submission is about one State only: write one per State."))
        )
    items.append(
        GuideItem(
            ADVICE,
            _(
                "Joining forces carries more weight, and OHCHR's summary of stakeholders' "
                "submissions names every member of a joint submission."
            ),
        )
    )
    return GuideSection("individual-or-joint", _("Individual or joint submission"), items)


def _length(rules: RuleSet) -> GuideSection:
    items: list[GuideItem] = []
    limit = rules.get("word_limit")
    individual, joint = _limits(rules)
    if limit is not None and (individual or joint):
        items.append(
            _item(
                limit,
                _(
                    "At most %(individual)s words for an individual submission and %(joint)s "
                    "words for a joint submission."
                )
                % {"individual": format_count(individual), "joint": format_count(joint)},
            )
        )
        items.append(
            GuideItem(
                ADVICE,
                _(
                    "These are the figures commonly cited for the current cycle; OHCHR's "
                    "guidelines for the session are the reference, so check them before you "
                    "submit."
                ),
            )
        )
    return GuideSection("length", _("Length"), items)


def _format(rules: RuleSet) -> GuideSection:
    items = [
        GuideItem(
            REQUIRED,
            _("Send a Word document (.docx), not a PDF."),
        )
    ]
    numbered = rules.get("numbered_paragraphs")
    if numbered is not None:
        items.append(
            _item(
                numbered,
                _(
                    "Number every paragraph (1, 2, 3 …) and the pages. Word's automatic "
                    "numbering is best: numbers typed by hand count as words."
                ),
            )
        )
    language = rules.get("official_language")
    if language is not None:
        allowed = [language_name(code) for code in language.param("languages", ())]
        preferred = [language_name(code) for code in language.param("preferred", ())]
        text = _("Write in one of the UN official languages: %(languages)s.") % {
            "languages": ", ".join(allowed)
        }
        if preferred:
            text += " " + _("OHCHR prefers %(languages)s.") % {"languages": ", ".join(preferred)}
        items.append(_item(language, text))
    introduction = rules.get("introduction")
    if introduction is not None:
        items.append(
            _item(introduction, _("Start with a short introduction that summarises your points."))
        )
    key_words = rules.get("key_words")
    if key_words is not None:
        items.append(
            _item(
                key_words,
                _("Give a few key words for the subjects you cover."),
                example=_("Key words: right to housing; evictions; racial discrimination"),
            )
        )
    return GuideSection("format", _("Format"), items)


def _cover(rules: RuleSet) -> GuideSection:
    rule = rules.get("cover_information")
    if rule is None:
        return GuideSection("cover", _("Cover information"), [])
    labels = {
        "state": _("the State under review"),
        "session": _("the session of the review (month and year)"),
        "submission_type": _("whether it is an individual or a joint submission"),
        "main_submitter": _("the main submitter"),
        "contact_name": _("a contact person"),
        "contact_email": _("the contact person's e-mail address"),
    }
    fields = [str(name) for name in rule.param("fields", ())]
    asked = [str(labels[name]) for name in fields if name in labels]
    items: list[GuideItem] = []
    if asked:
        items.append(
            _item(
                rule,
                _("At the start of the document, give %(fields)s.") % {"fields": ", ".join(asked)},
            )
        )
    if "organisation_description" in fields:
        items.append(
            GuideItem(
                ADVICE,
                _(
                    "Add a short paragraph on each organisation: its activities and the date "
                    "it was established."
                ),
                rule=rule.code,
            )
        )
    items.append(
        GuideItem(
            ADVICE,
            _(
                "The title and the cover information do not count towards the word limit; "
                "OHCHR's online form asks for the same details."
            ),
        )
    )
    return GuideSection("cover", _("Cover information"), items)


def _content(rules: RuleSet) -> GuideSection:
    items: list[GuideItem] = []
    period = rules.get("period_covered")
    if period is not None:
        items.append(
            _item(
                period,
                _(
                    "Focus on how far the State has implemented the recommendations of its "
                    "previous review, and on what has happened since that review."
                ),
            )
        )
        max_years = period.param("max_years")
        if max_years:
            items.append(
                _item(
                    period,
                    _("Cover at most the last %(n)s years.") % {"n": max_years},
                )
            )
    items += [
        GuideItem(
            ADVICE,
            _(
                "Cite the recommendations by their number and the State that made them, say "
                "whether the State supported or noted them, and give evidence of what was done "
                "or not done."
            ),
            example=_(
                "Recommendations 26.178–26.181 (supported) on homelessness have not been "
                "implemented."
            ),
        ),
        GuideItem(
            ADVICE,
            _(
                "End with recommendations that are specific, measurable and time-bound, so "
                "that States can make them during the review."
            ),
        ),
    ]
    return GuideSection("content", _("What to write about"), items)


def _deadline(rules: RuleSet) -> GuideSection:
    rule = rules.get("deadline")
    time = str(rule.param("closes_at", "23:59")) if rule is not None else "23:59"
    text = _(
        "Submissions close at %(time)s Geneva time on the deadline OHCHR sets for the "
        "session, about six to seven and a half months before the review. Late submissions "
        "are not considered."
    ) % {"time": time}
    items = [_item(rule, text) if rule is not None else GuideItem(REQUIRED, text)]
    items.append(
        GuideItem(
            ADVICE,
            _(
                "OHCHR sometimes moves or extends a deadline: check the session's page, and "
                "aim to submit a few days early."
            ),
        )
    )
    if rule is not None:
        days = int(rule.param("warn_days", 0) or 0)
        if days:
            items.append(
                GuideItem(
                    ADVICE,
                    ngettext(
                        "The report editor warns you when %(n)s day is left.",
                        "The report editor warns you when %(n)s days are left.",
                        days,
                    )
                    % {"n": days},
                    rule=rule.code,
                )
            )
    return GuideSection("deadline", _("Deadline"), items)


def _send() -> GuideSection:
    return GuideSection(
        "send",
        _("How to send it"),
        [
            GuideItem(
                REQUIRED,
                _(
                    "Upload the Word file through OHCHR's online system for UPR submissions. "
                    "OHCHR no longer accepts submissions by e-mail."
                ),
                link=ONLINE_SYSTEM,
                link_text=_("OHCHR's online system for UPR submissions"),
            ),
            GuideItem(
                ADVICE,
                _("Enter the cover information in the system's form as well."),
            ),
        ],
    )


def build_guide(rules: RuleSet) -> Guide:
    """The guide for the rules in force (`rules.rules_for_cycle`), in the active language."""
    individual, joint = _limits(rules)
    limit = rules.get("word_limit")
    count_footnotes = bool(limit.param("count_footnotes", True)) if limit is not None else True
    sections = [
        _who(),
        _individual_or_joint(rules),
        _length(rules),
        _format(rules),
        _cover(rules),
        _content(rules),
        _deadline(rules),
        _send(),
    ]
    return Guide(
        cycle=rules.cycle,
        sections=[s for s in sections if s.items],
        counting=counting_explanation(count_footnotes=count_footnotes),
        individual_limit=individual,
        joint_limit=joint,
    )
