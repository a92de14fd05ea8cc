"""Texts in other languages on resources; harvest sources as records (decision 0013).

The harvest source replaces the bare source key in three steps, so that PostgreSQL never
alters a table with pending foreign-key checks in the same transaction: this migration
adds the sources and nullable links, 0004 fills them in, 0005 drops the keys.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("catalog", "0002_harvest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="translations",
            field=models.JSONField(blank=True, default=dict, verbose_name="other languages"),
        ),
        migrations.CreateModel(
            name="HarvestSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("url", "URL"), ("file", "File")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("location", models.CharField(max_length=2000, verbose_name="location")),
                (
                    "identity",
                    models.CharField(editable=False, max_length=64, verbose_name="identity"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="harvest_sources",
                        to="accounts.organisation",
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "harvest source",
                "verbose_name_plural": "harvest sources",
                "ordering": ["owner", "location"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "identity"), name="unique_harvest_source"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="harvestrun",
            name="harvest_source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="runs",
                to="catalog.harvestsource",
                verbose_name="harvest source",
            ),
        ),
        migrations.AddField(
            model_name="harvestrecord",
            name="harvest_source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="records",
                to="catalog.harvestsource",
                verbose_name="harvest source",
            ),
        ),
    ]
