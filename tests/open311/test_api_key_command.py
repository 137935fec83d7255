import pytest
from django.core.management import call_command

from gorod.open311.models import ApiKey
from gorod.open311.services import api_key_check

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_the_key_last_and_stores_only_its_hash(capsys):
    call_command("create_api_key", "Городское приложение")
    out = capsys.readouterr().out.strip().splitlines()
    key = out[-1]
    stored = ApiKey.objects.get()
    assert stored.name == "Городское приложение"
    assert key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    assert api_key_check(key) == stored
    assert api_key_check(key + "x") is None and api_key_check("") is None


def test_a_deactivated_key_no_longer_works(capsys):
    call_command("create_api_key", "old")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    ApiKey.objects.update(active=False)
    assert api_key_check(key) is None
