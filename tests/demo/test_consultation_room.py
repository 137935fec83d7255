"""The demo room: a project of its own with a plan page (a PDF made in Python) and a synthetic 360°
panorama (drawn with Pillow, twice as wide as high), pins on both and replies; idempotent; the room page
renders every pin in words."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper
from PIL import Image

from gorod.consultations.models import Module
from gorod.consultations.room.models import Pin, PinReply, Slide
from gorod.demo.consultations import room
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_one_room_with_a_plan_and_a_panorama(city, django_user_model, frozen_spring, client):
    django_user_model.objects.create_user(username="admin", password="x-pass-12345", role="city_admin")
    out = OutputWrapper(io.StringIO())
    for _ in range(2):
        room.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    module = Module.objects.get(kind="room")
    slides = list(Slide.objects.filter(module=module).order_by("position"))
    assert [s.kind for s in slides] == ["plan", "panorama"]
    assert slides[1].width == 2 * slides[1].height
    assert Pin.objects.count() == len(room.PLAN_PINS) + len(room.PANORAMA_PINS)
    assert PinReply.objects.count() == len(room.PLAN_PINS) + 1
    page = client.get(f"/projects/{room.SLUG}/room/{module.pk}/").content.decode()
    assert page.count('class="cp-item room-pin"') == Pin.objects.count()


def test_the_panorama_is_drawn_not_downloaded():
    with Image.open(io.BytesIO(room.panorama_jpeg(width=1024, seed=3))) as image:
        assert image.size == (1024, 512)
        sky, ground = image.getpixel((5, 5)), image.getpixel((5, 500))
        assert sky[2] > sky[0] and ground != sky
