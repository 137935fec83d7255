import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path, reverse

from gorod.core import clock
from gorod.reports.models import Photo, Report
from gorod.reports.services import report_transition
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert(1)</script> " onerror=alert(2) x'


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ru(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


def form_data(categories, **overrides):
    data = {
        "category": str(categories["pothole"].pk),
        "lat": "60.0",
        "lon": "30.3",
        "address": "",
        "description": "Глубокая яма у дома 5",
        "attribute[depth]": "12",
        "name": "Иван Петров",
        "email": "ivan@example.org",
        "phone": "+7 900 000-00-00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assert_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '" onerror=' not in html
    assert "&quot; onerror=alert(2)" in html


# --- every page in both languages ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["home", "reports-list", "report-new"])
def test_pages_render_in_russian_and_english(client, settings, city, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    ru_page = client.get(reverse(name))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en_page = client.get(reverse(name))
    assert ru_page.status_code == en_page.status_code == 200
    assert '<html lang="ru">' in ru_page.text and "Сообщить о проблеме" in ru_page.text
    assert '<html lang="en">' in en_page.text and "Report a problem" in en_page.text
    # The switch offers the other language, through Django's set_language view.
    assert 'action="/i18n/setlang/"' in ru_page.text and 'value="en"' in ru_page.text
    assert 'value="ru"' in en_page.text


def test_report_page_renders_in_russian_and_english(client, settings, frozen_spring, file_report):
    report = file_report()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    ru_page = client.get(reverse("report-detail", args=[report.pk])).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en_page = client.get(reverse("report-detail", args=[report.pk])).text
    assert "Яма на дороге" in ru_page and "Дорожное управление" in ru_page and "Ожидает модерации" in ru_page
    assert "Pothole" in en_page and "Roads Department" in en_page and "Awaiting moderation" in en_page


def test_language_switch_posts_to_set_language_and_sticks(client, city):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert '<html lang="en">' in client.get("/reports/").text


def test_site_without_a_city_explains_how_to_load_one(client, db):
    response = client.get("/")
    assert response.status_code == 404
    assert "seed_demo" in response.text and "import_city" in response.text


# --- home -------------------------------------------------------------------------------------
def test_home_shows_counts_recent_reports_and_feed_links(en, frozen_spring, file_report):
    first = file_report()
    file_report(description="Вторая яма")
    report_transition(report=first, action="accept")
    html = en.get("/").text
    assert re.search(r"Reports in total</dt><dd>2<", html)
    assert f'href="/reports/{first.pk}/"' in html
    assert "North" in html and "Pothole" in html
    assert 'type="application/rss+xml"' in html and 'href="/feeds/rss/"' in html
    assert 'hx-get="/counts/"' in html and 'hx-trigger="every 30s"' in html


def test_home_query_count_does_not_grow_with_reports(
    en, frozen_spring, file_report, django_assert_num_queries
):
    for i in range(12):
        file_report(description=f"Яма {i}")
    # municipality, counts, recent reports (with category, district, department joined), and the city
    # projects block (consultations; their phases are one more query when there are projects)
    with django_assert_num_queries(4):
        response = en.get("/")
    assert response.status_code == 200


def test_counts_partial_is_a_fragment(en, frozen_spring, file_report):
    file_report()
    response = en.get("/counts/")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.search(r"Reports in total</dt><dd>1<", response.text)


# --- map + list -------------------------------------------------------------------------------
def test_list_filters_by_category_district_status_and_dates(en, categories, file_report):
    with clock.frozen(dt.datetime(2026, 5, 13, 10, tzinfo=ZoneInfo("Europe/Moscow"))):
        pothole_north = file_report(description="north pothole")
        litter_south = file_report(
            category=categories["litter"], lat=59.9, attributes={}, description="south litter"
        )
    with clock.frozen(dt.datetime(2026, 6, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))):
        june = file_report(description="june pothole")
    report_transition(report=pothole_north, action="accept")
    south = litter_south.district

    def ids(query: str) -> set[int]:
        html = en.get(f"/reports/?{query}").text
        return {int(n) for n in re.findall(r'href="/reports/(\d+)/"', html)}

    assert ids(f"category={categories['litter'].pk}") == {litter_south.pk}
    assert ids(f"district={south.pk}") == {litter_south.pk}
    assert ids("status=accepted") == {pothole_north.pk}
    assert ids("from=2026-06-01") == {june.pk}
    assert ids("to=2026-05-31") == {pothole_north.pk, litter_south.pk}
    assert ids("") == {pothole_north.pk, litter_south.pk, june.pk}


@pytest.mark.parametrize(
    "query",
    [
        "category=abc",
        "category=999999",
        "district=%3Cscript%3E",
        "status=nope",
        "from=2026-13-45",
        "to=tomorrow",
        "page=abc",
        "page=99999",
        "page=-3",
        "page=1e400",
        "category=" + "9" * 60,
        "district=1&district=1&district=1",
    ],
)
def test_bad_filters_never_give_a_500(en, frozen_spring, file_report, query):
    file_report()
    response = en.get(f"/reports/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_bad_filter_values_are_explained(en, city):
    html = en.get("/reports/?category=abc&from=2026-13-45").text
    assert "Some filters could not be used" in html
    assert "There is no category “abc”" in html
    assert "is not a date like 2026-05-13" in html


def test_list_pages_by_25_with_links_that_keep_the_filters(en, frozen_spring, file_report, categories):
    for i in range(30):
        file_report(description=f"Яма {i}")
    pothole = categories["pothole"].pk
    first = en.get(f"/reports/?category={pothole}").text
    assert len(re.findall(r'class="report-row"', first)) == 25
    assert f"?category={pothole}&amp;page=2" in first
    second = en.get(f"/reports/?category={pothole}&page=2").text
    assert len(re.findall(r'class="report-row"', second)) == 5
    # Beyond the last page: the last page, not an error.
    assert len(re.findall(r'class="report-row"', en.get("/reports/?page=99999").text)) == 5


def test_list_answers_htmx_with_the_list_fragment_only(en, frozen_spring, file_report):
    report = file_report()
    response = en.get("/reports/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="filters"' not in response.text
    assert f'href="/reports/{report.pk}/"' in response.text
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    full = en.get("/reports/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in full.text


def test_list_page_has_the_map_filters_and_feed_links(en, city, categories):
    north = city.districts.get(slug="north")
    html = en.get(f"/reports/?district={north.pk}&category={categories['snow'].pk}").text
    assert 'data-map="browse"' in html and "leaflet/leaflet.js" in html and "gorod/js/maps.js" in html
    assert '"clusters": "/reports/map.json"' in html and '"districts": "/reports/districts.geojson"' in html
    # Categories grouped by object type.
    assert re.search(r"<summary>Road.*?Pothole.*?Graffiti on asphalt", html, re.S)
    assert "/feeds/district/north/rss/" in html and "/feeds/category/snow/atom/" in html
    assert f'value="{north.pk}" id="f-district-{north.pk}" checked' in html


def test_list_query_count_is_pinned(en, frozen_spring, file_report, categories, django_assert_num_queries):
    for i in range(30):
        file_report(description=f"Яма {i}", lat=59.9 + (i % 2) * 0.1)
    # municipality, page count, page rows, categories, districts
    with django_assert_num_queries(5):
        assert en.get("/reports/").status_code == 200
    north = Report.objects.first().district
    # + validating the category and district ids
    with django_assert_num_queries(7):
        assert en.get(f"/reports/?category={categories['pothole'].pk}&district={north.pk}").status_code == 200


def test_hostile_text_is_escaped_on_home_and_list(en, frozen_spring, file_report):
    file_report(description=HOSTILE, address=HOSTILE)
    assert_escaped(en.get("/").text)
    assert_escaped(en.get("/reports/").text)


def test_districts_geojson_has_every_boundary(en, city):
    data = en.get("/reports/districts.geojson").json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["slug"] for f in data["features"]} == {"north", "south"}
    assert {f["properties"]["name"] for f in data["features"]} == {"North", "South"}
    assert data["features"][0]["geometry"]["type"] == "Polygon"


# --- report page ------------------------------------------------------------------------------
def test_report_page_shows_department_deadlines_attributes_and_timeline(en, frozen_spring, file_report):
    report = file_report(attributes={"depth": "12", "size": "large", "hazards": ["water", "dark"]})
    report_transition(report=report, action="accept", public_note="Checked on site")
    html = en.get(f"/reports/{report.pk}/").text
    assert "Pothole" in html and "Roads Department" in html and "North" in html
    assert "May 14, 2026" in html  # moderation due
    assert "May 26, 2026" in html  # executor deadline
    assert "Depth in cm" in html and ">12<" in html
    assert "Large" in html and "Water, Dark" in html
    assert "Report received" in html and "Accepted after moderation" in html and "Checked on site" in html
    assert 'data-map="point"' in html
    assert "overdue" not in html.lower()


def test_report_page_says_overdue_when_the_deadline_has_passed(en, file_report):
    with clock.frozen(dt.datetime(2026, 5, 13, 10, tzinfo=ZoneInfo("Europe/Moscow"))):
        report = file_report()
    with clock.frozen(dt.datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/Moscow"))):
        html = en.get(f"/reports/{report.pk}/").text
    assert "Overdue" in html


def test_report_page_shows_photos_as_thumbnails_linking_to_the_image(en, frozen_spring, file_report):
    report = file_report(photos=[make_jpeg()])
    photo = Photo.objects.get(report=report)
    html = en.get(f"/reports/{report.pk}/").text
    assert f'<a href="{photo.image.url}"><img src="{photo.image.url}"' in html


def test_private_notes_and_contact_details_never_reach_the_page(en, frozen_spring, file_report):
    report = file_report(contact_phone="+7 911 222-33-44")
    report_transition(
        report=report, action="accept", public_note="Public words", private_note="SECRET-NOTE-42"
    )
    html = en.get(f"/reports/{report.pk}/").text
    assert "Public words" in html
    assert "SECRET-NOTE-42" not in html
    assert "ivan@example.org" not in html and "222-33-44" not in html
    assert "Иван Петров" not in html  # show_name is off by default


def test_author_name_is_shown_only_when_they_agreed(en, frozen_spring, file_report):
    report = file_report(show_name=True)
    assert "Reported by Иван Петров" in en.get(f"/reports/{report.pk}/").text


def test_hostile_text_is_escaped_on_the_report_page(en, frozen_spring, file_report):
    report = file_report(description=HOSTILE, address=HOSTILE)
    report_transition(report=report, action="accept", public_note=HOSTILE)
    assert_escaped(en.get(f"/reports/{report.pk}/").text)


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_unknown_report_is_a_404_in_the_site_look(en, city, pk):
    response = en.get(f"/reports/{pk}/")
    assert response.status_code == 404
    assert "Page not found" in response.text and 'class="site-header"' in response.text


# --- the report form --------------------------------------------------------------------------
def test_form_shows_the_fields_and_the_privacy_promise(en, city):
    html = en.get("/reports/new/").text
    for field in ("id_lat", "id_lon", "id_address", "id_category", "id_description", "id_name", "id_email"):
        assert f'id="{field}"' in html
        assert f'for="{field}"' in html
    assert 'type="file" id="id_photos" name="photos" accept="image/*" multiple' in html
    assert "never published" in html
    assert 'id="id_show_name" name="show_name" value="on">' in html  # unchecked by default
    assert re.search(r'<optgroup label="Road">.*?Pothole', html, re.S)


def test_form_files_a_report_with_a_photo_and_redirects_to_its_page(en, frozen_spring, categories):
    data = form_data(
        categories, photos=SimpleUploadedFile("my-photo.jpg", make_jpeg(), content_type="image/jpeg")
    )
    response = en.post("/reports/new/", data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.photos.count() == 1
    assert report.attributes == {"depth": 12.0}
    assert report.source == "web"
    page = en.get(response["Location"]).text
    assert "has been sent to Roads Department" in page
    assert "May 26, 2026" in page


def test_form_errors_keep_the_input_and_show_each_message(en, frozen_spring, categories):
    data = form_data(categories, description="", **{"attribute[depth]": "deep", "attribute[lane]": "левая"})
    data["name"] = 'Пётр "<b>"'
    response = en.post("/reports/new/", data)
    html = response.text
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Please correct these problems" in html
    assert "Describe the problem." in html and '<a href="#id_description">' in html
    assert "Enter a number." in html and '<a href="#attr-depth">' in html
    # What was typed is still there (escaped).
    assert 'value="Пётр &quot;&lt;b&gt;&quot;"' in html
    assert 'name="attribute[lane]" value="левая"' in html
    assert 'value="60.0"' in html
    assert 'aria-invalid="true"' in html


def test_report_outside_the_city_gets_a_clear_message(en, frozen_spring, categories):
    html = en.post("/reports/new/", form_data(categories, lat="55.75", lon="37.62")).text
    assert "This place is outside Testgrad." in html
    assert Report.objects.count() == 0


def test_out_of_season_category_gets_a_clear_message(en, frozen_spring, categories):
    data = form_data(categories, category=str(categories["snow"].pk))
    del data["attribute[depth]"]
    html = en.post("/reports/new/", data).text
    assert "can be reported only between 15.11 and 31.03" in html
    assert Report.objects.count() == 0


def test_unknown_address_and_malformed_coordinates_are_explained(en, frozen_spring, categories):
    html = en.post("/reports/new/", form_data(categories, lat="", lon="", address="Нигде")).text
    assert "We could not find “Нигде”" in html
    html = en.post("/reports/new/", form_data(categories, lat="north", lon="30.3")).text
    assert "Enter a number." in html
    html = en.post("/reports/new/", form_data(categories, lat="60.0", lon="")).text
    assert "Give both latitude and longitude." in html
    assert Report.objects.count() == 0


def test_a_known_address_places_the_report(en, frozen_spring, categories):
    response = en.post("/reports/new/", form_data(categories, lat="", lon="", address="Невский проспект, 28"))
    assert response.status_code == 302
    assert Report.objects.get().address == "Невский проспект, 28"


def test_more_than_three_photos_is_a_form_error(en, frozen_spring, categories):
    photos = [SimpleUploadedFile(f"p{i}.jpg", make_jpeg(), content_type="image/jpeg") for i in range(4)]
    html = en.post("/reports/new/", form_data(categories, photos=photos)).text
    assert "You chose 4 photos; at most 3 can be attached." in html
    assert 'name="held_photo"' in html  # those it could take are kept for the next try
    assert Report.objects.count() == 0


def test_a_photo_over_the_size_limit_is_a_form_error(en, frozen_spring, categories, settings):
    settings.GOROD_PHOTO_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", make_jpeg(size=(800, 800)) + b"\0" * 2000, content_type="image/jpeg")
    response = en.post("/reports/new/", form_data(categories, photos=big))
    assert response.status_code == 200
    assert "Photo 1 is larger than" in response.text
    assert Report.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_a_form_error(en, frozen_spring, categories):
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    html = en.post("/reports/new/", form_data(categories, photos=fake)).text
    assert "This file is not a photo we can read." in html
    assert Report.objects.count() == 0


def test_a_body_django_refuses_gets_the_form_with_a_message_not_a_500(
    en, frozen_spring, categories, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = en.post(
        "/reports/new/", form_data(categories, photos=SimpleUploadedFile("p.jpg", make_jpeg()))
    )
    assert response.status_code == 400
    assert "The form was too large to accept" in response.text
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = en.post(
        "/reports/new/",
        form_data(categories, description="x" * 1000, photos=SimpleUploadedFile("p.jpg", b"1")),
    )
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_the_form_still_checks_csrf(city, categories):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/reports/new/", form_data(categories))
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_attributes_partial_renders_each_datatype(en, categories):
    html = en.get(f"/reports/new/attributes/?category={categories['pothole'].pk}").text
    assert '<input id="attr-depth" name="attribute[depth]" value=""' in html and 'type="number"' in html
    assert re.search(r'id="attr-lane" name="attribute\[lane\]" value=""\s+type="text"', html)
    assert re.search(r'id="attr-noticed" name="attribute\[noticed\]" value=""\s+type="datetime-local"', html)
    assert '<textarea id="attr-details" name="attribute[details]"' in html
    assert (
        '<select id="attr-size" name="attribute[size]"' in html
        and '<option value="large">Large</option>' in html
    )
    assert 'type="checkbox" name="attribute[hazards][]" value="water"' in html
    assert "Ямы и выбоины" in html or "Potholes" in html or "category-hint" in html


def test_anonymous_checkbox_is_offered_only_where_the_category_allows_it(en, categories):
    litter = en.get(f"/reports/new/attributes/?category={categories['litter'].pk}").text
    pothole = en.get(f"/reports/new/attributes/?category={categories['pothole'].pk}").text
    assert 'name="anonymous"' in litter and 'hx-swap-oob="true"' in litter
    assert 'name="anonymous"' not in pothole and 'id="anonymous-field" hx-swap-oob="true"' in pothole
    assert 'name="anonymous"' not in en.get("/reports/new/").text
    assert 'name="anonymous"' in en.get(f"/reports/new/?category={categories['litter'].pk}").text


def test_anonymous_report_from_the_form_hides_the_name(en, frozen_spring, categories):
    data = form_data(categories, category=str(categories["litter"].pk), anonymous="on", show_name="on")
    del data["attribute[depth]"]
    response = en.post("/reports/new/", data)
    report = Report.objects.get()
    assert report.anonymous and report.public_name == ""
    assert "Иван Петров" not in en.get(response["Location"]).text


def test_form_re_shown_with_errors_keeps_the_chosen_category_attributes(en, frozen_spring, categories):
    data = form_data(
        categories, description="", **{"attribute[size]": "large", "attribute[hazards][]": ["dark"]}
    )
    html = en.post("/reports/new/", data).text
    assert '<option value="large" selected>' in html
    assert 'value="dark" id="attr-hazards-2" checked' in html
    assert f'<option value="{categories["pothole"].pk}" selected>' in html


def test_duplicates_partial_lists_only_near_open_reports_of_the_same_category(
    en, frozen_spring, file_report, categories
):
    near = file_report(lat=60.0, lon=30.3)
    far = file_report(lat=60.0009, lon=30.3)  # about 100 m north
    other_kind = file_report(category=categories["litter"], lat=60.0, lon=30.3, attributes={})
    closed = file_report(lat=60.0, lon=30.3001)
    report_transition(report=closed, action="reject", public_note="no")
    html = en.get(f"/reports/new/duplicates/?category={categories['pothole'].pk}&lat=60.0001&lon=30.3").text
    assert f'href="/reports/{near.pk}/"' in html and "instead" in html
    for absent in (far, other_kind, closed):
        assert f'href="/reports/{absent.pk}/"' not in html


@pytest.mark.parametrize(
    "query", ["", "category=abc&lat=x&lon=y", "category=1&lat=nan&lon=inf", "lat=60&lon=30.3"]
)
def test_duplicates_partial_with_bad_input_is_empty_not_an_error(en, city, query):
    response = en.get(f"/reports/new/duplicates/?{query}")
    assert response.status_code == 200
    assert "instead" not in response.text


@pytest.mark.parametrize(
    "overrides",
    [
        {"category": "abc"},
        {"category": "999999"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "1e999", "lon": "30.3"},
        {"lat": "91", "lon": "30.3"},
        {"email": "not-an-email"},
        {"attribute[hazards][]": ["zzz"], "attribute[size]": "<b>"},
        {"attribute[noticed]": "yesterday"},
        {"description": "x" * 5000},
        {"name": "n" * 300, "phone": "7" * 100},
        {"anonymous": "on"},
        {"address": "a" * 400, "lat": "", "lon": ""},
    ],
)
def test_bad_form_input_is_answered_with_the_form_never_a_500(en, frozen_spring, categories, overrides):
    response = en.post("/reports/new/", form_data(categories, **overrides))
    assert response.status_code == 200
    assert "Please correct these problems" in response.text
    assert "<b>" not in response.text.split("<main", 1)[1]
    assert Report.objects.count() == 0


@pytest.mark.parametrize("name", ["500.html", "400.html", "403_csrf.html"])
def test_error_pages_render_without_a_request(name):
    # Django renders these with an empty context when things have already gone wrong.
    from django.template import loader

    html = loader.get_template(name).render()
    assert 'class="site-header"' in html and "gorod/css/site.css" in html


def _boom(request):
    raise RuntimeError("boom")


# Used by the test below through @pytest.mark.urls: a view that fails.
urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.reports.test_views")
def test_server_error_page_is_in_the_site_look(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert 'class="site-header"' in response.text and "Что-то пошло не так" in response.text


# --- what the public report page leaves out ---------------------------------------------------------
def test_pending_answers_and_hidden_photos_stay_off_the_public_page(en, frozen_spring, file_report):
    from gorod.reports.models import ReportEvent

    report = file_report(photos=[make_jpeg(), make_jpeg(color=(0, 200, 0))])
    report_transition(report=report, action="accept")
    report_transition(
        report=report, action="resolve", public_note="HELD-ANSWER-7", note_state=ReportEvent.NoteState.PENDING
    )
    hidden, shown = Photo.objects.filter(report=report).order_by("id")
    Photo.objects.filter(pk=hidden.pk).update(hidden=True, private=True)
    Photo.objects.filter(pk=shown.pk).update(kind=Photo.Kind.PROOF)
    Report.objects.filter(pk=report.pk).update(status_reason="")  # as answer moderation leaves it
    html = en.get(f"/reports/{report.pk}/").text
    assert "HELD-ANSWER-7" not in html
    assert hidden.image.url not in html
    assert shown.image.url in html and "Photos of the fix" in html
    for url in ("/reports/", "/feeds/rss/", "/feeds/atom/", "/"):
        assert "HELD-ANSWER-7" not in en.get(url).content.decode()


def test_the_report_page_offers_following(en, frozen_spring, file_report):
    report = file_report()
    assert "Follow this report" in en.get(f"/reports/{report.pk}/").text
