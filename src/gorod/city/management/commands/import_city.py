from django.core.management.base import BaseCommand, CommandError

from gorod.city.services import CityFileInvalid, city_import_file


class Command(BaseCommand):
    help = "Load or update a city from a YAML or JSON configuration file (see docs/city-config.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            muni = city_import_file(file)
        except CityFileInvalid as exc:
            raise CommandError(f"Refused, nothing imported:\n{exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {muni.name} (jurisdiction_id {muni.jurisdiction_id}): "
                f"{muni.districts.count()} districts, {muni.departments.count()} departments, "
                f"{muni.categories.filter(active=True).count()} categories."
            )
        )
