"""Demo residents' stories (two published, one awaiting moderation, one hidden with a reason, with photos
drawn here) and an invitation of the demo outside expert ("reviewer") to the open budgeting process.
Idempotent: a second run finds the stories by title and the invitation by expert and process."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from gorod.accounts import invitations
from gorod.accounts.models import User
from gorod.budgeting.models import Process
from gorod.city.models import Municipality, RejectionReason
from gorod.core import clock
from gorod.info.stories.models import Story
from gorod.info.stories.services import NewStory, story_hide, story_publish, story_submit

STORIES = (
    # (title, body, signature, district index, outcome, colour)
    (
        "Во дворе на Садовой открыли новую детскую площадку",
        "В субботу жильцы вместе с районом **открыли площадку**: качели, горка и песочница.\n\n"
        "- приходите с детьми после 10:00\n- по воскресеньям — уборка двора всем домом",
        "Анна с Садовой",
        0,
        "published",
        (80, 150, 90),
    ),
    (
        "Субботник в сквере у библиотеки",
        "Собрали 40 мешков листвы и покрасили скамейки. Спасибо всем, кто пришёл!\n\n"
        "> Следующий субботник — через месяц.",
        "Анна с Садовой",
        1,
        "published",
        (200, 140, 40),
    ),
    (
        "Фонари на набережной снова горят",
        "После заявки на портале фонари починили за неделю. Проверила вечером — светло.",
        "Анна с Садовой",
        0,
        "pending",
        (40, 70, 160),
    ),
    (
        "Сосед опять паркуется на газоне",
        "Пишу, чтобы все знали, кто это делает…",
        "Анна с Садовой",
        1,
        "hidden",
        (120, 120, 120),
    ),
)


def _picture(colour: tuple[int, int, int], label: str) -> bytes:
    image = Image.new("RGB", (800, 600), colour)
    ImageDraw.Draw(image).text((40, 40), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    model = get_user_model()
    users = {
        u.username: u
        for u in model.objects.filter(username__in=["citizen", "moderator", "admin", "reviewer"])
    }
    districts = list(municipality.districts.order_by("slug")[:2])
    if {"citizen", "moderator", "admin"} - set(users) or len(districts) < 2:
        stdout.write("Residents' stories: skipped (the demo needs two districts and the demo accounts).")
        return
    tz = ZoneInfo(municipality.timezone)
    made = 0
    for n, (title, body, signature, district, outcome, colour) in enumerate(STORIES):
        if Story.objects.filter(municipality=municipality, title=title).exists():
            continue
        at = dt.datetime.combine(anchor - dt.timedelta(days=6 - n), dt.time(11, 0), tzinfo=tz)
        with clock.frozen(at):
            story = story_submit(
                municipality=municipality,
                author=users["citizen"],
                data=NewStory(
                    district=districts[district],
                    title=title,
                    body=body,
                    signature=signature,
                    photos=[_picture(colour, title[:30])] if outcome != "hidden" else [],
                ),
            )
        with clock.frozen(at + dt.timedelta(hours=3)):
            if outcome == "published":
                story_publish(story=story, actor=users["moderator"])
            elif outcome == "hidden":
                reason = RejectionReason.objects.filter(municipality=municipality).order_by("order").last()
                if reason is not None:
                    story_hide(
                        story=story,
                        actor=users["moderator"],
                        reason=reason,
                        note="Истории не для споров с соседями: об этом лучше сообщить через портал.",
                    )
        made += 1
    stdout.write(f"Residents' stories: {made} added (one awaits moderation in /backoffice/stories/).")
    _invite_reviewer(municipality, users, anchor, tz, stdout)


def _invite_reviewer(municipality: Municipality, users: dict[str, User], anchor: dt.date, tz, stdout) -> None:
    reviewer = users.get("reviewer")
    process = Process.objects.filter(municipality=municipality).order_by("-created").first()
    if reviewer is None or process is None:
        return
    if invitations.invitations_for(process).filter(user=reviewer).exists():
        return
    with clock.frozen(dt.datetime.combine(anchor, dt.time(9, 0), tzinfo=tz)):
        invitations.invite(
            actor=users["admin"],
            expert=reviewer,
            target=process,
            valid_until=dt.datetime.combine(anchor + dt.timedelta(days=60), dt.time(), tzinfo=tz),
        )
    stdout.write(f"Outside expert 'reviewer' invited to review the process '{process.slug}' for 60 days.")
