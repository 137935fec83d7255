"""Rooms: pins at x/y and yaw/pitch with threaded replies, range-checked; slides checked and re-encoded;
rooms open and close by date; a closed phase, a ban and a non-member of an invite-only room are refused
and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

from gorod.accounts.models import User
from gorod.consultations import moderation
from gorod.consultations.errors import Refused
from gorod.consultations.models import Participation
from gorod.consultations.room import places, selectors
from gorod.consultations.room.models import Pin, PinReply, Slide
from gorod.consultations.room.services import (
    pin_add,
    reply_add,
    room_set,
    slide_add,
    slide_delete,
    slide_move,
)
from gorod.consultations.services import module_add
from gorod.core import clock
from tests.conftest import make_jpeg
from tests.consultations.room_helpers import panorama_bytes

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def neighbour(db):
    return User.objects.create_user(username="boris", password="x-pass-12345", role=User.Role.CITIZEN)


def test_pin_on_a_plan_and_a_panorama_with_replies(slides, citizen, neighbour):
    pin = pin_add(slide=slides["plan"], user=citizen, text=" A crossing here ", x="0.1", y="0.2")
    assert (pin.text, pin.x, pin.y, pin.yaw) == ("A crossing here", 0.1, 0.2, None)
    around = pin_add(slide=slides["panorama"], user=neighbour, text="Too tall", yaw="-90", pitch="40")
    assert (around.yaw, around.pitch, around.x) == (270.0, 40.0, None)
    reply_add(pin=pin, user=neighbour, text="Agreed, and a light")
    reply_add(pin=pin, user=citizen, text="Thanks")
    listed = selectors.pins(slides["plan"].module, user=citizen)
    assert [p.pk for p in listed] == [pin.pk, around.pk]
    assert [r.text for r in listed[0].replies.all()] == ["Agreed, and a light", "Thanks"]
    assert listed[0].where == "on slide 1 «Plan», top left"
    assert listed[1].where == "on slide 3 «Panorama», looking west, up high"
    assert Participation.objects.filter(project=slides["plan"].module.phase.project).count() == 2


def test_a_resident_without_the_picture_pins_by_region_or_direction(slides, citizen):
    flat = pin_add(slide=slides["image"], user=citizen, text="Bench here", region="bottom-right")
    assert (round(flat.x, 3), round(flat.y, 3)) == (0.833, 0.833)
    around = pin_add(slide=slides["panorama"], user=citizen, text="Trees there", region="se")
    assert (around.yaw, around.pitch) == (135.0, 0.0)
    assert places.where(slides["panorama"], around) == "on slide 3 «Panorama», looking south-east"


@pytest.mark.parametrize(
    ("kind", "coords", "field"),
    [
        ("plan", {"x": "1.5", "y": "0.5"}, "x"),
        ("plan", {"x": "-0.01", "y": "0.5"}, "x"),
        ("plan", {"x": "nan", "y": "0.5"}, "x"),
        ("plan", {"x": "inf", "y": "0.5"}, "x"),
        ("plan", {"x": "abc", "y": "0.5"}, "x"),
        ("plan", {"x": "0.5", "y": "1e9"}, "x"),
        ("plan", {"region": "the moon"}, "region"),
        ("plan", {}, "region"),
        ("panorama", {"yaw": "400", "pitch": "0"}, "yaw"),
        ("panorama", {"yaw": "10", "pitch": "91"}, "pitch"),
        ("panorama", {"yaw": "10", "pitch": "-1e308"}, "pitch"),
        ("panorama", {"region": "top-left"}, "region"),
    ],
)
def test_coordinates_out_of_range_are_refused_and_nothing_is_saved(slides, citizen, kind, coords, field):
    with pytest.raises(Refused) as exc:
        pin_add(slide=slides[kind], user=citizen, text="Somewhere", **coords)
    assert exc.value.field == field
    assert not Pin.objects.exists()
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("text", "field"), [("", "text"), ("ab", "text"), ("x" * 1001, "text"), ("a\x00b", "text")]
)
def test_bad_text_is_refused(slides, citizen, text, field):
    with pytest.raises(Refused) as exc:
        pin_add(slide=slides["plan"], user=citizen, text=text, x=0.5, y=0.5)
    assert exc.value.field == field
    assert not Pin.objects.exists()


def test_a_closed_phase_refuses_pins_and_replies(make_project, admin_user, citizen):
    phase = make_project(state="closed", slug="old").phase_list()[0]
    module = module_add(phase=phase, kind="room", title="Old room")
    slide = slide_add(
        module=module, actor=admin_user, kind="image", title="P", description="d", data=make_jpeg()
    )[0]
    with pytest.raises(Refused, match="closed"):
        pin_add(slide=slide, user=citizen, text="Too late", x=0.5, y=0.5)
    assert not Pin.objects.exists()


def test_the_room_opens_and_closes_by_its_own_dates(slides, citizen, admin_user):
    room_module = slides["plan"].module
    now = clock.now()
    room_set(
        module=room_module, actor=admin_user, opens=now + dt.timedelta(days=1), closes=None, invite_only=False
    )
    with pytest.raises(Refused, match="opens on"):
        pin_add(slide=slides["plan"], user=citizen, text="Early bird", x=0.5, y=0.5)
    room_set(
        module=room_module,
        actor=admin_user,
        opens=None,
        closes=now - dt.timedelta(hours=1),
        invite_only=False,
    )
    pin_module = Slide.objects.get(pk=slides["plan"].pk)
    with pytest.raises(Refused, match="room closed on"):
        pin_add(slide=pin_module, user=citizen, text="Late", x=0.5, y=0.5)
    assert not Pin.objects.exists()
    with pytest.raises(Refused, match="close after it opens"):
        room_set(module=room_module, actor=admin_user, opens=now, closes=now, invite_only=False)


def test_replies_are_refused_once_the_room_closes(slides, citizen, admin_user):
    pin = pin_add(slide=slides["plan"], user=citizen, text="Crossing", x=0.5, y=0.5)
    room_set(module=pin.slide.module, actor=admin_user, opens=None, closes=clock.now(), invite_only=False)
    pin = Pin.objects.select_related("slide__module").get(pk=pin.pk)
    with pytest.raises(Refused, match="room closed"):
        reply_add(pin=pin, user=citizen, text="Still here")
    assert not PinReply.objects.exists()


def test_a_barred_account_may_not_pin_or_reply(slides, citizen, neighbour, admin_user, city):
    pin = pin_add(slide=slides["plan"], user=neighbour, text="Crossing", x=0.5, y=0.5)
    moderation.ban_add(municipality=city, user=citizen, reason="spam", until=None, actor=admin_user)
    with pytest.raises(Refused, match="barred"):
        pin_add(slide=slides["plan"], user=citizen, text="Buy now", x=0.5, y=0.5)
    with pytest.raises(Refused, match="barred"):
        reply_add(pin=pin, user=citizen, text="Buy now")
    assert Pin.objects.count() == 1 and not PinReply.objects.exists()


def test_hidden_pins_take_no_replies_and_premoderated_ones_wait(slides, citizen, neighbour, admin_user):
    from gorod.consultations.contributions import hide

    pin = pin_add(slide=slides["plan"], user=citizen, text="Rude words", x=0.5, y=0.5)
    hide(item=pin, reason="Insults", actor=admin_user)
    with pytest.raises(Refused, match="hidden"):
        reply_add(pin=pin, user=neighbour, text="Answer")
    project = slides["plan"].module.phase.project
    project.premoderated = True
    project.save()
    slide = Slide.objects.select_related("module__phase__project").get(pk=slides["plan"].pk)
    held = pin_add(slide=slide, user=citizen, text="Wait for it", x=0.3, y=0.3)
    assert held.awaiting
    assert held.pk not in [p.pk for p in selectors.pins(slide.module, user=neighbour)]
    assert held.pk in [p.pk for p in selectors.pins(slide.module, user=citizen)]


def test_a_panorama_must_be_twice_as_wide_as_high(room, admin_user):
    with pytest.raises(Refused, match="twice as wide") as exc:
        slide_add(
            module=room,
            actor=admin_user,
            kind="panorama",
            title="P",
            description="d",
            data=panorama_bytes((1600, 1000)),
        )
    assert exc.value.field == "file"
    with pytest.raises(Refused, match="too small"):
        slide_add(
            module=room,
            actor=admin_user,
            kind="panorama",
            title="P",
            description="d",
            data=panorama_bytes((400, 200)),
        )
    assert not Slide.objects.exists()


def test_slides_are_re_encoded_without_metadata(room, admin_user):
    slide = slide_add(
        module=room, actor=admin_user, kind="image", title="P", description="d", data=make_jpeg(exif_gps=True)
    )[0]
    with Image.open(slide.image.open("rb")) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_a_large_panorama_keeps_its_pixels_up_to_its_own_limit(room, admin_user):
    slide = slide_add(
        module=room,
        actor=admin_user,
        kind="panorama",
        title="P",
        description="d",
        data=panorama_bytes((5000, 2500)),
    )[0]
    assert (slide.width, slide.height) == (4096, 2048)


@pytest.mark.parametrize(
    ("kind", "data", "fields", "field"),
    [
        ("image", b"not an image", {}, "file"),
        ("image", b"", {}, "file"),
        ("plan", b"%PDF-1.4 broken", {}, "file"),
        ("plan", b"GIF89a", {}, "file"),
        ("video", make_jpeg(), {}, "kind"),
        ("image", make_jpeg(), {"title": ""}, "title"),
        ("image", make_jpeg(), {"description": " "}, "description"),
    ],
)
def test_bad_slides_are_refused_and_nothing_is_saved(room, admin_user, kind, data, fields, field):
    args = {"title": "Slide", "description": "What it shows", **fields}
    with pytest.raises(Refused) as exc:
        slide_add(module=room, actor=admin_user, kind=kind, data=data, **args)
    assert exc.value.field == field
    assert not Slide.objects.exists()


def test_a_plan_page_out_of_range_is_refused(room, admin_user, pdf_bytes):
    with pytest.raises(Refused) as exc:
        slide_add(
            module=room, actor=admin_user, kind="plan", title="P", description="d", data=pdf_bytes, page=9
        )
    assert exc.value.field == "page"
    every = slide_add(
        module=room, actor=admin_user, kind="plan", title="Plan", description="d", data=pdf_bytes
    )
    assert [s.title for s in every] == ["Plan (page 1)", "Plan (page 2)"]


def test_only_city_administrators_add_slides(room, citizen):
    with pytest.raises(Refused, match="administrators"):
        slide_add(module=room, actor=citizen, kind="image", title="P", description="d", data=make_jpeg())
    assert not Slide.objects.exists()


def test_slides_keep_their_order_when_moved_and_removed(slides, admin_user, citizen):
    pin_add(slide=slides["image"], user=citizen, text="Bench", x=0.5, y=0.5)
    slide_move(slide=slides["panorama"], actor=admin_user, up=True)
    assert [s.title for s in selectors.slides(slides["plan"].module)] == ["Plan", "Panorama", "Today"]
    slide_delete(slide=Slide.objects.get(pk=slides["image"].pk), actor=admin_user)
    assert [(s.position, s.title) for s in selectors.slides(slides["plan"].module)] == [
        (1, "Plan"),
        (2, "Panorama"),
    ]
    assert not Pin.objects.exists()
