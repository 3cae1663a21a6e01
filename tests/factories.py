"""factory_boy factories shared by the tests (and the make_dev_data command)."""

from __future__ import annotations

import hashlib

import factory

from uprhub.recommendations.models import (
    Label,
    Position,
    Recommendation,
    RecommendingState,
    Source,
    SourceKind,
    Theme,
    Vocabulary,
    VocabularyKind,
)
from uprhub.reviews.models import Cycle, Review, Session, State, StateKind


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:02d}"[:3])
    iso3 = factory.SelfAttribute("code")
    un_name = factory.LazyAttribute(lambda o: f"State {o.code}")
    short_name = factory.LazyAttribute(lambda o: f"State {o.code}")
    regional_group = "WEOG"
    kind = StateKind.MEMBER


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ("number",)

    number = 3


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        django_get_or_create = ("number",)

    number = 36
    cycle = factory.SubFactory(CycleFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        django_get_or_create = ("state", "session")

    state = factory.SubFactory(StateFactory)
    session = factory.SubFactory(SessionFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("kind", "name")

    kind = SourceKind.MANUAL
    name = "test-fixture"
    sha256 = "0" * 64


class VocabularyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vocabulary
        django_get_or_create = ("slug",)

    slug = "uprinfo-issues"
    name = "UPR Info issues"
    kind = VocabularyKind.ISSUE


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("vocabulary", "name")

    vocabulary = factory.SubFactory(VocabularyFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewFactory)
    text = factory.Sequence(lambda n: f"Take measures number {n} to protect human rights")
    text_key = factory.LazyAttribute(lambda o: hashlib.sha1(o.text.encode()).hexdigest())
    position = Position.SUPPORTED
    action_category = 4
    source = factory.SubFactory(SourceFactory)

    @factory.post_generation
    def recommenders(self, create, extracted, **kwargs):
        if create and extracted:
            for state in extracted:
                RecommendingState.objects.create(recommendation=self, state=state)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            for theme in extracted:
                Label.objects.create(recommendation=self, theme=theme, source=self.source)
