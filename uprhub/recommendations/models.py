"""Recommendations, voluntary pledges, theme vocabularies and the provenance of every label."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from uprhub.reviews.models import Review, State


class Position(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")
    OTHER = "other", _("Other (legacy response)")


class ActionCategory(models.IntegerChoices):
    """UPR Info's action categories (E. McMahon): how specific the requested action is."""

    MINIMAL = 1, _("1 — Minimal action")
    CONTINUING = 2, _("2 — Continuing action")
    CONSIDERING = 3, _("3 — Considering action")
    GENERAL = 4, _("4 — General action")
    SPECIFIC = 5, _("5 — Specific action")


# In running text ("estimates considering action (3)"), lower case.
ACTION_CATEGORY_NAMES = {
    1: _("minimal action"),
    2: _("continuing action"),
    3: _("considering action"),
    4: _("general action"),
    5: _("specific action"),
}


class SourceKind(models.TextChoices):
    UPRINFO_CSV = "uprinfo_csv", _("UPR Info CSV")
    UPRINFO_PLEDGES_CSV = "uprinfo_pledges_csv", _("UPR Info voluntary pledges CSV")
    OHCHR_CSV = "ohchr_csv", _("OHCHR recommendations CSV")
    UHRI_XLSX = "uhri_xlsx", _("UHRI Excel export")
    OHCHR_DOCX = "ohchr_docx", _("OHCHR thematic list (Word)")
    MANUAL = "manual", _("Entered by a person")


class Source(models.Model):
    """One imported file. Labels point here (and to a row) so their provenance is never lost."""

    kind = models.CharField(_("kind"), max_length=30, choices=SourceKind.choices)
    name = models.CharField(
        _("file name"), max_length=255, help_text=_("Identifies the source across re-imports.")
    )
    sha256 = models.CharField(_("content hash"), max_length=64)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    summary = models.JSONField(_("summary of the last import"), default=dict, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="source_unique_name")]

    def __str__(self) -> str:
        return self.name


class VocabularyKind(models.TextChoices):
    ISSUE = "issue", _("Issues / themes")
    GROUP = "group", _("Groups of persons")
    SDG = "sdg", _("Sustainable Development Goals")


class Vocabulary(models.Model):
    """A versioned taxonomy (UPR Info issues, OHCHR themes of one cycle, SDGs...)."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=VocabularyKind.choices)
    version = models.CharField(_("version"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (``data/theme_translations.csv``)."""
        from .theme_names import vocabulary_name

        return vocabulary_name(self.slug, self.name)


class Theme(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=255)
    same_as = models.ManyToManyField(
        "self", blank=True, help_text=_("Equivalent themes in other vocabularies.")
    )

    class Meta:
        ordering = ["vocabulary__name", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "name"], name="theme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (``data/theme_translations.csv``); searching and
        facet values keep the stored English name."""
        from .theme_names import theme_name

        # Without its vocabulary at hand, look the name up in any vocabulary (no query).
        slug = self.vocabulary.slug if Theme.vocabulary.is_cached(self) else ""
        return theme_name(self.name, slug)


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def for_state(self, code: str) -> RecommendationQuerySet:
        return self.filter(review__state__code=code.upper())

    def in_cycle(self, number: int) -> RecommendationQuerySet:
        return self.filter(review__session__cycle_id=number)

    def with_details(self) -> RecommendationQuerySet:
        """Everything a list or export shows, in a fixed number of queries."""
        return self.select_related("review__state", "review__session").prefetch_related(
            "recommending_states",
            models.Prefetch("labels", Label.objects.select_related("theme__vocabulary")),
        )


class Recommendation(models.Model):
    """One recommendation as numbered in a Working Group report (possibly from several States)."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    paragraph = models.CharField(
        _("paragraph"), max_length=20, blank=True, help_text=_("As numbered in the report: 26.178.")
    )
    # Numeric sort key for the paragraph (26.178 → 26_000_178) so 26.9 sorts before 26.10.
    paragraph_sort = models.BigIntegerField(null=True, blank=True, editable=False)
    text = models.TextField(_("text"))
    text_key = models.CharField(
        _("normalised text hash"),
        max_length=40,
        help_text=_("Identifies the same recommendation across rows and re-imports."),
    )
    recommending_states = models.ManyToManyField(
        State, through="RecommendingState", related_name="recommendations_made"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    position_as_published = models.CharField(_("response as published"), max_length=60, blank=True)
    action_category = models.PositiveSmallIntegerField(
        _("action category"), choices=ActionCategory.choices, null=True, blank=True
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="recommendations", null=True, blank=True
    )
    source_row = models.PositiveIntegerField(_("first row in the source"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["review__session__number", "paragraph_sort", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["review", "text_key"], name="rec_unique_text_in_review")
        ]
        indexes = [
            models.Index(fields=["review", "paragraph_sort"]),
            # "The same recommendation in other reviews" looks texts up by key alone.
            models.Index(fields=["text_key"], name="rec_text_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph or self.pk}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.paragraph_sort = self.paragraph_key(self.paragraph)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("recommendations:detail", args=[self.pk])

    @staticmethod
    def paragraph_key(paragraph: str) -> int | None:
        major, _sep, minor = paragraph.partition(".")
        if major.isdigit() and (minor.isdigit() or not minor):
            return int(major) * 1_000_000 + int(minor or 0)
        return None


class RecommendingState(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="recommenders"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    name_as_published = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "state"], name="recommender_unique")
        ]

    def __str__(self) -> str:
        return self.name_as_published or str(self.state_id)


class Label(models.Model):
    """A theme attached to a recommendation, with where it came from (file and row, or a person)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="labels"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="labels")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "theme"], name="label_unique")
        ]

    def __str__(self) -> str:
        return str(self.theme)

    @property
    def provenance(self) -> str:
        if self.entered_by_id:
            return str(_("entered by %(user)s") % {"user": self.entered_by})
        if self.source_id and self.source_row:
            return str(
                _("imported from %(file)s, row %(row)s")
                % {"file": self.source.name, "row": self.source_row}
            )
        if self.source_id:
            return str(_("imported from %(file)s") % {"file": self.source.name})
        return ""


class VoluntaryPledge(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="pledges")
    text = models.TextField(_("text"))
    text_key = models.CharField(max_length=40)
    themes = models.ManyToManyField(Theme, blank=True, related_name="pledges")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("voluntary pledge")
        verbose_name_plural = _("voluntary pledges")
        constraints = [
            models.UniqueConstraint(fields=["review", "text_key"], name="pledge_unique_text")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ImportJournal(models.Model):
    """A batched SQLite import in progress: what it wrote, so a crash can be undone.

    Each batch of rows and its `ImportJournalBatch` are written in one transaction, so the
    record never lags behind the data. `recover_unfinished_imports` undoes the journals left
    ``running`` by a process that is gone (see `uprhub.recommendations.importers.journal`).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        UNDONE = "undone", _("undone")

    source_kind = models.CharField(max_length=30)
    source_name = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    # Touched with every batch: a journal of another host is stale once it stops moving.
    updated_at = models.DateTimeField()
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # The process's start time (Linux clock ticks since boot), so a reused pid is not "alive".
    pid_started = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.source_kind} {self.source_name} ({self.status})"


class ImportJournalBatch(models.Model):
    """Ids of rows one batch (or one lookup) of a journaled import created, in one model."""

    journal = models.ForeignKey(ImportJournal, on_delete=models.CASCADE, related_name="batches")
    model = models.CharField(max_length=100)  # "app_label.ModelName"
    ids = models.JSONField()

    def __str__(self) -> str:
        return f"{self.model} ×{len(self.ids)}"


# --- machine suggestions -----------------------------------------------------------------------


class SuggestionKind(models.TextChoices):
    ISSUE = "issue", _("UPR Info issue")
    ACTION = "action", _("Action category")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def pending(self) -> SuggestionQuerySet:
        return self.filter(status=SuggestionStatus.PENDING)

    def for_recommendation(self, recommendation_id: int) -> SuggestionQuerySet:
        return self.filter(recommendation_id=recommendation_id).select_related(
            "theme", "decided_by"
        )


class Suggestion(models.Model):
    """A UPR Info issue or action category a model suggested for a recommendation.

    Never a label by itself: the web shows it as "suggested" until a member accepts it (which
    creates a :class:`~uprhub.recommendations.models.Label` entered by that member, or sets the
    action category) or rejects it. Accepted and rejected rows stay, as the record of who
    decided what and when, and so a rejected suggestion is not made again.

    Stored here, with the data it labels, and produced by `uprhub.classifier` (which sits
    above this app): the search layer, exports and the API read suggestions without
    importing the classifier.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuggestionKind.choices)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("The suggested UPR Info issue (issue suggestions only)."),
    )
    action_category = models.PositiveSmallIntegerField(
        _("action category"),
        choices=ActionCategory.choices,
        null=True,
        blank=True,
        help_text=_("The suggested action category (action suggestions only)."),
    )
    score = models.FloatField(
        _("score"), help_text=_("The model's calibrated confidence, from 0 to 1.")
    )
    model_version = models.CharField(_("model version"), max_length=60)
    created_at = models.DateTimeField(_("suggested on"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("machine suggestion")
        verbose_name_plural = _("machine suggestions")
        # The table keeps the name it was created with in the classifier app, so existing
        # databases, backups and the search layer's triggers on it need no change.
        db_table = "classifier_suggestion"
        ordering = ["recommendation_id", "kind", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "theme"],
                condition=Q(kind="issue"),
                name="suggestion_unique_issue",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "action_category"],
                condition=Q(kind="action"),
                name="suggestion_unique_action",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="issue", theme__isnull=False, action_category__isnull=True)
                    | Q(kind="action", theme__isnull=True, action_category__isnull=False)
                ),
                name="suggestion_kind_matches_value",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="suggestion_status_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value_label} ({self.score:.2f})"

    @property
    def value_label(self) -> str:
        if self.kind == SuggestionKind.ISSUE:
            return self.theme.name if self.theme_id else ""
        return str(ActionCategory(self.action_category).label) if self.action_category else ""

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING
