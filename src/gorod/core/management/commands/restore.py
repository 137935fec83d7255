from django.core.management.base import BaseCommand, CommandError

from gorod.core import backup


class Command(BaseCommand):
    help = (
        "Replace the database and the media tree by those of an archive written by `gorod backup`, then "
        "check every table's row count. Stop the app servers and the worker first. Refuses a database "
        "that holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An archive written by `gorod backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Restore even over a database that holds data (it is lost)."
        )

    def handle(self, *args, file: str, force: bool, **options):
        try:
            backup.restore(file, force=force, log=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
