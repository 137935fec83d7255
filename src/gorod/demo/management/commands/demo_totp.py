from django.core.management.base import BaseCommand, CommandError

from gorod.demo.accounts import NotADemoAccount, demo_totp_code


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code of a demo staff account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        try:
            code = demo_totp_code(options["username"])
        except NotADemoAccount:
            raise CommandError(
                "Not a demo staff account with the demo key: this command only works for the accounts "
                "printed by `gorod demo_accounts`."
            ) from None
        self.stdout.write(code)
