"""Harvest records and runs are linked to their source; the bare source keys go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_harvest_sources_from_keys")]

    operations = [
        migrations.RemoveConstraint(model_name="harvestrecord", name="unique_harvest_source_id"),
        migrations.RemoveIndex(model_name="harvestrun", name="catalog_har_publish_b807b6_idx"),
        migrations.RemoveField(model_name="harvestrecord", name="publisher"),
        migrations.RemoveField(model_name="harvestrecord", name="source_key"),
        migrations.RemoveField(model_name="harvestrun", name="source_key"),
        migrations.AlterField(
            model_name="harvestrecord",
            name="harvest_source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="records",
                to="catalog.harvestsource",
                verbose_name="harvest source",
            ),
        ),
        migrations.AlterModelOptions(
            name="harvestrecord",
            options={
                "ordering": ["harvest_source", "source_id"],
                "verbose_name": "harvest record",
                "verbose_name_plural": "harvest records",
            },
        ),
        migrations.AddIndex(
            model_name="harvestrun",
            index=models.Index(
                fields=["harvest_source", "status"], name="catalog_har_harvest_d6b2cb_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="harvestrecord",
            constraint=models.UniqueConstraint(
                fields=("harvest_source", "source_id"), name="unique_harvest_source_id"
            ),
        ),
    ]
