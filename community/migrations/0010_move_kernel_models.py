"""StaffProfile moved to accounts, AccessLog and AuditEvent to privacy: state only.

The tables keep their names (community_staffprofile, community_accesslog, community_auditevent),
so no row moves. The content types are renamed to the new apps, which keeps every group's
permissions on these models (the role groups' view_auditevent, for example).
"""

from django.db import migrations

MOVED = {"staffprofile": "accounts", "accesslog": "privacy", "auditevent": "privacy"}


def rename_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app_label in MOVED.items():
        if not content_type.objects.using(db).filter(app_label=app_label, model=model).exists():
            content_type.objects.using(db).filter(app_label="community", model=model).update(
                app_label=app_label
            )


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app_label in MOVED.items():
        if not content_type.objects.using(db).filter(app_label="community", model=model).exists():
            content_type.objects.using(db).filter(app_label=app_label, model=model).update(
                app_label="community"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0009_audit_roles"),
        ("accounts", "0001_initial"),
        ("privacy", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="actor"),
                migrations.RemoveField(model_name="auditevent", name="community"),
                migrations.RemoveField(model_name="staffprofile", name="community"),
                migrations.RemoveField(model_name="staffprofile", name="user"),
                migrations.RemoveField(model_name="staffprofile", name="viewable_communities"),
                migrations.DeleteModel(name="AccessLog"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="StaffProfile"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
