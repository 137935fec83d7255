from django.core.management.base import BaseCommand, CommandError

from gorod.city.models import Municipality
from gorod.open311.services import api_key_create


class Command(BaseCommand):
    help = "Create an Open311 API key; the key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--municipality", metavar="SLUG", help="Valid only for this municipality (default: all of them)."
        )

    def handle(self, *args, name: str, municipality: str | None, **options):
        city = None
        if municipality:
            city = Municipality.objects.filter(slug=municipality).first()
            if city is None:
                raise CommandError(f"No municipality with the slug {municipality!r}.")
        api_key, key = api_key_create(name=name, municipality=city)
        self.stderr.write(f"API key for {api_key.name} (stored hashed; this is the only copy):")
        self.stdout.write(key)
