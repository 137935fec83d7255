"""What /metrics reads from the database at scrape time. Computed per scrape rather than counted in a
process, so every app server and every gunicorn worker answers the same figures whichever process did the
work (the worker delivers, any app server files reports)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Min
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from gorod.city.models import Municipality
from gorod.core import clock, heartbeat
from gorod.core.models import Counter
from gorod.notifications.models import Delivery
from gorod.reports.models import Report


class DatabaseCollector:
    """A prometheus_client collector; a handful of aggregate queries, each on an indexed column."""

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        pending = Delivery.objects.filter(state=Delivery.State.PENDING)
        backlog = GaugeMetricFamily(
            "gorod_outbox_backlog", "Deliveries not yet delivered (pending), by channel.", labels=["channel"]
        )
        for channel, n in pending.values_list("channel").annotate(n=Count("id")).order_by("channel"):
            backlog.add_metric([channel], n)
        yield backlog

        oldest = pending.aggregate(at=Min("created"))["at"]
        yield GaugeMetricFamily(
            "gorod_outbox_oldest_undelivered_age_seconds",
            "Age of the oldest pending delivery (0 when none is pending).",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )

        dead = GaugeMetricFamily(
            "gorod_outbox_dead_letters", "Deliveries that failed for good, by channel.", labels=["channel"]
        )
        rows = Delivery.objects.filter(state=Delivery.State.DEAD).values_list("channel")
        for channel, n in rows.annotate(n=Count("id")).order_by("channel"):
            dead.add_metric([channel], n)
        yield dead

        yield GaugeMetricFamily(
            "gorod_tasks_ready",
            "Background tasks queued and not yet started by a worker.",
            value=DBTaskResult.objects.filter(status=TaskResultStatus.READY).count(),
        )

        age = heartbeat.age_seconds()
        yield GaugeMetricFamily(
            "gorod_worker_heartbeat_age_seconds",
            "Seconds since the newest worker heartbeat (NaN when no worker ever beat).",
            value=float("nan") if age is None else age,
        )
        within = max(settings.GOROD_READY_WORKER_MAX_AGE_S, 3 * settings.GOROD_WORKER_HEARTBEAT_S)
        yield GaugeMetricFamily(
            "gorod_workers_alive",
            "Worker processes that beat within the readiness limit.",
            value=heartbeat.alive(within_s=within),
        )

        filed = CounterMetricFamily(
            "gorod_reports_filed", "Reports filed, by municipality (its slug).", labels=["municipality"]
        )
        slugs = dict(Municipality.objects.values_list("pk", "slug"))
        counts = Report.objects.values_list("municipality_id").annotate(n=Count("id")).order_by()
        for municipality_id, n in counts:
            filed.add_metric([slugs.get(municipality_id, str(municipality_id))], n)
        yield filed

        counters = CounterMetricFamily(
            "gorod_counter", "Running totals of background work (core.counters), by name.", labels=["name"]
        )
        for name, value in Counter.objects.order_by("name").values_list("name", "value"):
            counters.add_metric([name], value)
        yield counters
