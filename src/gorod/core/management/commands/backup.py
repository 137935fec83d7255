from django.core.management.base import BaseCommand, CommandError

from gorod.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) holding the database (SQLite online backup, or pg_dump -Fc) and the "
        "media tree, with each table's row count. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. /var/backups/gorod-2026-12-07.tar.gz")
        parser.add_argument("--force", action="store_true", help="Replace the file if it exists.")

    def handle(self, *args, file: str, force: bool, **options):
        try:
            backup.backup(file, force=force, log=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
