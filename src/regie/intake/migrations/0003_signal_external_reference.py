from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_standard_themes")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="external_reference",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Kenmerk van de afzender, bijvoorbeeld het Meldingnummer van Meld Misdaad Anoniem.",
                max_length=40,
                null=True,
                verbose_name="extern kenmerk",
            ),
        ),
    ]
