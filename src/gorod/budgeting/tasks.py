"""Background work of participatory budgeting."""

from __future__ import annotations

import logging

from django_tasks import task

from gorod.budgeting.models import Process
from gorod.budgeting.services.processes import process_advance

log = logging.getLogger(__name__)


@task()
def advance_processes() -> int:
    """Let phases move on by the calendar (open the vote, tally at its close) without a staff click.
    process_advance is idempotent, so running this late or twice changes nothing more."""
    done = 0
    for process in Process.objects.filter(results_published__isnull=True).only("pk"):
        for line in process_advance(process=process):
            log.info("process %s: %s", process.pk, line)
            done += 1
    return done
