from django.db import migrations

from regie.intake.catalogue import STANDARD_THEMES


def add_themes(apps, schema_editor):
    Theme = apps.get_model("intake", "Theme")
    for code, group, name in STANDARD_THEMES:
        Theme.objects.get_or_create(organisation=None, code=code, defaults={"group": group, "name": name})


def remove_themes(apps, schema_editor):
    Theme = apps.get_model("intake", "Theme")
    Theme.objects.filter(organisation=None, code__in=[c for c, _, _ in STANDARD_THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(add_themes, remove_themes)]
