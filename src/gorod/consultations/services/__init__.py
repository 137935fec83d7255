"""All writes of engagement projects. Keyword-only, each in one transaction; a refusal raises
errors.Refused with a message for the person and leaves nothing changed."""

from gorod.consultations.services.content import (
    document_add,
    document_delete,
    event_add,
    event_delete,
    update_publish,
)
from gorod.consultations.services.follow import (
    follow_by_email,
    follow_user,
    participation_record,
    project_follows_forget,
    unfollow,
    unfollow_token,
)
from gorod.consultations.services.projects import (
    NewPhase,
    final_report_publish,
    module_add,
    module_delete,
    phase_add,
    phase_delete,
    project_create,
    project_update,
)

__all__ = [
    "NewPhase",
    "document_add",
    "document_delete",
    "event_add",
    "event_delete",
    "final_report_publish",
    "follow_by_email",
    "follow_user",
    "module_add",
    "module_delete",
    "participation_record",
    "phase_add",
    "phase_delete",
    "project_create",
    "project_follows_forget",
    "project_update",
    "unfollow",
    "unfollow_token",
    "update_publish",
]
