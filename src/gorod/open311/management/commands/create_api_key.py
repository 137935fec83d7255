from django.core.management.base import BaseCommand

from gorod.open311.services import api_key_create


class Command(BaseCommand):
    help = "Create an Open311 API key; the key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name: str, **options):
        api_key, key = api_key_create(name=name)
        self.stderr.write(f"API key for {api_key.name} (stored hashed; this is the only copy):")
        self.stdout.write(key)
