"""Reads of engagement projects. A project's status comes from its phases (models.status_of); the list
filter computes it in SQL from the first start and the last end, so the filter and the badge agree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Min, Prefetch, Q, QuerySet

from gorod.consultations.models import Document, Follower, Module, Phase, Project, Status, Topic
from gorod.core import clock

HOME_COUNT = 3


@dataclass(frozen=True)
class ProjectFilter:
    district: str = ""  # a district's slug
    status: str = ""
    topic: str = ""


def parse_filter(params, district_slugs: set[str]) -> ProjectFilter:
    """Unknown values are ignored, not errors: a stale link still shows the list."""
    district = params.get("district", "")
    status = params.get("status", "")
    topic = params.get("topic", "")
    return ProjectFilter(
        district=district if district in district_slugs else "",
        status=status if status in Status.values else "",
        topic=topic if topic in Topic.values else "",
    )


def public_projects(municipality) -> QuerySet[Project]:
    return (
        Project.objects.filter(municipality=municipality, published=True)
        .select_related("district")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts", "id")))
        .annotate(first_start=Min("phases__starts"), last_end=Max("phases__ends"))
    )


def filtered(municipality, project_filter: ProjectFilter) -> QuerySet[Project]:
    projects = public_projects(municipality)
    if project_filter.district:
        projects = projects.filter(district__slug=project_filter.district)
    if project_filter.topic:
        projects = projects.filter(topic=project_filter.topic)
    if project_filter.status:
        projects = projects.filter(_status_q(project_filter.status))
    return projects.order_by("-created", "-id")


def _status_q(status: str) -> Q:
    now = clock.now()
    reported = Q(final_report_published__isnull=False)
    if status == Status.REPORTED:
        return reported
    if status == Status.UPCOMING:
        return ~reported & (Q(first_start__isnull=True) | Q(first_start__gt=now))
    if status == Status.FINISHED:
        return ~reported & Q(last_end__lte=now)
    return ~reported & Q(first_start__lte=now) & Q(last_end__gt=now)


def for_home(municipality) -> list[Project]:
    """The projects residents can take part in now first, then the next ones to start."""
    projects = list(public_projects(municipality).order_by("-created", "-id")[:20])
    order = {Status.ACTIVE: 0, Status.UPCOMING: 1, Status.FINISHED: 2, Status.REPORTED: 3}
    projects.sort(key=lambda p: order[Status(p.status)])
    return projects[:HOME_COUNT]


def project_page(municipality, slug: str, *, staff: bool = False) -> Project | None:
    """A project with what its page shows, in a fixed number of queries; unpublished ones only for staff."""
    projects = Project.objects.filter(municipality=municipality, slug=slug).select_related("district")
    if not staff:
        projects = projects.filter(published=True)
    return projects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts", "id")),
        Prefetch("phases__modules", queryset=Module.objects.order_by("position", "id")),
        "updates",
        Prefetch("documents", queryset=Document.objects.prefetch_related("pages")),
        "events",
    ).first()


def projects_followed_by(user) -> QuerySet[Follower]:
    """A person's project follows, by account or by their account's address (privacy's export)."""
    by_address = Q(user=None, email_hash=user.email_hash) if getattr(user, "email_hash", "") else Q(pk__in=[])
    return (
        Follower.objects.filter(Q(user=user) | by_address).select_related("project").order_by("created", "pk")
    )
