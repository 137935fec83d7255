"""A census number no longer votes alone: each entry keeps keyed hashes of the secrets that go with it
(date of birth, a document's last digits) and the process says which ones a voter gives. Dates of birth
that were stored encrypted become keyed hashes and the encrypted column goes. An entry uploaded without
a date of birth has no secret and cannot vote until the city uploads the list again with one
(docs/budgeting.md)."""

from django.db import migrations, models

from gorod.budgeting import keys
from gorod.budgeting.eligibility import parse_date


def hash_birth_dates(apps, schema_editor):
    CensusEntry = apps.get_model("budgeting", "CensusEntry")
    rows = CensusEntry.objects.exclude(birth_date="").select_related("process").order_by("pk")
    changed = []
    for entry in rows.iterator(chunk_size=5000):
        born = parse_date(entry.birth_date)
        if born is not None:
            entry.birth_hash = keys.census_secret_hash(
                entry.process, entry.identifier_hash, "birth", born.isoformat()
            )
            changed.append(entry)
        if len(changed) >= 5000:
            CensusEntry.objects.bulk_update(changed, ["birth_hash"])
            changed = []
    CensusEntry.objects.bulk_update(changed, ["birth_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('budgeting', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='censusentry',
            name='birth_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='keyed hash of the date of birth'),
        ),
        migrations.AddField(
            model_name='censusentry',
            name='document_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name="keyed hash of the document's last digits"),
        ),
        migrations.AddField(
            model_name='process',
            name='census_secret',
            field=models.CharField(choices=[('birth_date', 'date of birth'), ('document', 'last 4 digits of a document number'), ('both', 'date of birth and last 4 digits of a document number')], default='birth_date', max_length=20, verbose_name='census voters also give'),
        ),
        migrations.RunPython(hash_birth_dates, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='censusentry',
            name='birth_date',
        ),
    ]
