"""A sender's number is needed for a while — to answer, to bar a number that abuses the sign, to answer
the person's own data request — and then not: after GOROD_SMS_KEEP_NUMBERS_DAYS (default 180) a message
keeps neither the number nor its hash, and its contribution stays as anonymous as a paper response. STOP
and bans are kept apart (by hash), so forgetting never restarts replies or lifts a ban."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from gorod.consultations.textin.models import TextMessage
from gorod.core import clock

BATCH = 1000


def keep_days() -> int:
    return int(getattr(settings, "GOROD_SMS_KEEP_NUMBERS_DAYS", 180))


def forget_old_numbers(*, now: dt.datetime | None = None) -> int:
    """Blank the numbers of messages received before the retention time; returns how many. Batched, so a
    first run over years of messages does not hold a long lock."""
    cutoff = (now or clock.now()) - dt.timedelta(days=keep_days())
    done = 0
    while True:
        ids = list(
            TextMessage.objects.filter(created__lt=cutoff)
            .exclude(phone_hash="")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return done
        done += TextMessage.objects.filter(pk__in=ids).update(phone="", phone_hash="")
