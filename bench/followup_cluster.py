"""Assessing a cluster of 12 recommendations in one request; prints JSON.

    .venv/bin/python bench/followup_cluster.py                    # SQLite, a fresh file
    .venv/bin/python bench/followup_cluster.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Loads the reference data and the bundled US 3rd-cycle recommendations (347), clusters them
(`clusters.compute_clusters`, the default threshold), makes a round on the HRC's A–E scale
with an assessor, and takes the largest cluster (the death-penalty asks) cut to 12. Then, with
Django's test Client (middleware, view, form, service, redirect; no network), it posts the
cluster page's form ``--requests`` times: one grade and rationale for all, two rows changed,
one skipped, alternately to the organisation's assessments and to the coalition's draft
positions (each post starting from the versions the page showed). Reported: median and p95
in ms, SQL queries of one post, and the rows written. Target (issue 15): one request.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from _django import start_django

SIZE = 12


def _setup(args: argparse.Namespace) -> None:
    start_django(Path(args.workdir), args.database_url, "cluster.sqlite3")
    from uprhub.recommendations.importers.bundled import bundled_path
    from uprhub.recommendations.importers.kinds import run_kind
    from uprhub.recommendations.importers.reference import load_reference_data
    from uprhub.recommendations.models import Recommendation

    if Recommendation.objects.for_state("USA").in_cycle(3).count() == 0:
        load_reference_data()
        run_kind("ohchr-csv", bundled_path("ohchr/usa-cycle3-recommendations.csv"))


def _world() -> tuple:
    from datetime import date

    from django.contrib.auth.models import User

    from uprhub.accounts.models import Membership, Organisation, Profile
    from uprhub.followup import clusters, rounds
    from uprhub.followup.models import AssessmentRound, Scale
    from uprhub.reviews.models import Review

    review = Review.objects.get(state__iso3="USA", session__cycle_id=3)
    run = clusters.compute_clusters(review)
    AssessmentRound.objects.filter(slug="bench-cluster").delete()
    round_ = rounds.create_round(
        None,
        review=review,
        name="Bench cluster",
        slug="bench-cluster",
        scale=Scale.objects.get(slug="hrc-follow-up"),
        as_of=date(2025, 6, 30),
    )
    user, _new = User.objects.get_or_create(username="bench-assessor@example.org")
    Profile.objects.update_or_create(user=user, defaults={"full_name": "Bench", "role": "member"})
    organisation, _new = Organisation.objects.get_or_create(
        name="Bench coalition", defaults={"kind": "ngo"}
    )
    Membership.objects.get_or_create(user=user, organisation=organisation)
    rounds.add_role(None, round_, user, "assessor", organisation=organisation)
    biggest = max(review.clusters.all(), key=lambda c: c.recommendations.count())
    members = list(biggest.recommendations.order_by("paragraph_sort")[:SIZE])
    if len(members) < SIZE:
        raise SystemExit(f"the largest cluster has {len(members)} recommendations, not {SIZE}")
    biggest.recommendations.set(members)
    return round_, biggest, user, organisation, members, len(run.clusters)


def _form_data(page: str, round_, members, organisation, target: str) -> dict:
    import re
    from html import unescape

    seen = unescape(re.search(r'name="seen" value="([^"]*)"', page).group(1))
    grades = {g.code: g.pk for g in round_.scale.grades.all()}
    data = {
        "target": target,
        "grade": grades["C"],
        "rationale": "No legislative or executive step towards abolition since the review.",
        "as_of": "2025-06-30",
        "seen": seen,
    }
    data[f"grade_{members[0].pk}"] = grades["E"]
    data[f"rationale_{members[0].pk}"] = "Executions resumed."
    data[f"grade_{members[1].pk}"] = grades["B"]
    data[f"skip_{members[2].pk}"] = "on"
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default="/tmp/uprhub-followup-cluster")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    _setup(args)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from uprhub.followup.models import Assessment, Position

    round_, cluster, user, organisation, members, cluster_count = _world()
    client = Client()
    client.force_login(user)
    url = reverse("followup:cluster", args=[round_.slug, cluster.pk])
    timings, queries = [], 0
    for n in range(args.requests):
        target = "position" if n % 2 else f"organisation-{organisation.pk}"
        data = _form_data(client.get(url).content.decode(), round_, members, organisation, target)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"post {n} answered {response.status_code}")
        queries = len(captured)
    timings.sort()
    written = {
        "assessments": Assessment.objects.filter(round=round_).count(),
        "positions": Position.objects.filter(round=round_).count(),
    }
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "clusters_in_review": cluster_count,
                "cluster": {"label": cluster.label, "size": len(members)},
                "requests": args.requests,
                "requests_per_assessment": 1,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                "queries_per_request": queries,
                "rows_written": written,
                "target": "a cluster of 12 assessed in one request",
                "met": written == {"assessments": SIZE - 1, "positions": SIZE - 1},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
