"""Follow up: how a State implemented the recommendations it received, with evidence.

* A `Scale` (data, not code) is a list of `Grade`s: the Human Rights Committee's A–E follow-up
  grades, UPR Info's fully / partially / not implemented. Each grade falls in a `Bucket` so
  scales can be compared and the headline figure ("supported but not implemented") counted on
  any scale.
* An `AssessmentRound` ("Mid-term 2022") assesses the recommendations of one `Review` on one
  scale, as of a date, with deadlines (on the calendar, with reminders). People take part
  through `RoundRole`s: assessors (for one of their organisations) and reviewers.
* An `Assessment` is one organisation's view of one recommendation in a round: grade,
  rationale, as-of date, evidence. Several organisations may disagree; nothing averages them.
* A `Position` is the coalition's view, set by reviewers: draft → in review → published,
  versioned (`version`, a save names the version it started from) with every save kept as a
  `PositionRevision`. Only published positions are public.
* An `EvidenceItem` belongs to an assessment or a position: a UN document paragraph, an
  address, a law, a court case, a news item, with a verbatim quote and a date.
* An `EvidenceSuggestion` is what the evidence finder proposed (stored, so 347
  recommendations are computed once); people accept it into evidence or reject it.
* A `Cluster` groups near-identical recommendations of one review (the dozen asking to abolish
  the death penalty) so they are assessed in one step.
* A `CarryForward` links a recommendation to an earlier cycle's on the same measure
  (repeated, strengthened); a later one with none is new.
* A `StateClaim` is what the State itself says it did (national or mid-term report), shown
  beside civil society's assessment, never mixed into it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.models import Organisation
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Document, Review


class Bucket(models.TextChoices):
    """What a grade means whatever its scale, for counting and comparing rounds."""

    IMPLEMENTED = "implemented", _("Implemented")
    PARTIAL = "partial", _("Partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    CONTRARY = "contrary", _("Contrary to the recommendation")
    NO_INFORMATION = "no_information", _("No information")


#: Buckets counted as "not implemented" in the headline figure.
NOT_IMPLEMENTED_BUCKETS = (Bucket.NOT_IMPLEMENTED, Bucket.CONTRARY, Bucket.NO_INFORMATION)


class Scale(models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("implementation scale")
        verbose_name_plural = _("implementation scales")

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("definition"), blank=True)
    bucket = models.CharField(_("meaning"), max_length=20, choices=Bucket.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A colour for charts (with a pattern and a table beside it: never the only cue).
    colour = models.CharField(_("colour"), max_length=7, default="#777777")

    class Meta:
        ordering = ["scale", "order", "pk"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [models.UniqueConstraint(fields=["scale", "code"], name="grade_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"

    @property
    def display_label(self) -> str:
        """The label in the active language: the shipped labels are in the catalogue
        (`scales.py`); a scale an admin added shows its own words."""
        from django.utils.translation import gettext

        return gettext(self.label)


class AssessmentRound(models.Model):
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name=_("review assessed"),
        help_text=_("The review whose recommendations are assessed (e.g. the 3rd review)."),
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("e.g. Mid-term 2022"))
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="rounds")
    description = models.TextField(_("description"), blank=True)
    as_of = models.DateField(_("assessed as of"), help_text=_("The date the assessment speaks of."))
    assessments_due = models.DateField(_("assessments due"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    publish_on = models.DateField(_("publication planned"), null=True, blank=True)
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed round takes no more changes.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("followup:round", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return not self.closed


class RoundRoleKind(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor")
    REVIEWER = "reviewer", _("Reviewer")


class RoundRole(models.Model):
    """An assessor assesses for one of their organisations; a reviewer sets the coalition's
    position and publishes it."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=RoundRoleKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assesses for"),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("role in a round")
        verbose_name_plural = _("roles in rounds")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "role"], name="round_role_unique"),
            # An assessor always assesses for an organisation.
            models.CheckConstraint(
                condition=~Q(role="assessor") | Q(organisation__isnull=False),
                name="round_assessor_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Assessment(models.Model):
    """One organisation's assessment of one recommendation in a round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(_("rationale"), max_length=5000, blank=True)
    as_of = models.DateField(_("as of"))
    version = models.PositiveIntegerField(default=1, editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "recommendation__paragraph_sort", "organisation__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "recommendation", "organisation"], name="assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.paragraph} – {self.organisation}: {self.grade.code}"


class PositionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class PositionQuerySet(models.QuerySet["Position"]):
    def published(self) -> PositionQuerySet:
        return self.filter(status=PositionStatus.PUBLISHED)


class Position(models.Model):
    """The coalition's assessment of one recommendation in a round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="positions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="followup_positions"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(_("rationale"), max_length=5000, blank=True)
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PositionStatus.choices,
        default=PositionStatus.DRAFT,
        db_index=True,
    )
    # Bumped by every save; a save made from an older version is refused (services).
    version = models.PositiveIntegerField(default=1, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "recommendation__paragraph_sort"]
        verbose_name = _("coalition position")
        verbose_name_plural = _("coalition positions")
        constraints = [
            models.UniqueConstraint(fields=["round", "recommendation"], name="position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.paragraph}: {self.grade.code} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == PositionStatus.PUBLISHED


class PositionRevision(models.Model):
    """Every save of a position, as it was after the save (its history)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(_("rationale"), blank=True)
    as_of = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=10, choices=PositionStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text so the history still says who after that account is deleted.
    author_label = models.CharField(_("by"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-version", "-pk"]
        verbose_name = _("position revision")
        verbose_name_plural = _("position revisions")
        constraints = [
            models.UniqueConstraint(fields=["position", "version"], name="position_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position_id} v{self.version}"


class EvidenceKind(models.TextChoices):
    UN_DOCUMENT = "un_document", _("UN document")
    URL = "url", _("Web page")
    LAW = "law", _("Law or regulation")
    COURT_CASE = "court_case", _("Court case")
    NEWS = "news", _("News item")
    OTHER = "other", _("Other")


class EvidenceItem(models.Model):
    """One piece of evidence, for an organisation's assessment or the coalition's position."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    document_symbol = models.CharField(
        _("UN document symbol"), max_length=60, blank=True, help_text=_("e.g. A/HRC/WG.6/50/USA/2")
    )
    paragraph = models.PositiveIntegerField(_("paragraph"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    title = models.CharField(
        _("title or citation"),
        max_length=300,
        blank=True,
        help_text=_("The law, the case, the article: as it should be cited."),
    )
    quote = models.TextField(_("verbatim quote"), max_length=3000, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    suggestion = models.ForeignKey(
        "EvidenceSuggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        help_text=_("The evidence finder's suggestion this was accepted from."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        constraints = [
            # Exactly one owner.
            models.CheckConstraint(
                condition=(Q(assessment__isnull=False) & Q(position__isnull=True))
                | (Q(assessment__isnull=True) & Q(position__isnull=False)),
                name="evidence_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        if self.document_symbol:
            return f"{self.document_symbol}, para. {self.paragraph}"
        return self.title or self.url or self.get_kind_display()


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class EvidenceSuggestion(models.Model):
    """A paragraph of a next-cycle UN document the evidence finder proposed for a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence_suggestions"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    paragraph = models.PositiveIntegerField(_("paragraph"))
    quote = models.TextField(_("quote"))
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    method = models.CharField(_("method"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.SUGGESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation", "rank"]
        verbose_name = _("evidence suggestion")
        verbose_name_plural = _("evidence suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "document", "paragraph"], name="suggestion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} ¶{self.paragraph} ({self.score:.2f})"


class Cluster(models.Model):
    """Near-identical recommendations of one review, assessed in one step."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="clusters")
    label = models.CharField(_("label"), max_length=200)
    recommendations = models.ManyToManyField(Recommendation, related_name="clusters")
    # How it was made ("tfidf-0.55", "manual"): recomputing replaces only the machine's.
    method = models.CharField(_("method"), max_length=40, default="manual")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "label"]
        verbose_name = _("cluster of recommendations")
        verbose_name_plural = _("clusters of recommendations")

    def __str__(self) -> str:
        return self.label


class LinkKind(models.TextChoices):
    REPEATED = "repeated", _("Repeated")
    STRENGTHENED = "strengthened", _("Strengthened")


class CarryForward(models.Model):
    """A later cycle's recommendation asks for the same measure as an earlier one."""

    later = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="earlier_links"
    )
    earlier = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="later_links"
    )
    kind = models.CharField(_("relation"), max_length=15, choices=LinkKind.choices)
    score = models.FloatField(_("similarity"), default=0.0)
    method = models.CharField(_("method"), max_length=40, default="manual")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["later", "-score"]
        verbose_name = _("link to an earlier recommendation")
        verbose_name_plural = _("links to earlier recommendations")
        constraints = [
            models.UniqueConstraint(fields=["later", "earlier"], name="carry_forward_unique")
        ]

    def __str__(self) -> str:
        return f"{self.later_id} {self.kind} {self.earlier_id}"


class ClaimKind(models.TextChoices):
    IMPLEMENTED = "implemented", _("Says it implemented it")
    IN_PROGRESS = "in_progress", _("Says it is in progress")
    NOT_ACCEPTED = "not_accepted", _("Says it will not")
    DESCRIBED = "described", _("Describes measures")


class StateClaim(models.Model):
    """What the State says it did about a recommendation (national or mid-term report)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="state_claims"
    )
    document_symbol = models.CharField(_("document"), max_length=120)
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    claim = models.CharField(_("claim"), max_length=15, choices=ClaimKind.choices)
    quote = models.TextField(_("quote"), max_length=3000)
    date = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "document_symbol", "pk"]
        verbose_name = _("State's claim")
        verbose_name_plural = _("State's claims")

    def __str__(self) -> str:
        return f"{self.document_symbol} ¶{self.paragraph}"
