"""`gorod sandbox` (issue 13, item 6): a training municipality made once however often it runs, wiped and
made anew by --reset, with training staff who work in it only; and it refuses what would harm a real city."""

from __future__ import annotations

import re
from io import StringIO

import pytest
import yaml
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from gorod.accounts.models import User
from gorod.city.models import Municipality
from gorod.demo.city import SANDBOX_FILE
from gorod.demo.sandbox import TRAINEES, username
from gorod.reports.models import Report

pytestmark = pytest.mark.django_db
PASSWORD = re.compile(r"^\s+(\S+)\s.*password: (\S+)$", re.M)


def run(*args: str) -> str:
    out = StringIO()
    call_command("sandbox", "--reports", "6", *args, stdout=out)
    return out.getvalue()


def passwords(output: str) -> dict[str, str]:
    return dict(PASSWORD.findall(output))


def test_running_it_twice_leaves_one_sandbox_and_keeps_the_passwords(city):
    first = run()
    second = run()
    (sandbox,) = Municipality.objects.filter(is_sandbox=True)
    assert (sandbox.slug, sandbox.name_en) == ("sandbox", "Training Town")
    assert Report.objects.filter(municipality=sandbox).count() == 6
    assert "6 added now" in first and "none added" in second
    assert "http://sandbox.localhost" in first
    made = passwords(first)
    assert sorted(made) == sorted(username("sandbox", t.role) for t in TRAINEES)
    assert passwords(second) == {} and second.count("password unchanged") == len(TRAINEES)
    for name, password in made.items():  # printed once, and they work
        user = authenticate(username=name, password=password)
        assert user is not None and user.municipality_id == sandbox.pk
        assert not user.is_superuser and not user.is_staff
    executor = User.objects.get(username="sandbox-executor")
    assert executor.department.municipality_id == sandbox.pk
    assert Municipality.objects.filter(is_sandbox=False).get() == city  # the real city is untouched


def test_reset_wipes_the_sandbox_and_makes_it_anew(city, file_report):
    ours = file_report()
    old = passwords(run())
    before = Municipality.objects.get(slug="sandbox")
    output = run("--reset")
    after = Municipality.objects.get(slug="sandbox")
    assert after.pk != before.pk and after.is_sandbox
    assert "Deleted the previous sandbox with its 6 reports" in output
    assert Report.objects.filter(municipality_id=before.pk).count() == 0
    assert Report.objects.filter(municipality=after).count() == 6
    new = passwords(output)
    assert sorted(new) == sorted(old) and all(new[n] != old[n] for n in old)
    assert authenticate(username="sandbox-moderator", password=old["sandbox-moderator"]) is None
    assert Report.objects.filter(pk=ours.pk, municipality=city).exists()  # the real city keeps its own


def test_a_file_that_does_not_say_sandbox_is_refused(city, tmp_path):
    data = yaml.safe_load(SANDBOX_FILE.read_text(encoding="utf-8"))
    del data["municipality"]["sandbox"]
    path = tmp_path / "not-a-sandbox.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="sandbox: true"):
        run("--city-file", str(path))
    assert not Municipality.objects.filter(slug="sandbox").exists()


def test_the_slug_of_a_real_city_is_refused_and_the_city_stays_real(city, tmp_path):
    data = yaml.safe_load(SANDBOX_FILE.read_text(encoding="utf-8"))
    data["municipality"]["slug"] = city.slug
    path = tmp_path / "hijack.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for args in ((), ("--reset",)):
        with pytest.raises(CommandError, match="not a sandbox"):
            run("--city-file", str(path), *args)
    city.refresh_from_db()
    assert not city.is_sandbox and city.name != "Учебный город"


def test_an_account_of_another_city_is_not_taken_over(city):
    User.objects.create_user(username="sandbox-moderator", password="x", role="moderator", municipality=city)
    with pytest.raises(CommandError, match="another municipality"):
        run()
    assert not Municipality.objects.filter(slug="sandbox").exists()  # all or nothing
