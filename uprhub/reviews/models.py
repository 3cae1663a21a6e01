"""States under review, UPR cycles, Working Group sessions and reviews."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalGroup(models.TextChoices):
    AFRICA = "Africa", _("African Group")
    ASIA_PACIFIC = "Asia-Pacific", _("Asia-Pacific Group")
    EEG = "EEG", _("Eastern European Group")
    GRULAC = "GRULAC", _("Latin American and Caribbean Group")
    WEOG = "WEOG", _("Western European and Others Group")


class StateKind(models.TextChoices):
    MEMBER = "member", _("UN member State")
    OBSERVER = "observer", _("Observer State")
    GROUP = "group", _("Group of States")
    UNKNOWN = "unknown", _("Unknown or unmatched name")


class StateQuerySet(models.QuerySet["State"]):
    def under_review(self) -> StateQuerySet:
        return self.filter(reviews__isnull=False).distinct()


class State(models.Model):
    """A State (or, for recommenders, a group of States or an unmatched name kept visible)."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("ISO 3166-1 alpha-3 for States; an upper-case slug for groups and unknowns."),
    )
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, blank=True)
    un_name = models.CharField(_("UN name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=120)
    regional_group = models.CharField(
        _("UN regional group"), max_length=20, choices=RegionalGroup.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StateKind.choices)

    objects = StateQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")
        constraints = [
            models.UniqueConstraint(
                fields=["iso3"], condition=~models.Q(iso3=""), name="state_unique_iso3"
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reviews:state", args=[self.code])

    @property
    def display_name(self) -> str:
        """The short name in the active language (CLDR through Babel; English otherwise)."""
        from .countries import state_name

        return state_name(self.iso3, self.short_name)

    @property
    def display_formal_name(self) -> str:
        """The UN's formal name in English; CLDR has no formal names, so other languages get
        the translated short name ("Estados Unidos" for "United States of America")."""
        from .countries import state_name

        translated = state_name(self.iso3, "")
        return translated or self.un_name


class StateAlias(models.Model):
    """A name under which a State appears in some source, keyed by its normalised form."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name as written"), max_length=200)
    key = models.CharField(_("normalised key"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("State alias")
        verbose_name_plural = _("State aliases")

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    number = models.PositiveSmallIntegerField(_("cycle"), primary_key=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("UPR cycle")
        verbose_name_plural = _("UPR cycles")

    def __str__(self) -> str:
        return str(_("Cycle %(number)s") % {"number": self.number})


class Session(models.Model):
    """A UPR Working Group session (three a year, about fourteen States each)."""

    number = models.PositiveSmallIntegerField(_("session"), primary_key=True)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sessions")
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    dates_note = models.CharField(_("source of the dates"), max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Working Group session")
        verbose_name_plural = _("Working Group sessions")

    def __str__(self) -> str:
        return str(_("UPR %(number)s") % {"number": self.number})


class ReviewQuerySet(models.QuerySet["Review"]):
    def for_state(self, code: str) -> ReviewQuerySet:
        return self.filter(state__code=code.upper())


class Review(models.Model):
    """One State's review at one Working Group session, with its UN document symbols."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="reviews")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="reviews")
    review_date = models.DateField(_("date of the interactive dialogue"), null=True, blank=True)
    national_report_symbol = models.CharField(_("national report (/1)"), max_length=60, blank=True)
    compilation_symbol = models.CharField(_("UN compilation (/2)"), max_length=60, blank=True)
    stakeholder_summary_symbol = models.CharField(
        _("stakeholders' summary (/3)"), max_length=60, blank=True
    )
    wg_report_symbol = models.CharField(_("Working Group report"), max_length=60, blank=True)
    responses_symbol = models.CharField(_("State's responses (Add.1)"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["state__short_name", "session__number"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["state", "session"], name="review_unique_state_session")
        ]

    def __str__(self) -> str:
        return f"{self.state} — {self.session}"

    def save(self, *args, **kwargs) -> None:
        self.fill_pre_session_symbols()
        super().save(*args, **kwargs)

    def fill_pre_session_symbols(self, session_number: int | None = None) -> None:
        """Fill the unknown pre-session symbols from their fixed pattern.

        ``session_number`` is for a review held later than planned: its documents keep the
        symbols of the session it was first scheduled for (Sudan: UPR 39 documents, UPR 40).
        """
        if not self.state.iso3:
            return
        self.national_report_symbol = self.national_report_symbol or self.pre_session_symbol(
            1, session_number
        )
        self.compilation_symbol = self.compilation_symbol or self.pre_session_symbol(
            2, session_number
        )
        self.stakeholder_summary_symbol = (
            self.stakeholder_summary_symbol or self.pre_session_symbol(3, session_number)
        )

    @property
    def cycle_id(self) -> int:
        return self.session.cycle_id

    def pre_session_symbol(self, number: int, session_number: int | None = None) -> str:
        """The A/HRC/WG.6/<session>/<ISO3>/<n> symbol of the three pre-session documents."""
        session = session_number or self.session_id
        return f"A/HRC/WG.6/{session}/{self.state.iso3 or self.state.code}/{number}"

    @property
    def display_note(self) -> str:
        """The note in the active language when the bundled data has its translation."""
        from .notes import translated_note

        return translated_note(self.note)


class DocumentKind(models.TextChoices):
    NATIONAL_REPORT = "national_report", _("National report")
    COMPILATION = "compilation", _("Compilation of UN information")
    STAKEHOLDER_SUMMARY = "stakeholder_summary", _("Summary of stakeholders' submissions")
    WG_REPORT = "wg_report", _("Working Group report")
    RESPONSES = "responses", _("State's responses (addendum)")


class Document(models.Model):
    """The text of a UN document of a review, kept so it can be read and searched offline."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    symbol = models.CharField(_("document symbol"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    published = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("text"))
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)

    class Meta:
        ordering = ["review", "symbol"]
        verbose_name = _("UN document")
        verbose_name_plural = _("UN documents")

    def __str__(self) -> str:
        return self.symbol
