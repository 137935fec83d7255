"""The demo city: spb.yaml is a valid city file of St Petersburg's shape, and `seed_demo` fills it with
accounts, an API key and reports that are placed, routed and worked through the workflow like real ones —
the same for the same seed."""

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from shapely.geometry import Point, shape

from gorod.accounts.models import User
from gorod.city import selectors as city_selectors
from gorod.city.models import Attribute, Category, Department, District, Municipality, Place, RoutingRule
from gorod.city.services import city_import_file, parse_city_file
from gorod.core import clock
from gorod.demo.accounts import DEMO_API_KEY, DEMO_PASSWORD
from gorod.demo.city import SPB_FILE, build_spb
from gorod.demo.reports import staff_work
from gorod.open311.services import api_key_check
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services.bulk import reports_delete_for
from gorod.reports.workflow import TRANSITIONS, Status

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 5, 13, 15, 0, tzinfo=MSK)
ANCHOR = dt.date(2026, 5, 13)
N = 300


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo", "--reports", str(N), "--anchor", ANCHOR.isoformat(), "--no-progress", *args, stdout=out
    )
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Report.objects.order_by("pk").values_list(
            "pk",
            "category__service_code",
            "lat",
            "lon",
            "status",
            "description",
            "address",
            "duplicate_of_id",
        )
    )


# --- the city file ----------------------------------------------------------------------------------
def test_spb_file_is_a_city_of_st_petersburgs_shape():
    city = parse_city_file(SPB_FILE.read_text(encoding="utf-8"), filename=SPB_FILE.name)
    assert city.municipality.slug == "spb" and city.municipality.jurisdiction_id == "spb.gorod.local"
    assert len(city.districts) == 18
    assert {d.name for d in city.districts} >= {"Адмиралтейский", "Центральный", "Кронштадтский", "Курортный"}
    assert all(d.name_en and d.population > 30_000 for d in city.districts)
    assert 5_000_000 < sum(d.population for d in city.districts) < 6_000_000
    polygons = {d.slug: shape(d.boundary) for d in city.districts}
    for geom in polygons.values():
        x0, y0, x1, y1 = geom.bounds
        assert 29.4 <= x0 <= x1 <= 30.75 and 59.6 <= y0 <= y1 <= 60.25
    slugs = sorted(polygons)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            assert polygons[a].intersection(polygons[b]).area < 1e-9, (a, b)
    # Landmarks fall in their real districts.
    for lat, lon, slug in [
        (59.9390, 30.3158, "tsentralny"),
        (59.9500, 30.3170, "petrogradsky"),
        (59.9920, 29.7775, "kronshtadtsky"),
        (59.7160, 30.3960, "pushkinsky"),
        (59.8000, 30.2650, "moskovsky"),
        (59.9440, 30.3050, "vasileostrovsky"),
    ]:
        assert polygons[slug].contains(Point(lon, lat)), slug
    assert len(city.departments) >= 15 and len(city.object_types) == 8
    assert len(city.categories) >= 40 and len(city.places) >= 60
    assert {a.datatype for c in city.categories for a in c.attributes} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    seasonal = {c.service_code: c.season for c in city.categories if c.season}
    assert seasonal["road-graffiti"].start == "04-16" and seasonal["road-graffiti"].end == "10-15"
    assert "yard-snow" in seasonal and "roof-icicles" in seasonal
    assert all(c.moderation_days == 1 and 2 <= c.deadline_days <= 19 for c in city.categories)
    assert any(c.photo_proof_required for c in city.categories) and any(
        c.anonymous_allowed for c in city.categories
    )
    holidays = set(city.calendar.holidays)
    for year in (2025, 2026, 2027):
        assert {
            dt.date(year, 1, 1),
            dt.date(year, 5, 9),
            dt.date(year, 6, 12),
            dt.date(year, 11, 4),
        } <= holidays
    assert dt.date(2025, 11, 1) in city.calendar.workdays


def test_spb_file_is_what_the_build_script_writes():
    assert SPB_FILE.read_text(encoding="utf-8") == build_spb.render(), (
        "run python -m gorod.demo.city.build_spb"
    )


def test_spb_file_imports_with_each_districts_housing_agency():
    muni = city_import_file(SPB_FILE)
    assert District.objects.filter(municipality=muni).count() == 18
    assert Place.objects.filter(municipality=muni).count() >= 60
    city_selectors.invalidate_caches()
    pothole = Category.objects.get(municipality=muni, service_code="yard-pothole")
    for district in District.objects.filter(municipality=muni):
        assert (
            city_selectors.department_for(category=pothole, district=district).slug == f"zha-{district.slug}"
        )
    road = Category.objects.get(municipality=muni, service_code="road-pothole")
    assert RoutingRule.objects.get(category=road, district=None).department.slug == "gudp-centr"


# --- seed_demo --------------------------------------------------------------------------------------
def test_seed_demo_builds_the_city_accounts_key_and_reports():
    out = seed()
    muni = Municipality.objects.get(slug="spb")
    assert District.objects.filter(municipality=muni).count() == 18
    assert Department.objects.filter(municipality=muni).count() >= 15
    assert Category.objects.filter(municipality=muni).count() >= 40
    assert set(
        Attribute.objects.filter(category__municipality=muni).values_list("datatype", flat=True)
    ) == set(Attribute.Datatype.values)
    assert Category.objects.filter(municipality=muni).exclude(season_start="").count() >= 5

    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == set(User.Role.values)
    assert users["admin"].is_superuser and users["admin"].check_password(DEMO_PASSWORD)
    assert users["executor"].department.slug == "zha-tsentralny" and users["head"].department_id
    assert api_key_check(DEMO_API_KEY) is not None
    assert DEMO_API_KEY in out and DEMO_PASSWORD in out and "citizen" in out

    # The generated history, plus the fresh reports the back office's demo puts in the queues.
    assert Report.objects.filter(municipality=muni).count() == N + len(staff_work.WORK)
    assert Photo.objects.count() >= 3


def test_demo_reports_are_placed_routed_and_worked_like_real_ones():
    seed()
    muni = Municipality.objects.get(slug="spb")
    polygons = {d.pk: shape(d.boundary) for d in District.objects.filter(municipality=muni)}
    districts = {d.pk: d for d in District.objects.filter(municipality=muni)}
    events: dict[int, list[ReportEvent]] = {}
    for event in ReportEvent.objects.order_by("at", "id"):
        events.setdefault(event.report_id, []).append(event)
    first_day = ANCHOR - dt.timedelta(days=730)
    statuses = set()
    fresh_work = {text for _code, text, _fate in staff_work.WORK}  # filed today, for the queues
    mine = Report.objects.filter(municipality=muni)  # the second city's are checked on their own
    for report in mine.select_related("category").exclude(description__in=fresh_work):
        assert polygons[report.district_id].contains(Point(report.lon, report.lat))
        routed = city_selectors.department_for(
            category=report.category, district=districts[report.district_id]
        )
        history = events[report.pk]
        transferred = any(e.action == "transfer" for e in history)
        assert transferred or report.department_id == routed.pk
        local_day = report.created.astimezone(MSK).date()
        assert first_day <= local_day < ANCHOR
        assert report.category.in_season(local_day)
        # The history starts with the filing and each step is allowed by the workflow table.
        assert (history[0].action, history[0].from_status, history[0].to_status) == (
            "submit",
            "",
            "submitted",
        )
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            assert Status(after.from_status) in TRANSITIONS[after.action].sources
            assert after.at >= before.at
        assert history[-1].to_status == report.status
        assert (report.closed_at is not None) == (not Status(report.status).is_open)
        if report.status in (Status.REJECTED, Status.RESOLVED):
            assert report.status_reason
        if report.status == Status.DUPLICATE:
            original = Report.objects.get(pk=report.duplicate_of_id)
            assert original.pk < report.pk and original.category_id == report.category_id
            assert abs(original.lat - report.lat) < 0.001 and abs(original.lon - report.lon) < 0.002
        statuses.add(report.status)
    # Old reports are closed, recent ones still being worked on; some are rejected or duplicates.
    assert {Status.CONFIRMED, Status.RESOLVED, Status.REJECTED} <= statuses
    assert statuses & {Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS}
    recent = mine.filter(created__gte=NOW - dt.timedelta(days=3))
    assert (
        recent.exists()
        and recent.exclude(status__in=[s.value for s in Status if s.is_open]).count() < recent.count()
    )
    english = mine.filter(description__regex=r"^[A-Za-z]").count()
    assert 0.2 * N < english < 0.5 * N
    assert any(r.contact_email.endswith("@example.org") for r in Report.objects.exclude(contact_email=""))


def test_demo_photos_are_clean_jpegs():
    seed()
    photo = Photo.objects.first()
    with photo.image.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
    assert image.format == "JPEG" and not image.getexif()
    assert (photo.width, photo.height) == image.size


def test_the_same_seed_gives_the_same_reports_and_another_seed_others():
    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "7", "--reset")
    assert snapshot() == first
    seed("--seed", "8", "--reset")
    other = snapshot()
    assert [r[0] for r in other] == [r[0] for r in first]  # numbered from 1 again
    assert other != first


def test_a_second_run_refuses_and_if_empty_leaves_the_data_alone():
    seed()
    before = snapshot()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    out = seed("--if-empty")
    assert "leaving it" in out and DEMO_API_KEY in out
    assert snapshot() == before


def test_anchor_in_the_future_is_refused():
    with pytest.raises(CommandError, match="future"):
        call_command(
            "seed_demo", "--reports", "1", "--anchor", "2030-01-01", "--no-progress", stdout=io.StringIO()
        )
    assert not Report.objects.exists() and not Municipality.objects.exists()


def test_demo_accounts_prints_accounts_and_key():
    seed()
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and DEMO_API_KEY in text
    for username in ("citizen", "moderator", "executor", "head", "admin", "auditor"):
        assert username in text


def test_seed_demo_adds_the_second_city_with_its_brand_moderator_and_reports(client, settings):
    out = seed()
    ptz = Municipality.objects.get(slug="petrozavodsk")
    reports = Report.objects.filter(municipality=ptz)
    assert 30 <= reports.count() <= 60
    assert reports.values("status").distinct().count() >= 3  # worked through, not only filed
    polygons = {d.pk: shape(d.boundary) for d in District.objects.filter(municipality=ptz)}
    assert all(polygons[r.district_id].contains(Point(r.lon, r.lat)) for r in reports)
    assert (ptz.brand_primary, ptz.brand_accent) == ("#1d5b3a", "#0f3d26")
    assert ptz.logo.name.startswith("brand/petrozavodsk-") and ptz.logo.read().startswith(b"\x89PNG")
    moderator = User.objects.get(username="moderator-ptz")
    assert moderator.role == User.Role.MODERATOR and moderator.municipality_id == ptz.pk
    assert moderator.check_password(DEMO_PASSWORD) and "moderator-ptz" in out
    assert "petrozavodsk.localhost" in out

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "petrozavodsk.localhost"]
    own = client.get("/", HTTP_HOST="petrozavodsk.localhost").content.decode()
    main = client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    assert 'alt="Петрозаводск"' in own and "#1d5b3a" in own
    assert "Петрозаводск" not in main and "#1d5b3a" not in main


def test_if_empty_gives_a_demo_seeded_before_the_second_city_its_second_city():
    seed()
    reports_delete_for(Municipality.objects.get(slug="petrozavodsk"))  # as seeded before it had any
    before = snapshot()
    out = seed("--if-empty")
    assert "leaving it" in out
    assert Report.objects.filter(municipality__slug="petrozavodsk").count() > 0
    assert [r for r in snapshot() if r in before] == before  # the main city's left as it was
    again = snapshot()
    seed("--if-empty")
    assert snapshot() == again
