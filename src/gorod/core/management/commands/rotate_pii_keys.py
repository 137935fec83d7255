from django.core.management.base import BaseCommand

from gorod.core import audit, crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (accounts, reports, outbox, follows, endpoints' secrets…) "
        "under the first key of GOROD_PII_KEYS. Run after putting a new key first; then the old keys "
        "can be removed."
    )

    def handle(self, *args, **options):
        with audit.origin("command"):
            done = crypto.reencrypt_all()
            audit.record(action="pii.rotate_keys", detail={"rows": sum(done.values())})
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(f"Re-encrypted {sum(done.values())} rows under the newest key.")
