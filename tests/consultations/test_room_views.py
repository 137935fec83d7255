"""Room pages over HTTP: the page lists every pin in words with its replies and forms, pins and replies
are posted with a message back, a closed phase shows why and saves nothing, hostile input never 500s,
flags and hiding reach pins and replies, writes are rate-limited, and the staff page uploads slides."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from gorod.accounts.models import User
from gorod.consultations.contributions import Flag
from gorod.consultations.room.models import Pin, PinReply, Slide
from gorod.consultations.room.services import pin_add, reply_add
from tests.conftest import make_jpeg
from tests.consultations.room_helpers import panorama_bytes
from tests.helpers import login_verified, post_past_the_limit

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English whatever language an earlier test left active."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(module, name="room", *args) -> str:
    return reverse(f"consultations:{name}", args=[module.phase.project.slug, module.pk, *args])


def test_the_project_page_links_to_the_room(client, room):
    page = client.get(reverse("consultations:project", args=["square"])).content.decode()
    assert url(room) in page


def test_the_page_lists_every_pin_in_words_with_its_replies(client, slides, citizen):
    pin = pin_add(slide=slides["plan"], user=citizen, text="Crossing <b>here</b>", x=0.9, y=0.1)
    pin_add(slide=slides["panorama"], user=citizen, text="Trees", region="e")
    reply_add(pin=pin, user=citizen, text="And a light")
    page = client.get(url(slides["plan"].module)).content.decode()
    assert "On slide 1 «Plan», top right" in page
    assert "On slide 3 «Panorama», looking east" in page
    assert "Crossing &lt;b&gt;here&lt;/b&gt;" in page
    assert "And a light" in page
    assert 'alt="The plan"' in page  # the slide's words, also for the picture itself


def test_a_resident_pins_and_replies_over_http(client, slides, citizen):
    client.force_login(citizen)
    module = slides["plan"].module
    answer = client.post(
        url(module, "room-pin", slides["plan"].pk), {"text": "A bench", "x": "0.25", "y": "0.75"}
    )
    pin = Pin.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"#pin-{pin.pk}")
    client.post(url(module, "room-reply", pin.pk), {"text": "Two benches"})
    assert PinReply.objects.get().text == "Two benches"
    client.post(url(module, "room-pin", slides["panorama"].pk), {"text": "Look there", "region": "nw"})
    assert Pin.objects.get(slide=slides["panorama"]).yaw == 315.0


@pytest.mark.parametrize(
    "data",
    [
        {"text": "x", "x": "0.5", "y": "0.5"},
        {"text": "Bench", "x": "2", "y": "0.5"},
        {"text": "Bench", "x": "1e400", "y": "0.5"},
        {"text": "Bench", "x": "", "y": "", "region": "<script>"},
        {"text": "Bench", "region": "point"},
        {"text": "\x00" * 5, "region": "centre"},
    ],
)
def test_hostile_pins_come_back_with_a_message_and_save_nothing(client, slides, citizen, data):
    client.force_login(citizen)
    answer = client.post(url(slides["plan"].module, "room-pin", slides["plan"].pk), data, follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[0][0].endswith("#pin-form")
    assert not Pin.objects.exists()


def test_unknown_slides_pins_and_other_rooms_are_404(client, slides, citizen, make_project, admin_user):
    from gorod.consultations.services import module_add

    client.force_login(citizen)
    module = slides["plan"].module
    assert client.post(url(module, "room-pin", 999999), {"text": "Bench"}).status_code == 404
    assert client.post(url(module, "room-reply", 999999), {"text": "Bench"}).status_code == 404
    other = module_add(phase=make_project(slug="other").phase_list()[0], kind="room", title="Other")
    assert client.post(url(other, "room-pin", slides["plan"].pk), {"text": "Bench"}).status_code == 404
    wall = module_add(phase=module.phase, kind="idea_wall", title="Ideas")
    assert client.get(url(wall)).status_code == 404
    assert not Pin.objects.exists()


def test_signed_out_posts_go_to_sign_in(client, slides):
    answer = client.post(
        url(slides["plan"].module, "room-pin", slides["plan"].pk), {"text": "Bench", "region": "centre"}
    )
    assert answer.status_code == 302 and "login" in answer["Location"]
    assert not Pin.objects.exists()


def test_a_closed_phase_shows_why_and_takes_nothing(client, make_project, admin_user, citizen):
    from gorod.consultations.room.services import slide_add
    from gorod.consultations.services import module_add

    module = module_add(
        phase=make_project(state="closed", slug="old").phase_list()[0], kind="room", title="Old"
    )
    slide = slide_add(
        module=module, actor=admin_user, kind="image", title="P", description="d", data=make_jpeg()
    )[0]
    client.force_login(citizen)
    page = client.get(url(module)).content.decode()
    assert "contributions are no longer taken" in page
    assert 'name="text"' not in page
    answer = client.post(
        url(module, "room-pin", slide.pk), {"text": "Bench", "region": "centre"}, follow=True
    )
    assert "contributions are no longer taken" in answer.content.decode()
    assert not Pin.objects.exists()


def test_pins_and_replies_can_be_flagged_and_hidden(client, slides, citizen, admin_user):
    module = slides["plan"].module
    pin = pin_add(slide=slides["plan"], user=admin_user, text="Spam spam", x=0.5, y=0.5)
    reply = reply_add(pin=pin, user=admin_user, text="More spam")
    client.force_login(citizen)
    for target, item in (("pin", pin), ("pin_reply", reply)):
        flag = reverse("consultations:flag", args=["square", module.pk, target, item.pk])
        assert client.post(flag, {"reason": "spam"}).status_code == 302
    assert Flag.objects.count() == 2
    client.force_login(admin_user)
    hide = reverse("consultations:moderate", args=["square", module.pk, "pin", pin.pk])
    client.post(hide, {"reason": "Advertising"})
    page = client.get(url(module)).content.decode()
    assert "Advertising" in page and "Spam spam" not in page


def test_the_moderation_desk_lists_flagged_pins(client, slides, citizen, admin_user):
    from gorod.consultations.contributions import flag_add

    pin = pin_add(slide=slides["plan"], user=admin_user, text="Spam spam", x=0.5, y=0.5)
    flag_add(module=slides["plan"].module, target="pin", item=pin, user=citizen, reason="spam")
    login_verified(client, admin_user)
    page = client.get(reverse("backoffice:project-moderation")).content.decode()
    assert "Spam spam" in page


def test_pins_and_replies_are_rate_limited(client, write_limits, slides, citizen):
    """One "contribution" scope for both, as for every module: past it, a reply is refused too."""
    other = User.objects.create_user(username="b", password="x-pass-12345")
    pin = pin_add(slide=slides["plan"], user=other, text="Bench", region="centre")
    client.force_login(citizen)
    module = slides["plan"].module
    post_past_the_limit(client, url(module, "room-pin", slides["plan"].pk), "contribution", {"text": "x"})
    assert client.post(url(module, "room-reply", pin.pk), {"text": "Reply"}).status_code == 429
    assert not PinReply.objects.exists()


def test_the_staff_page_is_for_city_administrators(client, room, citizen, admin_user):
    client.force_login(citizen)
    assert client.get(url(room, "room-staff")).status_code == 403
    assert client.post(url(room, "room-staff-action", "room"), {}).status_code == 403
    client.force_login(admin_user)
    assert client.get(url(room, "room-staff")).status_code == 302  # the second factor first
    login_verified(client, admin_user)
    page = client.get(url(room, "room-staff")).content.decode()
    assert "up to 20 MB" in page and "twice as wide as high" in page


def test_staff_upload_slides_and_bad_files_change_nothing(client, room, admin_user):
    login_verified(client, admin_user)
    upload = url(room, "room-upload")

    def send(kind, data, name, **extra):
        file = io.BytesIO(data)
        file.name = name
        return client.post(
            upload, {"kind": kind, "title": "T", "description": "D", "file": file, **extra}, follow=True
        )

    assert "The slide is added." in send("panorama", panorama_bytes(), "p.jpg").content.decode()
    assert "twice as wide" in send("panorama", make_jpeg(), "x.jpg").content.decode()
    assert "not a photo" in send("image", b"<svg onload=alert(1)>", "x.svg").content.decode()
    assert "page is a number" in send("plan", b"%PDF-", "x.pdf", page="one").content.decode()
    assert Slide.objects.count() == 1


def test_an_oversized_upload_is_dropped_while_it_streams(client, room, admin_user, monkeypatch):
    from gorod.consultations.room import slides as slide_files

    monkeypatch.setattr(slide_files, "UPLOAD_MAX_BYTES", 1000)
    login_verified(client, admin_user)
    file = io.BytesIO(make_jpeg(size=(800, 800)))
    file.name = "big.jpg"
    answer = client.post(
        url(room, "room-upload"),
        {"kind": "image", "title": "T", "description": "D", "file": file},
        follow=True,
    )
    assert "larger than" in answer.content.decode()
    assert not Slide.objects.exists()


def test_staff_set_dates_and_reorder(client, slides, admin_user):
    module = slides["plan"].module
    login_verified(client, admin_user)
    client.post(
        url(module, "room-staff-action", "room"), {"opens": "2030-01-01T10:00", "closes": "2029-01-01T10:00"}
    )
    from gorod.consultations.room.models import Room

    assert not Room.objects.exists()  # refused: closes before it opens
    client.post(url(module, "room-staff-action", "room"), {"opens": "not a date"})
    assert not Room.objects.exists()
    client.post(url(module, "room-staff-action", "room"), {"invite_only": "on"})
    assert Room.objects.get().invite_only
    client.post(url(module, "room-staff-action", "down"), {"slide": slides["plan"].pk})
    assert Slide.objects.get(pk=slides["plan"].pk).position == 2
    assert client.post(url(module, "room-staff-action", "down"), {"slide": "x"}).status_code == 404
    assert client.post(url(module, "room-staff-action", "bogus"), {}).status_code == 404


def test_the_room_page_is_pinned(client, slides, citizen):
    """Pins and their replies in a fixed number of queries, however many there are."""
    from itertools import count

    from tests.query_counts import assert_pinned, get, growing

    numbers = count()

    def more(k: int) -> None:
        for _ in range(k):
            n = next(numbers)
            pin = pin_add(slide=slides["plan"], user=citizen, text=f"Pin number {n}", region="centre")
            reply_add(pin=pin, user=citizen, text=f"Reply number {n}")

    client.force_login(citizen)
    # session, user, city, module with phase and project, room settings, slides, pins, replies, and
    # whether the viewer is barred (for the form).
    assert_pinned(9, growing(more, get(client, url(slides["plan"].module))))


@pytest.mark.parametrize("slide_kind", ["plan", "panorama"])
def test_the_room_and_its_staff_page_read_in_russian(client, slides, citizen, admin_user, slide_kind):
    """No English word of the interface on the room page or the staff page in Russian."""
    from django.utils import translation

    from gorod.consultations.room.services import invite
    from tests.backoffice.test_translations import LATIN, NAMES, _shown

    module = slides["plan"].module
    pin = pin_add(
        slide=slides[slide_kind],
        user=citizen,
        text="Здесь переход",
        region="centre" if slide_kind == "plan" else "n",
    )
    reply_add(pin=pin, user=citizen, text="Согласна")
    invite(module=module, actor=admin_user, emails="vera@example.org")
    data = {
        "Plan",
        "Today",
        "Panorama",
        "The plan",
        "A photo",
        "Around the square",
        "Square room",
        "Phase (open)",
        "vera@example.org",
        "PDF",
        "JPEG",
        "PNG",
        "WebP",
        "GIF",
        "x",
    }
    with translation.override("ru"):
        client.force_login(citizen)
        page = client.get(
            url(module) + f"?slide={slides[slide_kind].pk}", HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
        login_verified(client, admin_user)
        staff = client.get(url(module, "room-staff"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for html in (page, staff):
        english = [w for w in LATIN.findall(_shown(html, data)) if w not in NAMES]
        assert english == []
