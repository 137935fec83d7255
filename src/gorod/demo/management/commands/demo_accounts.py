from django.core.management.base import BaseCommand

from gorod.demo.accounts import describe


class Command(BaseCommand):
    help = "Print the demo accounts, their password and the demo Open311 API key (see seed_demo)."

    def handle(self, *args, **options):
        for line in describe():
            self.stdout.write(line)
