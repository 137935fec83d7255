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


def test_a_key_of_one_municipality_cannot_file_in_another(city, client, capsys):
    from gorod.city.models import Municipality

    Municipality.objects.create(
        slug="other", name="Другой", jurisdiction_id="other.example", center_lat=0, center_lon=0
    )
    call_command("create_api_key", "other app", "--municipality", "other")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    form = {"api_key": key, "jurisdiction_id": "testgrad.example", "service_code": "litter", "lat": "59.9",
            "long": "30.3", "description": "мусор"}  # fmt: skip
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 403
    assert "jurisdiction_id" in response.json()[0]["description"]


def test_create_api_key_for_an_unknown_municipality_is_refused(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_key", "x", "--municipality", "atlantis")
    assert ApiKey.objects.count() == 0
