from django.urls import path

from gorod.backoffice.views import (
    audit,
    bulk,
    deliveries,
    experts,
    photos,
    project_moderation,
    projects,
    queues,
    report,
)

app_name = "backoffice"

urlpatterns = [
    path("", queues.home, name="home"),
    path("moderation/", queues.moderation_queue, name="moderation"),
    path("moderation/reject/", bulk.moderation_reject, name="moderation-reject"),
    path("queue/", queues.department_queue, name="queue"),
    path("queue/bulk/", bulk.bulk, name="bulk"),
    path("reports/<int:pk>/", report.report_detail, name="report"),
    path("reports/<int:pk>/contacts/", report.report_contacts, name="report-contacts"),
    path("reports/<int:pk>/<slug:action>/", report.report_action, name="report-action"),
    path("photos/<int:pk>/", photos.photo, name="photo"),
    path("deliveries/", deliveries.dead_letters, name="dead-letters"),
    path("deliveries/<int:pk>/retry/", deliveries.retry, name="delivery-retry"),
    path("audit/", audit.audit_trail, name="audit"),
    path("experts/", experts.experts, name="experts"),
    path("experts/<int:pk>/revoke/", experts.revoke, name="expert-revoke"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_new, name="project-new"),
    # Before the project pages, whose slug would otherwise match "moderation".
    path("projects/moderation/", project_moderation.desk, name="project-moderation"),
    path("projects/moderation/<slug:action>/", project_moderation.act, name="project-moderation-act"),
    path("projects/<slug:slug>/", projects.project_manage, name="project-manage"),
    path(
        "projects/<slug:slug>/demographics/",
        project_moderation.project_demographics,
        name="project-demographics",
    ),
    path("projects/<slug:slug>/<slug:action>/", projects.project_action, name="project-action"),
]
