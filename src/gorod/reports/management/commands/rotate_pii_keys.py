from django.core.management.base import BaseCommand

from gorod.reports.services.pii import reports_rotate_pii


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of GOROD_PII_KEYS. Run after putting a new key first; "
        "then the old keys can be removed."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Re-encrypted the contact details of {reports_rotate_pii()} reports.")
