"""What to do before each kind of deadline, in plain words for a first-time advocate.

Kept apart from the templates so the page, the feeds and (later) the reminder e-mails say the
same thing, and so translators find it in one place. Figures that OHCHR may change (word
limits) are given with "check" wording: the OHCHR guidelines are the reference.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import DeadlineKind

GUIDANCE: dict[str, tuple[Promise, ...]] = {
    DeadlineKind.STAKEHOLDER_SUBMISSION: (
        _(
            "Decide what you want to report: how far the State has carried out the "
            "recommendations of its last review, and what has happened since."
        ),
        _(
            "Join forces: a joint submission with other organisations carries more weight "
            "and is allowed twice the length. The UPR Taskforce coordinates one."
        ),
        _(
            "Keep to OHCHR's rules: a Word document, numbered paragraphs, about 2,815 words "
            "alone or 5,630 words jointly (check the current OHCHR guidelines)."
        ),
        _(
            "Upload it through OHCHR's online system before 23:59 Geneva time. Late "
            "submissions are not considered, so aim for a few days early."
        ),
    ),
    DeadlineKind.NATIONAL_REPORT: (
        _(
            "The government writes its own report now. Ask the ministry in charge how it "
            "consults civil society, and send it your findings."
        ),
        _("Share your submission with friendly embassies: they prepare their questions now."),
    ),
    DeadlineKind.REVIEW: (
        _(
            "Meet embassies in your capital or their missions in Geneva and suggest the "
            "recommendations you want them to make; advance questions are due about ten "
            "working days before the review."
        ),
        _("Follow the dialogue live on UN Web TV and note which States raise your issues."),
    ),
    DeadlineKind.WG_ADOPTION: (
        _(
            "Read the draft report: find the recommendations on your issues and note the "
            "States that made them."
        ),
        _(
            "Urge the government to support them: it has until the Council adopts the "
            "outcome to give its positions."
        ),
    ),
    DeadlineKind.HRC_ADOPTION: (
        _(
            "The State says which recommendations it supports and which it only notes. Press "
            "for support before the Council session."
        ),
        _(
            "Organisations with ECOSOC status can ask to speak at the adoption; others can "
            "join a statement or send a written one."
        ),
    ),
    DeadlineKind.MIDTERM_WINDOW_OPEN: (
        _(
            "Half-way to the next review: check which supported recommendations have been "
            "carried out, partly carried out or not at all."
        ),
    ),
    DeadlineKind.MIDTERM_WINDOW_CLOSE: (
        _(
            "Publish your mid-term assessment and send it to the government, to OHCHR and "
            "to the embassies that made the recommendations."
        ),
    ),
}
