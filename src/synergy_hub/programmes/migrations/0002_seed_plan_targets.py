"""The action plan's four numeric 2028 targets, for its programme where it already exists.

A programme created later gets them from `programmes.services.seed_plan_targets`.
"""

import datetime

from django.db import migrations

PLAN_TARGETS = {"batches": 3, "pilot_projects": 100, "service_platforms": 10, "scenarios": 60}


def seed(apps, schema_editor):
    Programme = apps.get_model("catalog", "Programme")
    Target = apps.get_model("programmes", "ProgrammeTarget")
    for programme in Programme.objects.filter(code="2026-2028"):
        for metric, number in PLAN_TARGETS.items():
            Target.objects.get_or_create(
                programme=programme,
                metric=metric,
                due_on=datetime.date(2028, 12, 31),
                defaults={"number": number},
            )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_pilots_platforms_scenarios_targets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
