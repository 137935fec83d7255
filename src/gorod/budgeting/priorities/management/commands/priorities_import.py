from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting.priorities.schema import GameFileInvalid
from gorod.budgeting.priorities.services import game_import_file


class Command(BaseCommand):
    help = "Load or update a budget-priorities game from a YAML or JSON file (see docs/priorities.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            game = game_import_file(file)
        except GameFileInvalid as exc:
            raise CommandError(f"Refused, nothing imported:\n{exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f'Imported game "{game.slug}" ({game.title}): {game.areas.count()} areas, '
                f"{game.actions.count()} actions, {game.priorities.count()} priorities, {game.coins} coins."
            )
        )
