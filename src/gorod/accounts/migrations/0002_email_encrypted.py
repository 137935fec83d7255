"""The user's e-mail moves from Django's plain `email` column to an encrypted column with a keyed look-up
hash (personal data encrypted at rest). Existing addresses are copied over before the old column goes; a
second account with the same address keeps none (the address must identify one account)."""

import django.db.models.deletion
import gorod.accounts.models
import gorod.core.crypto
from django.conf import settings
from django.db import migrations, models

from gorod.core import crypto


def copy_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: set[str] = set()
    for user in User.objects.exclude(email="").order_by("pk").only("pk", "email"):
        address = user.email.strip()
        digest = crypto.lookup_hash(address)
        if digest in seen:
            continue
        seen.add(digest)
        user.email_encrypted = address
        user.email_hash = digest
        user.save(update_fields=["email_encrypted", "email_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('city', '0002_category_answer_moderation_responsetemplate_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignInLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='token hash')),
                ('email_hash', models.CharField(blank=True, max_length=64, verbose_name='e-mail look-up hash')),
                ('created', models.DateTimeField(verbose_name='created')),
                ('expires', models.DateTimeField(verbose_name='expires')),
                ('used', models.DateTimeField(blank=True, null=True, verbose_name='used')),
            ],
            options={
                'verbose_name': 'sign-in link',
                'verbose_name_plural': 'sign-in links',
            },
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', gorod.accounts.models.GorodUserManager()),
            ],
        ),
        migrations.AddField(
            model_name='user',
            name='display_name',
            field=gorod.core.crypto.EncryptedTextField(blank=True, verbose_name='display name'),
        ),
        migrations.AddField(
            model_name='user',
            name='email_encrypted',
            field=gorod.core.crypto.EncryptedTextField(blank=True, verbose_name='e-mail address'),
        ),
        migrations.AddField(
            model_name='user',
            name='email_hash',
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name='e-mail look-up hash'),
        ),
        migrations.AddField(
            model_name='user',
            name='email_verified',
            field=models.BooleanField(default=False, verbose_name='e-mail confirmed'),
        ),
        migrations.RunPython(copy_emails, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='user',
            name='email',
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(condition=models.Q(('email_hash', ''), _negated=True), fields=('email_hash',), name='user_email_hash_unique'),
        ),
        migrations.AddField(
            model_name='signinlink',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sign_in_links', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddIndex(
            model_name='signinlink',
            index=models.Index(fields=['user', 'created'], name='signinlink_user_created'),
        ),
    ]
