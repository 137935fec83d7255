"""reports.services.moderation: the staff writes behind the back office, called directly."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from gorod.city.models import Category, Department, District, RejectionReason, ResponseTemplate
from gorod.notifications.models import Delivery
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services import (
    ReportConflict,
    ReportInvalid,
    ReportNotFound,
    compute_deadlines,
    moderation,
)
from gorod.reports.workflow import Status
from tests.backoffice.states import bring_to
from tests.conftest import make_jpeg
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db


def events(report, action):
    return list(ReportEvent.objects.filter(report=report, action=action))


# --- accept with corrections ---------------------------------------------------------------------------
def test_accept_with_a_new_place_routes_again_and_keeps_the_original(staff, file_report, frozen_spring):
    report = file_report(category=Category.objects.get(service_code="litter"), attributes={})  # north: yards
    assert report.department.slug == "yards"
    moderation.report_accept(
        report=report,
        actor=staff["moderator"],
        corrections=moderation.Corrections(lat=59.9, lon=30.3, address="Садовая улица, 3"),
    )
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    assert report.district.slug == "south"
    assert report.department.slug == "south-yards"  # the district's own routing rule
    event = events(report, "accept")[0]
    assert event.changes["lat"] == [60.0, 59.9]
    assert event.changes["district"] == [District.objects.get(slug="north").pk, report.district_id]
    assert event.changes["department"][1] == Department.objects.get(slug="south-yards").pk
    assert event.changes["address"] == ["", "Садовая улица, 3"]
    assert event.department_id == report.department_id


def test_accept_with_a_new_category_brings_its_deadline_and_department(staff, file_report, frozen_spring):
    report = file_report()
    litter = Category.objects.get(service_code="litter")
    moderation.report_accept(
        report=report,
        actor=staff["moderator"],
        corrections=moderation.Corrections(category=litter, description="  Мусор у дома 5 "),
    )
    report.refresh_from_db()
    assert report.category == litter and report.department.slug == "yards"
    assert (
        report.deadline
        == compute_deadlines(category=litter, municipality=report.municipality, at=report.created).deadline
    )
    changes = events(report, "accept")[0].changes
    assert changes["description"] == ["Глубокая яма у дома 5", "Мусор у дома 5"]
    assert changes["category"][1] == litter.pk and "deadline" in changes


@pytest.mark.parametrize(
    "fix",
    [
        moderation.Corrections(lat=55.75, lon=37.61),  # Moscow: outside the city
        moderation.Corrections(lat=95.0, lon=30.3),
        moderation.Corrections(lat=60.0),
        moderation.Corrections(description="   "),
        moderation.Corrections(description="x" * 4001),
        moderation.Corrections(description="a\x00b"),
        moderation.Corrections(address="y" * 301),
    ],
)
def test_bad_corrections_are_refused_and_nothing_changes(fix, staff, file_report, frozen_spring):
    report = file_report()
    with pytest.raises(ReportInvalid):
        moderation.report_accept(report=report, actor=staff["moderator"], corrections=fix)
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.lat, fresh.description, fresh.address) == (
        Status.SUBMITTED, report.lat, report.description, report.address,
    )  # fmt: skip
    assert not events(report, "accept")


def test_a_category_of_another_city_is_refused(staff, file_report, frozen_spring, tmp_path):
    from gorod.city.services import city_import_file
    from tests.conftest import DATA

    text = (DATA / "test_city.yaml").read_text().replace("slug: testgrad", "slug: othergrad")
    text = text.replace("testgrad.example", "other.example")
    (tmp_path / "other.yaml").write_text(text)
    other = city_import_file(tmp_path / "other.yaml")
    report = file_report()
    foreign = Category.objects.get(municipality=other, service_code="litter")
    with pytest.raises(ReportInvalid):
        moderation.report_accept(
            report=report, actor=staff["moderator"], corrections=moderation.Corrections(category=foreign)
        )


def test_executor_may_not_accept_nor_correct(staff, file_report, frozen_spring):
    report = file_report()
    with pytest.raises(PermissionDenied):
        moderation.report_accept(report=report, actor=staff["executor"])
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


# --- reject, duplicate ------------------------------------------------------------------------------------
def test_reject_tells_the_reason_and_the_text(staff, file_report, frozen_spring):
    report = file_report()
    reason = RejectionReason.objects.get(code="not-city")
    moderation.report_reject(report=report, actor=staff["moderator"], reason=reason, text="Это двор ТСЖ.")
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert report.status_reason == "Территория не относится к городу\n\nЭто двор ТСЖ."
    assert events(report, "reject")[0].changes == {"rejection_reason": ["", "not-city"]}


def test_reject_without_a_reason_from_the_list_is_refused(staff, file_report, frozen_spring):
    report = file_report()
    with pytest.raises(ReportInvalid):
        moderation.report_reject(report=report, actor=staff["moderator"], reason=None, text="Просто так")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_duplicate_points_at_the_original_with_a_default_note(staff, file_report, frozen_spring):
    original = file_report()
    report = file_report()
    moderation.report_mark_duplicate(report=report, actor=staff["moderator"], original=original)
    report.refresh_from_db()
    assert report.status == Status.DUPLICATE and report.duplicate_of == original
    assert str(original.pk) in events(report, "mark_duplicate")[0].public_note
    with pytest.raises(ReportNotFound):
        moderation.report_mark_duplicate(report=file_report(), actor=staff["moderator"], original=None)


# --- hiding personal data ---------------------------------------------------------------------------------
def test_hiding_personal_data_keeps_the_original_only_in_the_private_history(
    staff, file_report, frozen_spring, client
):
    report = file_report(show_name=True, description="Яма. Звоните Ивану: +7 900 000-00-00")
    moderation.report_hide_personal_data(
        report=report, actor=staff["moderator"], hide_name=True, description="Яма. [телефон скрыт]"
    )
    report.refresh_from_db()
    assert report.show_name is False and report.public_name == ""
    event = events(report, "hide_personal_data")[0]
    assert event.public_note == "" and event.changes["description"][0].endswith("000-00-00")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "000-00-00" not in page and "Иван Петров" not in page
    with pytest.raises(ReportInvalid):  # nothing left to change
        moderation.report_hide_personal_data(report=report, actor=staff["moderator"], hide_name=True)


def test_hiding_a_photo_is_recorded_and_reversible(staff, file_report, frozen_spring):
    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()
    moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    assert Photo.objects.get(pk=photo.pk).hidden
    with pytest.raises(ReportConflict):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=False)
    assert [e.action for e in ReportEvent.objects.filter(report=report)][-2:] == ["hide_photo", "show_photo"]
    with pytest.raises(PermissionDenied):
        moderation.photo_set_hidden(photo=photo, actor=staff["executor"], hidden=True)


# --- department work --------------------------------------------------------------------------------------
def test_assign_only_to_staff_of_the_report_department(staff, file_report, frozen_spring):
    report = bring_to(file_report(), "accepted")
    with pytest.raises(ReportInvalid):
        moderation.report_assign(report=report, actor=staff["head"], assignee=staff["other_executor"])
    with pytest.raises(ReportInvalid):
        moderation.report_assign(report=report, actor=staff["head"], assignee=staff["moderator"])
    with pytest.raises(PermissionDenied):
        moderation.report_assign(report=report, actor=staff["executor"], assignee=staff["executor"])
    moderation.report_assign(report=report, actor=staff["head"], assignee=staff["executor"])
    assert Report.objects.get(pk=report.pk).assignee == staff["executor"]
    assert events(report, "assign")[0].changes == {"assignee": [None, staff["executor"].pk]}


def test_resolving_needs_a_proof_photo_where_the_category_asks(staff, file_report, frozen_spring):
    report = bring_to(file_report(), "in_progress")  # pothole: photo proof required
    with pytest.raises(ReportInvalid):
        moderation.report_act(report=report, actor=staff["executor"], action="resolve", public_note="Готово")
    with pytest.raises(ReportInvalid):
        moderation.report_act(
            report=report,
            actor=staff["executor"],
            action="resolve",
            public_note="Готово",
            proof_photos=[b"nope"],
        )
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    moderation.report_act(
        report=report,
        actor=staff["executor"],
        action="resolve",
        public_note="Готово",
        proof_photos=[make_jpeg(exif_gps=True)],
    )
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.confirm_due is not None
    proof = report.photos.get(kind=Photo.Kind.PROOF)
    assert b"PhoneMaker" not in proof.image.read()  # cleaned like a citizen's photo


def test_transfer_needs_a_reason_and_clears_the_assignee(staff, file_report, frozen_spring):
    report = bring_to(file_report(), "accepted")
    moderation.report_assign(report=report, actor=staff["head"], assignee=staff["executor"])
    yards = Department.objects.get(slug="yards")
    with pytest.raises(ReportInvalid):  # the workflow asks for a public reason
        moderation.report_act(report=report, actor=staff["executor"], action="transfer", department=yards)
    moderation.report_act(
        report=report,
        actor=staff["executor"],
        action="transfer",
        department=yards,
        public_note="Двор, не дорога",
    )
    report.refresh_from_db()
    assert report.department == yards and report.assignee is None


# --- answer moderation --------------------------------------------------------------------------------------
def _litter_resolved_pending(staff, file_report):
    report = bring_to(
        file_report(category=Category.objects.get(service_code="litter"), attributes={}), "in_progress"
    )
    moderation.report_act(
        report=report, actor=staff["other_executor"], action="resolve", public_note="Убрано"
    )
    return Report.objects.get(pk=report.pk)


def test_an_answer_in_a_moderated_category_waits_and_is_not_public(staff, file_report, frozen_spring, client):
    report = _litter_resolved_pending(staff, file_report)
    assert report.status == Status.RESOLVED
    assert report.status_reason == ""  # not the public reason until published
    event = ReportEvent.objects.get(report=report, action="resolve")
    assert event.note_state == ReportEvent.NoteState.PENDING


def test_publishing_an_edited_answer_keeps_the_original_and_tells_the_citizen(
    staff, file_report, frozen_spring
):
    report = _litter_resolved_pending(staff, file_report)
    event = ReportEvent.objects.get(report=report, action="resolve")
    fan_out()
    assert not Delivery.objects.filter(event=event, kind="author").exists()  # held: nobody told yet
    with pytest.raises(PermissionDenied):
        moderation.answer_publish(event=event, actor=staff["other_executor"])
    moderation.answer_publish(event=event, actor=staff["moderator"], text="Мусор вывезен 13 мая.")
    event.refresh_from_db()
    assert (event.note_state, event.public_note) == ("published", "Мусор вывезен 13 мая.")
    assert Report.objects.get(pk=report.pk).status_reason == "Мусор вывезен 13 мая."
    published = events(report, "publish_answer")[0]
    assert published.changes == {"public_note": ["Убрано", "Мусор вывезен 13 мая."]}
    assert published.published_event_id == event.pk
    fan_out()
    told = Delivery.objects.get(event=event, kind="author")
    assert "Мусор вывезен 13 мая." in json.loads(told.payload)["body"]
    with pytest.raises(ReportConflict):  # published once
        moderation.answer_publish(event=event, actor=staff["moderator"])


def test_a_sent_back_answer_can_be_rewritten_and_waits_again(staff, file_report, frozen_spring):
    report = _litter_resolved_pending(staff, file_report)
    event = ReportEvent.objects.get(report=report, action="resolve")
    with pytest.raises(ReportInvalid):
        moderation.answer_send_back(event=event, actor=staff["moderator"], reason="  ")
    moderation.answer_send_back(event=event, actor=staff["moderator"], reason="Нет фото и адреса")
    assert ReportEvent.objects.get(pk=event.pk).note_state == ReportEvent.NoteState.WITHDRAWN
    assert events(report, "return_answer")[0].private_note == "Нет фото и адреса"
    assert moderation.returned_answer(report) is not None
    with pytest.raises(ReportInvalid):
        moderation.answer_resubmit(report=report, actor=staff["other_executor"], text="")
    again = moderation.answer_resubmit(report=report, actor=staff["other_executor"], text="Убрано у дома 5")
    assert again.note_state == ReportEvent.NoteState.PENDING
    assert moderation.returned_answer(report) is None
    with pytest.raises(ReportConflict):  # nothing is sent back any more
        moderation.answer_resubmit(report=report, actor=staff["other_executor"], text="Ещё раз")


# --- templates ----------------------------------------------------------------------------------------------
def test_templates_fill_known_placeholders_with_plain_text_only(file_report, frozen_spring, city):
    report = file_report(address="<b>Невский</b> {deadline}")
    text = moderation.fill_template(
        "№{id} {category} {address} {department} {deadline} {report.contact_email} {id!r} {0} {{id}}", report
    )
    assert text.startswith(f"№{report.pk} Яма на дороге <b>Невский</b> {{deadline}} Дорожное управление ")
    assert "{report.contact_email} {id!r} {0}" in text  # left as written, never evaluated
    assert "ivan@example.org" not in text
    titles = {t.title for t in moderation.templates_for(report, "resolve")}
    assert titles == {"Яма заделана", "Выполнено"}
    litter_report = file_report(category=Category.objects.get(service_code="litter"), attributes={})
    assert {t.title for t in moderation.templates_for(litter_report, "resolve")} == {"Выполнено"}
    assert ResponseTemplate.objects.count() == 3
