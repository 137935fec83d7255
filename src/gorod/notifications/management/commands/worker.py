from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gorod.core import heartbeat
from gorod.notifications import scheduler, tasks


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks database backend): delivers what services enqueue and "
        "runs the periodic jobs of settings.GOROD_PERIODIC_JOBS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--no-timetable", action="store_true", help="Do not run the periodic jobs in this process."
        )

    def handle(self, *args, batch: bool, interval: float, no_timetable: bool, **options):
        # Recovery first: whatever a previous worker left (due retries, a lost wake-up) is looked at now;
        # deliveries it held when it died come due when their lease ends.
        tasks.deliver.enqueue()
        # /readyz and /metrics of every app server read this: a worker that stopped beating is down.
        name = heartbeat.process_name()
        heartbeat.beat(name)
        beating = None if batch else heartbeat.Beating(name, every=settings.GOROD_WORKER_HEARTBEAT_S)
        if beating is not None:
            beating.start()
        timetable = None
        if batch:
            scheduler.enqueue_due()
        elif not no_timetable:
            timetable = scheduler.Timetable()
            timetable.start()
        try:
            call_command(
                "db_worker", batch=batch, interval=interval, reload=False, verbosity=options["verbosity"]
            )
        finally:
            if timetable is not None:
                timetable.stop()
            if beating is not None:
                beating.stop()
