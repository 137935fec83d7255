"""The completed Method of Equal Shares (mes-add1) becomes the default rule of new processes; existing
processes keep theirs (docs/budgeting.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgeting', '0002_census_secrets_hashed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='process',
            name='tally_rule',
            field=models.CharField(choices=[('greedy', 'greedy by votes'), ('greedy-cost', 'greedy by votes per cost'), ('max-welfare', 'maximal total support'), ('phragmen', 'sequential Phragmén'), ('mes', 'Method of Equal Shares'), ('mes-cost', 'Method of Equal Shares (cost satisfaction)'), ('mes-add1', 'Method of Equal Shares, completed')], default='mes-add1', max_length=20, verbose_name='tally rule'),
        ),
    ]
