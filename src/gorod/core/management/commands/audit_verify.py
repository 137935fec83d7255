from django.core.management.base import BaseCommand, CommandError

from gorod.core import audit


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and name the first entry that was changed, removed or "
        "does not fit. Prints the newest hash: keep it somewhere else to anchor the chain."
    )

    def handle(self, *args, **options):
        verdict = audit.verify()
        if not verdict.intact:
            where = f"entry #{verdict.broken_seq}" if verdict.broken_seq is not None else "the head"
            if verdict.broken_id is not None:
                where += f" (row id {verdict.broken_id})"
            raise CommandError(f"Audit trail broken at {where}: {verdict.reason}.")
        self.stdout.write(
            f"Audit trail intact: {verdict.entries} entries; newest hash {verdict.head or '-'}."
        )
