"""Run by test_kill in a subprocess against the test's temporary database (python -m ...):
`enqueue N WEBHOOK_URL SECRET` writes N deliveries and prints their keys as JSON; `status` prints counts."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.notifications.worker_settings")
    import django

    django.setup()
    from django.db import transaction
    from django.db.models import Count, Max

    from gorod.city.models import Municipality
    from gorod.core import crypto
    from gorod.notifications import outbox, services
    from gorod.notifications.models import Channel, Delivery, MailAddress, WebhookEndpoint

    command = sys.argv[1]
    if command == "enqueue":
        n, url, secret = int(sys.argv[2]), sys.argv[3], sys.argv[4]
        city = Municipality.objects.create(
            slug="k", name="K", jurisdiction_id="k", center_lat=0, center_lon=0
        )
        endpoint = WebhookEndpoint.objects.create(municipality=city, name="sink", url=url, secret=secret)
        keys = []
        with transaction.atomic():
            for i in range(n):
                if i % 4 == 3:
                    body = json.dumps({"n": i})
                    delivery, _ = outbox.enqueue(
                        channel=Channel.WEBHOOK, key=outbox.idempotency_key("kill", i),
                        payload={"body": body, "type": "test"}, kind="test", webhook_id=endpoint.pk,
                    )  # fmt: skip
                else:
                    # Addresses their owners confirmed: the test is about kills, not confirmation.
                    MailAddress.objects.create(
                        address_hash=crypto.lookup_hash(f"r{i}@example.org"), state="confirmed"
                    )
                    delivery = services.email_enqueue(
                        to=f"r{i}@example.org", subject=f"Message {i}", body=f"Body {i}", key=f"kill-{i}"
                    )
                keys.append([delivery.channel, delivery.key])
        print(json.dumps(keys))
    elif command == "status":
        counts = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")).order_by())
        print(
            json.dumps({"states": counts, "max_attempts": Delivery.objects.aggregate(m=Max("attempts"))["m"]})
        )


if __name__ == "__main__":
    main()
