"""Engagement projects in the back office: the list, a new project, and one page per project where city
administrators edit it and publish its phases, modules, updates, documents, events and final report.
Other staff read these pages; only `consultations.manage` writes. Each POST names one action and calls
one consultations service; a refusal comes back as a message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.backoffice.selectors.desk import Desk
from gorod.backoffice.views.common import log_refusal, staff_view
from gorod.consultations import areas, documents, forms, services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Project
from gorod.consultations.questions import selectors as question_selectors
from gorod.consultations.surveys import services as survey_services
from gorod.consultations.text_review import services as text_services


def _may_read(user) -> bool:
    return bool(user.has_perm("consultations.view_staff"))


def _may_manage(user) -> bool:
    return bool(user.has_perm("consultations.manage"))


def _project(desk: Desk, slug: str) -> Project:
    project = (
        Project.objects.filter(municipality=desk.municipality, slug=slug).select_related("district").first()
    )
    if project is None:
        raise Http404(_("No such project."))
    return project


def _cleaned(form) -> dict:
    """The form's cleaned data, or Refused naming every error (the desk shows it as one message)."""
    if not form.is_valid():
        raise Refused(_form_errors(form))
    return dict(form.cleaned_data)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    )


@require_GET
@staff_view
def project_list(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not _may_read(desk.user):
        raise PermissionDenied
    projects = (
        Project.objects.filter(municipality=desk.municipality)
        .select_related("district")
        .prefetch_related("phases")
    )
    return render(
        request,
        "backoffice/projects/list.html",
        {"desk": desk, "city": desk.municipality, "projects": projects, "may_manage": _may_manage(desk.user)},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def project_new(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not _may_manage(desk.user):
        log_refusal(request, "project_new", None, "permission")
        raise PermissionDenied
    form = forms.ProjectForm(request.POST or None, municipality=desk.municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create(municipality=desk.municipality, **data)
        except Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The project was created. Add its phases next."))
            return redirect("backoffice:project-manage", project.slug)
    return render(
        request, "backoffice/projects/new.html", {"desk": desk, "city": desk.municipality, "form": form}
    )


@require_GET
@staff_view
def project_manage(request: HttpRequest, desk: Desk, slug: str) -> HttpResponse:
    if not _may_read(desk.user):
        raise PermissionDenied
    project = _project(desk, slug)
    initial = {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "district": project.district,
        "topic": project.topic,
        "area": areas.as_text(project.area),
        "published": project.published,
        "premoderated": project.premoderated,
    }
    phases = list(project.phases.prefetch_related("modules"))
    for phase in phases:
        phase.module_form = forms.ModuleForm(initial={"phase": phase.pk}, auto_id=f"module{phase.pk}-%s")  # type: ignore[attr-defined]
        for module in phase.modules.all():
            # The set-up form of a survey (add a question) or a draft (its text), ids unique per module.
            setup = {"survey": forms.SurveyQuestionForm, "text_review": forms.DraftForm}.get(module.kind)
            if setup is not None:
                module.setup_form = setup(initial={"module": module.pk}, auto_id=f"setup{module.pk}-%s")  # type: ignore[attr-defined]
    return render(
        request,
        "backoffice/projects/manage.html",
        {
            "desk": desk,
            "city": desk.municipality,
            "project": project,
            "phases": phases,
            "updates": list(project.updates.all()[:20]),
            "documents": list(project.documents.all()),
            "events": list(project.events.all()),
            "followers": project.followers.count(),
            "participants": project.participations.count(),
            "unanswered": question_selectors.unanswered_with_age(project),
            "may_manage": _may_manage(desk.user),
            # One page, many forms with the same field names: each its own ids (labels must stay unique).
            "project_form": forms.ProjectForm(
                initial=initial, municipality=desk.municipality, auto_id="project-%s"
            ),
            "phase_form": forms.PhaseForm(auto_id="phase-%s"),
            "update_form": forms.UpdateForm(auto_id="update-%s"),
            "document_form": forms.DocumentForm(auto_id="document-%s"),
            "event_form": forms.EventForm(auto_id="event-%s"),
            "final_form": forms.FinalReportForm(
                initial={"final_report": project.final_report}, auto_id="final-%s"
            ),
            "max_document_mb": documents.max_bytes() >> 20,
        },
    )


# --- actions -----------------------------------------------------------------------------------------
def _edit(request, desk, project) -> str:
    data = _cleaned(forms.ProjectForm(request.POST, municipality=desk.municipality))
    if data.pop("slug") != project.slug:
        raise Refused(_("The short name of a project cannot change: links to it would break."))
    services.project_update(project=project, **data)
    return _("The project was saved.")


def _phase_add(request, desk, project) -> str:
    data = _cleaned(forms.PhaseForm(request.POST))
    services.phase_add(project=project, **data)
    return _("The phase was added.")


def _phase_delete(request, desk, project) -> str:
    phase = project.phases.filter(pk=_pk(request)).first()
    if phase is None:
        raise Refused(_("No such phase."))
    services.phase_delete(phase=phase)
    return _("The phase was removed.")


def _module_add(request, desk, project) -> str:
    data = _cleaned(forms.ModuleForm(request.POST))
    phase = project.phases.filter(pk=data.pop("phase")).first()
    if phase is None:
        raise Refused(_("No such phase."))
    # Only a survey has a setting here: whether its responses keep the account.
    anonymous = data.pop("anonymous", False) and data["kind"] == "survey"
    services.module_add(phase=phase, settings={"anonymous": True} if anonymous else None, **data)
    return _("The module was added.")


def _module_of(project, pk, kind: str):
    from gorod.consultations.models import Module

    module = Module.objects.filter(phase__project=project, pk=pk, kind=kind).select_related("phase").first()
    if module is None:
        raise Refused(_("No such module."))
    return module


def _survey_question(request, desk, project) -> str:
    data = _cleaned(forms.SurveyQuestionForm(request.POST))
    module = _module_of(project, data.pop("module"), survey_services.KIND)
    options = [line.strip() for line in data.pop("options").splitlines() if line.strip()]
    survey_services.question_add(module=module, actor=desk.user, options=options, **data)
    return _("The question was added to the survey.")


def _draft(request, desk, project) -> str:
    data = _cleaned(forms.DraftForm(request.POST))
    module = _module_of(project, data["module"], text_services.KIND)
    paragraphs = text_services.draft_set(module=module, actor=desk.user, text=data["text"])
    return _("The draft was published: %(n)d paragraphs.") % {"n": len(paragraphs)}


def _module_delete(request, desk, project) -> str:
    from gorod.consultations.models import Module

    module = Module.objects.filter(phase__project=project, pk=_pk(request)).select_related("phase").first()
    if module is None:
        raise Refused(_("No such module."))
    services.module_delete(module=module)
    return _("The module was removed.")


def _update(request, desk, project) -> str:
    data = _cleaned(forms.UpdateForm(request.POST))
    services.update_publish(project=project, author=desk.user, **data)
    return _("The update was published and is on its way to the followers.")


def _document_add(request, desk, project) -> str:
    limit = getattr(request, "document_limit", None)
    if limit is not None and limit.too_big:
        raise Refused(_("The file is larger than %(mb)d MB.") % {"mb": documents.max_bytes() >> 20})
    data = _cleaned(forms.DocumentForm(request.POST, request.FILES))
    upload = data["pdf"]
    services.document_add(project=project, title=data["title"], data=upload.read())
    return _("The document was added.")


def _document_delete(request, desk, project) -> str:
    document = project.documents.filter(pk=_pk(request)).first()
    if document is None:
        raise Refused(_("No such document."))
    services.document_delete(document=document)
    return _("The document was removed.")


def _event_add(request, desk, project) -> str:
    data = _cleaned(forms.EventForm(request.POST))
    services.event_add(project=project, **data)
    return _("The event was added.")


def _event_delete(request, desk, project) -> str:
    event = project.events.filter(pk=_pk(request)).first()
    if event is None:
        raise Refused(_("No such event."))
    services.event_delete(event=event)
    return _("The event was removed.")


def _final(request, desk, project) -> str:
    data = _cleaned(forms.FinalReportForm(request.POST))
    first = project.final_report_published is None
    services.final_report_publish(project=project, text=data["final_report"], actor=desk.user)
    if first:
        return _("The final report was published; followers and participants are being told.")
    return _("The final report was corrected (nobody is mailed twice).")


def _pk(request) -> int:
    value = (request.POST.get("pk") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else 0


ACTIONS: dict[str, Callable[..., str]] = {
    "edit": _edit,
    "phase-add": _phase_add,
    "phase-delete": _phase_delete,
    "module-add": _module_add,
    "module-delete": _module_delete,
    "survey-question": _survey_question,
    "draft": _draft,
    "update": _update,
    "document-add": _document_add,
    "document-delete": _document_delete,
    "event-add": _event_add,
    "event-delete": _event_delete,
    "final-report": _final,
}


@csrf_exempt
@require_POST
def project_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """The document limit must be in place before anything reads the body, and the CSRF check reads it;
    so the check runs after it, in _project_action."""
    if action == "document-add":
        limit = documents.DocumentLimit(request)
        request.upload_handlers.insert(0, limit)
        request.document_limit = limit  # type: ignore[attr-defined]
        try:
            request.POST  # noqa: B018 - parse now, under our handler
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
            limit.too_big = True
    return _project_action(request, slug, action)


@csrf_protect
@staff_view
def _project_action(request: HttpRequest, desk: Desk, slug: str, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(_("No such action."))
    if not _may_manage(desk.user):
        log_refusal(request, f"project_{action}", None, "permission")
        raise PermissionDenied
    project = _project(desk, slug)
    try:
        messages.success(request, handler(request, desk, project))
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect(reverse("backoffice:project-manage", args=[project.slug]) + f"#{action.split('-')[0]}")
