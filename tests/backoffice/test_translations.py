"""Every back-office page reads in one language: in Russian no English word of the interface shows, in
English no Russian one (issue 9, item 11: photo kinds, history field names and rejection reasons were
left untranslated). The pages are rendered with a report whose history has every kind of line."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from gorod.accounts.models import User
from gorod.city.models import Category, Department, RejectionReason, ResponseTemplate
from gorod.reports.models import Photo
from gorod.reports.services import moderation
from tests.backoffice.states import bring_to
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]+")
CYRILLIC = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё-]*")
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
# Names, the same in every language: the product, standards, browsers and keys.
NAMES = {"Gorod", "TOTP", "Open311", "API", "Firefox", "Mac", "Alt", "Shift", "Control", "Option"}


class _Text(HTMLParser):
    """What a reader sees or hears of the page's main part: text outside scripts and styles, and the
    attributes read aloud."""

    def __init__(self):
        super().__init__()
        self.main = False
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.main |= tag == "main"
        if tag in ("script", "style"):
            self.skip += 1
        a = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if name == "value" and not (tag == "input" and a.get("type") in ("submit", "button")):
                continue
            if self.main and a.get(name):
                self.parts.append(a[name])

    def handle_endtag(self, tag):
        self.main &= tag != "main"
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.main and not self.skip:
            self.parts.append(data)


def _shown(html: str, data: set[str]) -> str:
    """The page's visible text without the words of people and of the data (`data`)."""
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    for item in sorted(filter(None, data), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(item)}(?!\w)", " ", text)
    return text


@pytest.fixture
def everything(staff, city, file_report, frozen_spring):
    """Reports in every state the pages show differently: one with photos of both kinds, answers and a
    history of every kind of line, a rejected one, a new one (the moderation forms), one whose answer
    waits for a moderator; and the words of people and data, which are not the interface's."""
    moderator, head, executor = staff["moderator"], staff["head"], staff["executor"]
    report = file_report(
        photos=[make_jpeg()],
        show_name=True,
        attributes={"depth": "12", "size": "large", "hazards": ["water"]},
    )
    moderation.report_accept(
        report=report,
        actor=moderator,
        corrections=moderation.Corrections(lat=60.01, lon=30.31, address="Садовая, 1", description="Выбоина"),
    )
    moderation.photo_set_hidden(photo=report.photos.get(), actor=moderator, hidden=True)
    moderation.report_hide_personal_data(report=report, actor=moderator, hide_name=True)
    moderation.report_assign(report=report, actor=head, assignee=executor)
    moderation.report_add_note(report=report, actor=head, text="Позвонить")
    for action, note, photos in (("start", "Начали", []), ("resolve", "Сделано", [make_jpeg()])):
        report.refresh_from_db()
        moderation.report_act(
            report=report, actor=executor, action=action, public_note=note, proof_photos=photos
        )
    rejected = file_report(description="Не наше")
    moderation.report_reject(
        report=rejected, actor=moderator, reason=RejectionReason.objects.get(code="not-city")
    )
    held = bring_to(
        file_report(category=Category.objects.get(service_code="litter"), attributes={}), "in_progress"
    )
    moderation.report_act(report=held, actor=staff["other_executor"], action="resolve", public_note="Убрали")
    returned = bring_to(file_report(category=held.category, attributes={}), "in_progress")
    moderation.report_act(
        report=returned, actor=staff["other_executor"], action="resolve", public_note="Убрали"
    )
    moderation.answer_send_back(
        event=returned.events.get(action="resolve"), actor=moderator, reason="Без фото"
    )
    new = file_report(description="Новая выбоина")
    users = User.objects.all()
    words = {
        "Глубокая яма у дома 5", "Выбоина", "Садовая, 1", "Позвонить", "Начали", "Сделано", "Не наше",
        "Убрали", "Без фото", "Новая выбоина", "Иван Петров", "ivan@example.org", "Тестоград", "Testgrad",
        *(f"{u.first_name} {u.last_name}" for u in users), *(u.username for u in users),
        *RejectionReason.objects.values_list("name", flat=True),  # the public note, as told to the author
        *ResponseTemplate.objects.values_list("title", flat=True),  # staff's own names, in one language
        *Department.objects.values_list("email", flat=True),
    }  # fmt: skip
    return {"reports": [report, rejected, held, returned, new], "data": words}


PAGES = (
    "/backoffice/",
    "/backoffice/moderation/",
    "/backoffice/queue/?status=all",
    "/backoffice/deliveries/",
)


@pytest.mark.parametrize("language, foreign", [("ru", LATIN), ("en", CYRILLIC)])
def test_no_page_shows_words_of_the_other_language(language, foreign, everything, client_for, settings):
    client = client_for("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    reports = everything["reports"]
    pages = {url: client.get(url) for url in (*PAGES, *(f"/backoffice/reports/{r.pk}/" for r in reports))}
    pages["bulk"] = client.post(
        "/backoffice/queue/bulk/", {"ids": [r.pk for r in reports], "op": "act", "action": "start"}
    )
    reason = RejectionReason.objects.get(code="abusive").pk
    pages["reject-confirm"] = client.post(
        "/backoffice/moderation/reject/", {"ids": [reports[-1].pk], "reason": reason}
    )
    found = {}
    for url, response in pages.items():
        assert response.status_code == 200, url
        words = set(foreign.findall(_shown(response.content.decode(), everything["data"])))
        words -= NAMES
        if words:
            found[url] = sorted(words)
    assert not found


def test_the_photo_kind_field_names_and_the_rejection_reason_are_in_words(everything, client_for, settings):
    client = client_for("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/backoffice/reports/{everything['reports'][1].pk}/").content.decode()
    assert "Not city property" in html and "not-city" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(f"/backoffice/reports/{everything['reports'][0].pk}/").content.decode()
    assert "Фото проблемы" in html and "Фото результата" in html
    assert ">адрес<" in html and ">описание<" in html
    assert Photo.objects.filter(kind=Photo.Kind.PROOF).exists()
