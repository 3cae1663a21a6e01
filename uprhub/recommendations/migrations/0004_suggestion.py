# Machine suggestions move from the classifier app to the data they label. The table exists
# already (classifier 0001) and keeps its name; this takes it over in the migration state only.
# The classifier's 0002 drops it from that app's state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0003_import_journal"),
        ("classifier", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Suggestion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("issue", "UPR Info issue"), ("action", "Action category")], max_length=10, verbose_name="kind")),
                        ("action_category", models.PositiveSmallIntegerField(blank=True, choices=[(1, "1 — Minimal action"), (2, "2 — Continuing action"), (3, "3 — Considering action"), (4, "4 — General action"), (5, "5 — Specific action")], help_text="The suggested action category (action suggestions only).", null=True, verbose_name="action category")),
                        ("score", models.FloatField(help_text="The model's calibrated confidence, from 0 to 1.", verbose_name="score")),
                        ("model_version", models.CharField(max_length=60, verbose_name="model version")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="suggested on")),
                        ("status", models.CharField(choices=[("pending", "Pending review"), ("accepted", "Accepted"), ("rejected", "Rejected")], default="pending", max_length=10, verbose_name="status")),
                        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided on")),
                        ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("recommendation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="suggestions", to="recommendations.recommendation")),
                        ("theme", models.ForeignKey(blank=True, help_text="The suggested UPR Info issue (issue suggestions only).", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="suggestions", to="recommendations.theme")),
                    ],
                    options={
                        "verbose_name": "machine suggestion",
                        "verbose_name_plural": "machine suggestions",
                        "ordering": ["recommendation_id", "kind", "-score", "id"],
                        "db_table": "classifier_suggestion",
                        "indexes": [models.Index(fields=["status", "kind"], name="suggestion_status_kind")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("kind", "issue")), fields=("recommendation", "theme"), name="suggestion_unique_issue"), models.UniqueConstraint(condition=models.Q(("kind", "action")), fields=("recommendation", "action_category"), name="suggestion_unique_action"), models.CheckConstraint(condition=models.Q(models.Q(("action_category__isnull", True), ("kind", "issue"), ("theme__isnull", False)), models.Q(("action_category__isnull", False), ("kind", "action"), ("theme__isnull", True)), _connector="OR"), name="suggestion_kind_matches_value")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
