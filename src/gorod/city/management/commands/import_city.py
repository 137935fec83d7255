from django.core.management.base import BaseCommand, CommandError

from gorod.city.services import CityFileInvalid, city_import, read_city_file


class Command(BaseCommand):
    help = "Load or update a city from a YAML or JSON configuration file (see docs/city-config.md)."
    # The checks would refuse to start while GOROD_DEFAULT_MUNICIPALITY names a city not imported yet:
    # importing it is how that is put right.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            city = read_city_file(file)
            for warning in city.warnings:
                self.stderr.write(self.style.WARNING(warning))
            muni = city_import(city)
        except CityFileInvalid as exc:
            raise CommandError(f"Refused, nothing imported:\n{exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {muni.name} (jurisdiction_id {muni.jurisdiction_id}): "
                f"{muni.districts.count()} districts, {muni.departments.count()} departments, "
                f"{muni.categories.filter(active=True).count()} categories."
            )
        )
