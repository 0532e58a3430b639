# One person per BSN per owner. Before this constraint two concurrent deliveries could register
# the same new BSN twice; such duplicates must be merged by hand before the constraint can hold.

from django.db import migrations, models
from django.db.models import Count


def refuse_existing_duplicates(apps, schema_editor):
    Person = apps.get_model("subjects", "Person")
    groups = (
        Person._base_manager.exclude(bsn="").values("owner_id", "bsn").annotate(n=Count("id")).filter(n__gt=1)
    )
    count = groups.count()
    if count:
        # no BSNs in the message: it ends up in deployment logs
        raise RuntimeError(
            f"Het register bevat {count} BSN('s) die bij dezelfde organisatie aan meer dan één persoon zijn "
            "gekoppeld. Voeg die personen eerst samen; daarna kan deze migratie de unieke BSN-regel toevoegen."
        )


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
        ("subjects", "0002_company_legal_form_onbekend"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("bsn", ""), _negated=True),
                fields=("owner", "bsn"),
                name="unique_person_bsn_per_owner",
                violation_error_message="Uw organisatie heeft al een persoon met dit BSN in het register.",
            ),
        ),
    ]
