from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting.priorities.export import pabulib_text
from gorod.budgeting.priorities.models import Game


class Command(BaseCommand):
    help = "Write a priorities game's plays as a cumulative Pabulib ballot file (to stdout or --output)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, slug: str, output: str | None, **options):
        game = Game.objects.select_related("municipality").filter(slug=slug).first()
        if game is None:
            known = ", ".join(Game.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No game "{slug}". Games: {known}.')
        text = pabulib_text(game)
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="\n") as out:
                    out.write(text)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc}") from None
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
