from django.db import migrations, models


def explain_stored_results(apps, schema_editor):
    """Results stored before the reason was kept get it back from what they hold: a manual
    indicator without a value, a rate with no cases (a denominator of 0), otherwise a rate
    that nothing computed."""
    IndicatorResult = apps.get_model("governance", "IndicatorResult")
    missing = IndicatorResult.objects.filter(available=False, missing="")
    missing.filter(source="manual").update(missing="no_value")
    missing.filter(denominator=0).update(missing="no_cases")
    missing.exclude(source="manual").filter(denominator__isnull=True).update(missing="no_source")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0010_role_permissions_by_task"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorresult",
            name="missing",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_value", "No value entered for this month."),
                    ("no_source", "Not measured: no module computes this rate from the records."),
                    ("no_cases", "No cases this month."),
                ],
                max_length=10,
                verbose_name="why not available",
            ),
        ),
        migrations.RunPython(explain_stored_results, migrations.RunPython.noop),
    ]
