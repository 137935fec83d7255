"""Open data (/data/): every dataset is dumped from the test city — with names, e-mails and phones in
contact fields and descriptions, anonymous reports at exact points — and searched for anything personal."""

from __future__ import annotations

import csv
import io
import json
import re

import geojson
import h3
import pytest

from gorod.accounts.models import User
from gorod.analytics.opendata import files
from gorod.analytics.opendata.generate import generate, generate_all, read_manifest
from gorod.budgeting.models import Ballot
from gorod.budgeting.services import results_publish
from gorod.core import geo
from gorod.reports.services import report_create, report_transition
from tests.budgeting.conftest import districts, make_process, on_ballot  # noqa: F401  (fixtures)
from tests.consultations.conftest import admin_user, make_project  # noqa: F401  (fixtures)
from tests.consultations.survey_helpers import answers, make_survey

NAMES = ("Иван", "Петров", "Мария", "Сидорова", "Smith", "ivan-user", "Ольга", "Кузнецова", "olga-resident")
EMAILS = ("ivan@example.org", "maria@example.com", "olga@example.net")
PHONES = ("+7 921 555-12-34", "79215551234", "555-12-34", "911 222", "2223344", "812 333-44-55")
# Written by residents in consultations: comments, free-text answers and contributions never published.
CONSULT_SECRETS = ("Секретный", "Невидимка", "Ждущий", "Скрытый", "Черновик")
SURVEY_POINT = (59.98321, 30.26789)
ANON_POINT = (59.987654, 30.312345)  # north district
TEXT_WITH_PII = "Звоните Марии Сидоровой: +7 911 222-33-44, maria@example.com — Smith"


@pytest.fixture
def open_data_dir(settings):
    return settings.GOROD_OPEN_DATA_DIR  # each test's own (tests/conftest.py)


@pytest.fixture
def reports(city, new_report, categories):
    author = User.objects.create_user(username="ivan-user", password="x-Long-enough-42", first_name="Иван")
    made = {}
    made["named"] = report_create(
        municipality=city,
        data=new_report(contact_phone="+7 921 555-12-34", description=TEXT_WITH_PII, show_name=True),
        author=author,
    )
    made["anonymous"] = report_create(
        municipality=city,
        data=new_report(
            category=categories["litter"], attributes={}, lat=ANON_POINT[0], lon=ANON_POINT[1],
            anonymous=True, contact_name="", contact_email="", description=TEXT_WITH_PII,
        ),
    )  # fmt: skip
    made["unmoderated_anonymous"] = report_create(
        municipality=city,
        data=new_report(category=categories["litter"], attributes={}, lat=60.01, lon=30.33, anonymous=True,
                        contact_name="", contact_email=""),
    )  # fmt: skip
    made["rejected"] = report_create(municipality=city, data=new_report(lat=59.99, lon=30.25))
    report_transition(report=made["anonymous"], action="accept")
    report_transition(report=made["rejected"], action="reject", public_note="Не по адресу")
    made["formula"] = report_create(municipality=city, data=new_report(lat=59.97, lon=30.35))
    report_transition(report=made["formula"], action="accept")
    # Filed without an account and not yet moderated: kept out of open data whatever the city's setting.
    made["unmoderated_no_account"] = report_create(municipality=city, data=new_report(lat=59.98, lon=30.36))
    return made


@pytest.fixture
def closed_process(make_process, on_ballot):  # noqa: F811
    process = make_process(phase="results", budgets=[(None, 1000)], slug="pb-closed")
    on_ballot(process, [("1", 400, None), ("2", 300, None), ("3", 500, None)])
    Ballot.objects.bulk_create([Ballot(process=process, choices=c) for c in (["1"], ["1", "2"], ["3"])])
    results_publish(process=process)
    return process


@pytest.fixture
def consultation(city, make_project, admin_user):  # noqa: F811
    """A published project with map feedback (visible, paper, hidden), a pre-moderated Q&A (one question
    published, one awaiting) and a survey with a free-text and a map-point answer; and an unpublished
    project with a contribution. Residents' texts hold names, e-mails and phones."""
    from gorod.consultations import contributions
    from gorod.consultations.map_feedback import services as map_services
    from gorod.consultations.questions.services import question_ask
    from gorod.consultations.services import module_add
    from gorod.consultations.surveys.services import response_submit

    resident = User.objects.create_user(
        username="olga-resident", password="x-Long-enough-42", first_name="Ольга", last_name="Кузнецова",
        email="olga@example.net",
    )  # fmt: skip
    pii = "Ольга Кузнецова, olga@example.net, +7 812 333-44-55"
    project = make_project(slug="park-2026", title="Парк у реки", premoderated=True)
    phase = project.phases.get()
    board = module_add(phase=phase, kind="map_feedback", title="Карта парка")
    map_services.settings_set(
        module=board, staff=admin_user, questions_text="Что не так?", tags_text="освещение"
    )
    made = {"project": project}
    made["visible"] = map_services.contribution_add(
        module=board, user=resident, sentiment=2, lat=59.985, lon=30.26, tags=["освещение"],
        comment=f"Секретный комментарий: {pii}", answers={"q1": f"Секретный ответ {pii}"},
    )  # fmt: skip
    # The project is pre-moderated: a resident's pin waits for a moderator like a question does.
    contributions.show(item=made["visible"], actor=admin_user)
    made["paper"] = map_services.paper_response_add(
        module=board, staff=admin_user, sentiment=5, lat=59.986, lon=30.262, comment=pii
    )
    made["hidden"] = map_services.contribution_add(
        module=board, user=resident, sentiment=1, lat=59.9871, lon=30.2634, comment=f"Скрытый {pii}"
    )
    map_services.hide(contribution=made["hidden"], staff=admin_user, reason="Невидимка: личные данные")
    qa = module_add(phase=phase, kind="questions", title="Вопросы")
    published = question_ask(module=qa, user=resident, text="Когда откроют парк у реки?")
    contributions.show(item=published, actor=admin_user)
    made["awaiting"] = question_ask(module=qa, user=resident, text=f"Ждущий вопрос {pii}")
    survey, q = make_survey(phase, admin_user)
    response_submit(
        module=survey, user=resident,
        answers=answers(q, text=f"Секретный текст {pii}", point=(str(SURVEY_POINT[0]), str(SURVEY_POINT[1]))),
    )  # fmt: skip
    response_submit(module=survey, user=admin_user, answers=answers(q, single="2", scale="5"))
    made["survey"], made["questions"] = survey, q
    draft = make_project(slug="draft-plan", title="Черновик плана", published=False)
    hidden_board = module_add(phase=draft.phases.get(), kind="map_feedback", title="Черновик карты")
    map_services.paper_response_add(module=hidden_board, staff=admin_user, sentiment=3, lat=59.985, lon=30.26)
    return made


def dump(directory) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.rglob("*")) if p.is_file()}


def test_no_personal_data_or_exact_anonymous_point_in_any_dataset(
    open_data_dir, reports, closed_process, consultation
):
    generate_all()
    dumped = dump(open_data_dir)
    assert {"reports.csv", "reports.geojson", "performance.csv", "performance.json", "pb-results.csv",
            "pb-results.json", "pb-ballots-pb-closed-city.pb", "manifest.json", "consultations-projects.csv",
            "consultations-projects.json", "consultations-map-feedback.geojson",
            "consultations-surveys.csv"} <= set(dumped)  # fmt: skip
    everything = "\n".join(dumped.values())
    # The seeded consultation data is there (so the searches below are not vacuous)…
    assert "park-2026" in everything and "How often do you come?" in everything
    # …without residents' texts, hidden or awaiting contributions, unpublished projects or survey points.
    for needle in NAMES + EMAILS + PHONES + CONSULT_SECRETS + ("@example", "Глубокая яма", "draft-plan"):
        assert needle.lower() not in everything.lower(), needle
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything)  # no e-mail address at all
    # The anonymous report's point is nowhere, in any spelling, and its place is its cell's centre.
    lat, lon = ANON_POINT
    for spelled in (str(lat), str(lon), f"{lat:.5f}", f"{lon:.5f}", f"{lat:.4f}", f"{lon:.4f}"):
        assert spelled not in everything, spelled
    for spelled in (*map(str, SURVEY_POINT), "59.9871", "30.2634"):  # a survey point, a hidden contribution
        assert spelled not in everything, spelled
    anonymous = reports["anonymous"]
    feature = next(f for f in geojson.loads(dumped["reports.geojson"])["features"] if f["id"] == anonymous.pk)
    lon_out, lat_out = feature["geometry"]["coordinates"]
    centre = h3.cell_to_latlng(h3.cell_to_parent(h3.latlng_to_cell(lat, lon, 10), 9))
    assert (lat_out, lon_out) == pytest.approx(centre, abs=1e-6)
    assert geo.haversine_m(lat, lon, lat_out, lon_out) > 1
    assert feature["properties"]["location_precision"] == "h3-9"


def test_hidden_and_rejected_reports_are_absent(open_data_dir, reports):
    generate_all()
    ids = {
        int(row["id"])
        for row in csv.DictReader(io.StringIO((open_data_dir / "testgrad/reports.csv").read_text()))
    }
    assert ids == {reports["named"].pk, reports["anonymous"].pk, reports["formula"].pk}


def test_every_geojson_validates_every_csv_parses_every_json_loads(
    open_data_dir, reports, closed_process, consultation
):
    manifest = generate_all() and read_manifest(reports["named"].municipality)
    assert manifest is not None
    for name, entry in manifest["files"].items():
        text = (open_data_dir / "testgrad" / name).read_text(encoding="utf-8")
        if entry["format"] == "geojson":
            collection = geojson.loads(text)
            assert collection.is_valid, collection.errors()
            # three public reports; two visible map contributions (the hidden one and the draft's are out)
            assert len(collection["features"]) == entry["rows"] == (2 if name.startswith("consult") else 3)
            for feature in collection["features"]:
                assert geojson.Feature(**feature).is_valid
        elif entry["format"] == "csv":
            rows = list(csv.reader(io.StringIO(text)))
            assert len(rows) == entry["rows"] + 1 and len({len(r) for r in rows}) == 1
            assert not text.startswith("\ufeff")
        elif entry["format"] == "json":
            assert len(json.loads(text)["rows"]) == entry["rows"]
    results = json.loads((open_data_dir / "testgrad/pb-results.json").read_text())["rows"]
    assert {(r["project_id"], r["votes"]) for r in results} == {("1", 2), ("2", 1), ("3", 1)}
    ballots = (open_data_dir / "testgrad/pb-ballots-pb-closed-city.pb").read_text()
    assert "voter_id;vote" in ballots and "\n1;" in ballots and "\n3;" in ballots
    assert manifest["files"]["pb-ballots-pb-closed-city.pb"]["rows"] == 3  # ballots, not lines


def _csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_consultation_datasets_hold_published_counts_only(open_data_dir, consultation):
    generate_all()
    city_files = open_data_dir / "testgrad"
    (project,) = _csv(city_files / "consultations-projects.csv")
    assert project["project"] == "park-2026" and project["status"] == "active"
    assert project["first_phase_start"] and project["last_phase_end"] >= project["first_phase_start"]
    # Two visible map contributions (not the hidden one), one published question (not the awaiting one).
    assert (project["map_contributions"], project["questions"], project["survey_responses"]) == (
        "2",
        "1",
        "2",
    )
    assert json.loads((city_files / "consultations-projects.json").read_text())["rows"][0]["questions"] == 1

    features = geojson.loads((city_files / "consultations-map-feedback.geojson").read_text())["features"]
    by_id = {f["id"]: f for f in features}
    assert set(by_id) == {consultation["visible"].pk, consultation["paper"].pk}
    visible = by_id[consultation["visible"].pk]["properties"]
    assert visible == {
        "project": "park-2026", "module": consultation["visible"].module_id, "shape": "point", "sentiment": 2,
        "tags": ["освещение"], "agreements": 0, "date": "2026-05-13", "paper": False,
    }  # fmt: skip
    assert by_id[consultation["paper"].pk]["properties"]["paper"] is True

    rows = _csv(city_files / "consultations-surveys.csv")
    assert {r["kind"] for r in rows} == {"single", "multiple", "scale", "ranking"}  # no text, no point
    counts = {(r["question"], r["option"], r["place"]): int(r["count"]) for r in rows}
    assert counts[("How often do you come?", "Daily", "")] == 1
    assert counts[("How often do you come?", "Rarely", "")] == 1
    assert counts[("How often do you come?", "Weekly", "")] == 0
    assert counts[("What do you do there?", "Walk", "")] == 2
    assert counts[("How safe is it?", "4", "")] == counts[("How safe is it?", "5", "")] == 1
    assert counts[("What first?", "Lights", "2")] == 2  # answers(ranking=("2", "1", "3")): Lights second
    assert {r["responses"] for r in rows} == {"2"}


def test_consultation_files_exist_and_are_empty_without_consultations(open_data_dir, city):
    manifest = generate_all() and read_manifest(city)
    assert manifest is not None
    for name in (
        "consultations-projects.csv",
        "consultations-surveys.csv",
        "consultations-map-feedback.geojson",
    ):
        assert manifest["files"][name]["rows"] == 0
    assert geojson.loads((open_data_dir / "testgrad/consultations-map-feedback.geojson").read_text()).is_valid


def test_ballots_of_a_process_still_voting_are_not_published(open_data_dir, city, make_process, on_ballot):  # noqa: F811
    process = make_process(phase="ballot", budgets=[(None, 1000)], slug="pb-open")
    on_ballot(process, [("1", 400, None)])
    Ballot.objects.bulk_create([Ballot(process=process, choices=["1"])])
    generate(city)
    assert not list((open_data_dir / "testgrad").glob("pb-ballots-*"))
    assert json.loads((open_data_dir / "testgrad/pb-results.json").read_text())["rows"] == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path, start):
    text = start + 'HYPERLINK("http://evil")'
    files.write_csv(tmp_path / "x.csv", ["a", "n"], [[text, -5]])
    rows = list(csv.reader(io.StringIO((tmp_path / "x.csv").read_bytes().decode(), newline="")))
    assert rows[1] == ["'" + text, "-5"]


def test_a_category_named_like_a_formula_is_quoted_in_reports_csv(open_data_dir, reports, categories):
    categories["pothole"].name = "=cmd|' /C calc'!A0"
    categories["pothole"].save()
    generate_all()
    text = (open_data_dir / "testgrad/reports.csv").read_text()
    assert "'=cmd" in text and ",=cmd" not in text


def test_regenerating_gives_the_same_files(open_data_dir, reports, closed_process):
    from gorod.analytics.tasks import regenerate_open_data

    regenerate_open_data.call()
    first = {k: v for k, v in dump(open_data_dir).items() if k != "manifest.json"}
    regenerate_open_data.call()
    second = dump(open_data_dir)
    assert {k: v for k, v in second.items() if k != "manifest.json"} == first
    assert not [p for p in open_data_dir.rglob("*.tmp")]


def test_the_job_is_on_the_worker_timetable(settings):
    assert ("gorod.analytics.tasks.regenerate_open_data", 86400) in settings.GOROD_PERIODIC_JOBS


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    files.write_csv(tmp_path / "x.csv", ["a"], [["old"]])

    def broken():
        yield ["new"]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        files.write_csv(tmp_path / "x.csv", ["a"], broken())
    assert (tmp_path / "x.csv").read_bytes() == b"a\r\nold\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_temporary_files_of_a_killed_run_are_removed_later(open_data_dir, city):
    import os

    folder = open_data_dir / "testgrad"
    folder.mkdir(parents=True)
    old, fresh = folder / ".reports.csv.abc.tmp", folder / ".reports.csv.def.tmp"
    old.write_text("half")
    fresh.write_text("being written")
    os.utime(old, (1, 1))
    generate(city)
    assert not old.exists() and fresh.exists()
