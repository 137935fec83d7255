"""Setting a project up: the project, its phases and their modules; publishing the final report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.consultations import areas, modules
from gorod.consultations.errors import Refused
from gorod.consultations.models import Module, Phase, Project
from gorod.consultations.services.common import full_clean
from gorod.core import clock

EDITABLE = frozenset(
    {"title", "summary", "description", "district", "topic", "published", "final_report", "premoderated"}
)
MAX_PHASES = 12
MAX_MODULES_PER_PHASE = 10


@dataclass(frozen=True)
class NewPhase:
    title: str
    starts: dt.datetime
    ends: dt.datetime
    description: str = ""


def _set_fields(project: Project, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE - {"area"}
    if unknown:
        raise Refused(_("Unknown project settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    district = fields.get("district")
    if district is not None and district.municipality_id != project.municipality_id:
        raise Refused(_("This district is not in the project's city."), field="district")
    for name, value in fields.items():
        if name != "area":
            setattr(project, name, value)
    if "area" in fields:
        area, centre = areas.clean_area(fields["area"], municipality_id=project.municipality_id)
        project.area = area
        project.center_lat, project.center_lon = centre if centre else (None, None)


RESERVED_SLUGS = frozenset({"new", "moderation", "about-you", "unfollow"})


@transaction.atomic
def project_create(
    *,
    municipality,
    slug: str,
    title: str,
    phase_list: tuple[NewPhase, ...] | list[NewPhase] = (),
    **fields: Any,
) -> Project:
    if slug in RESERVED_SLUGS:
        # The back office's own pages live beside the projects' (/backoffice/projects/moderation/).
        raise Refused(_("This short name is taken by a page of the site; choose another."), field="slug")
    if Project.objects.filter(municipality=municipality, slug=slug).exists():
        raise Refused(_("A project with this short name already exists."), field="slug")
    project = Project(municipality=municipality, slug=slug, title=title)
    _set_fields(project, fields)
    full_clean(project)
    project.save()
    for item in phase_list:
        phase_add(project=project, **item.__dict__)
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    _set_fields(project, fields)
    full_clean(project)
    project.save()
    return project


@transaction.atomic
def phase_add(
    *, project: Project, title: str, starts: dt.datetime, ends: dt.datetime, description: str = ""
) -> Phase:
    """Phases may touch but not overlap: a resident reads one line of time, and 'what is open now' has one
    answer."""
    if starts is None or ends is None or ends <= starts:
        raise Refused(_("A phase must end after it starts."), field="ends")
    if project.phases.count() >= MAX_PHASES:
        raise Refused(_("A project has at most %(n)d phases.") % {"n": MAX_PHASES})
    if project.phases.filter(starts__lt=ends, ends__gt=starts).exists():
        raise Refused(_("This phase overlaps another phase of the project."), field="starts")
    phase = Phase(project=project, title=title, starts=starts, ends=ends, description=description)
    full_clean(phase)
    phase.save()
    project.__dict__.pop("_phase_cache", None)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase) -> None:
    if phase.starts <= clock.now():
        raise Refused(_("A phase that has started stays on the timeline: residents took part in it."))
    phase.delete()


@transaction.atomic
def module_add(
    *, phase: Phase, kind: str, title: str, description: str = "", settings: dict | None = None
) -> Module:
    entry = modules.REGISTRY.get(kind)
    if entry is None or not entry.ready:
        raise Refused(_("This kind of module is not available."), field="kind")
    if phase.modules.count() >= MAX_MODULES_PER_PHASE:
        raise Refused(_("A phase has at most %(n)d modules.") % {"n": MAX_MODULES_PER_PHASE})
    module = Module(
        phase=phase,
        kind=kind,
        title=title,
        description=description,
        settings=settings or {},
        position=phase.modules.count(),
    )
    full_clean(module)
    module.save()
    return module


@transaction.atomic
def module_delete(*, module: Module) -> None:
    if module.phase.starts <= clock.now():
        raise Refused(_("A module whose phase has started stays: residents may have taken part in it."))
    module.delete()


@transaction.atomic
def final_report_publish(*, project: Project, text: str, actor) -> Project:
    """Publish "what we heard and what we decided" and tell every follower and every participant, once
    each. Publishing again corrects the text but mails no one twice."""
    from gorod.consultations.services.follow import notify_final_report

    project = Project.objects.select_for_update().get(pk=project.pk)
    if not (text or "").strip():
        raise Refused(_("Write what you heard and what you decided before publishing."), field="final_report")
    if not project.published:
        raise Refused(_("Publish the project before its final report."))
    first = project.final_report_published is None
    project.final_report = text
    if first:
        project.final_report_published = clock.now()
    full_clean(project)
    project.save()
    if first:
        notify_final_report(project)
    return project
