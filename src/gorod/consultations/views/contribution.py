"""What the contribution modules' pages share: the module from the URL, the outcome of a write as a
message, and flagging and hiding any contribution (question, answer, idea, comment, paragraph comment,
map contribution)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.consultations import access, contributions
from gorod.consultations.errors import Refused
from gorod.consultations.ideas import selectors as idea_selectors
from gorod.consultations.map_feedback import selectors as map_selectors
from gorod.consultations.model_3d import selectors as model_3d_selectors
from gorod.consultations.models import Module
from gorod.consultations.opinion_groups import selectors as opinion_selectors
from gorod.consultations.phases import Action
from gorod.consultations.questions import selectors as question_selectors
from gorod.consultations.room import gate as room_gate
from gorod.consultations.room import selectors as room_selectors
from gorod.consultations.text_review import selectors as text_selectors
from gorod.consultations.views.common import with_city
from gorod.core import ratelimit

PAGE_NAMES = {
    "questions": "consultations:questions",
    "idea_wall": "consultations:ideas",
    "survey": "consultations:survey",
    "text_review": "consultations:text-review",
    "map_feedback": "consultations:map",
    "opinion_groups": "consultations:opinions",
    "model_3d": "consultations:model3d",
    "room": "consultations:room",
}

# target → how to find it in a module
FINDERS: dict[str, Callable] = {
    "question": question_selectors.question_of,
    "answer": question_selectors.answer_of,
    "idea": idea_selectors.idea_of,
    "comment": idea_selectors.comment_of,
    "paragraph_comment": text_selectors.comment_of,
    "map_contribution": map_selectors.contribution_of,
    "statement": opinion_selectors.statement_of,
    "model_pin": model_3d_selectors.pin_of,
    "model_reply": model_3d_selectors.reply_of,
    "pin": room_selectors.pin_of,
    "pin_reply": room_selectors.reply_of,
}

# Kinds that narrow who may read a module beyond the project's rules (an invite-only room): the shared
# flag view must not let anyone else reach its items by guessing their ids.
READ_GATES: dict[str, Callable] = {"room": room_gate.refusal}

# Where a kind's item is on its page, when not at "<target>-<id>" (the map's list predates the rule).
ANCHORS = {"map_contribution": "c{pk}"}


def anchor_of(target: str, pk: int) -> str:
    return ANCHORS.get(target, f"{target}-{{pk}}").format(pk=pk)


def module_or_404(request: HttpRequest, city, slug: str, pk: int, kind: str | None = None) -> Module:
    modules = Module.objects.select_related("phase__project").filter(
        pk=pk, phase__project__municipality=city, phase__project__slug=slug
    )
    if kind:
        modules = modules.filter(kind=kind)
    if not request.user.has_perm("consultations.view_staff"):
        modules = modules.filter(phase__project__published=True)
    module = modules.first()
    if module is None:
        raise Http404(_("No such part of the project."))
    return module


def page_url(module: Module, anchor: str = "") -> str:
    url = reverse(PAGE_NAMES[module.kind], args=[module.phase.project.slug, module.pk])
    return f"{url}#{anchor}" if anchor else url


def act(request: HttpRequest, module: Module, write: Callable[[], object], done: str, anchor: str = ""):
    """Run one service call; its refusal becomes an error message. Back to the module page either way."""
    try:
        write()
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(page_url(module, anchor))


def refusal_for(request: HttpRequest, module: Module, action: str) -> str | None:
    return access.refusal(request.user, module, action)


def _target(module: Module, target: str, pk: int):
    finder = FINDERS.get(target)
    item = finder(module, pk) if finder else None
    if item is None:
        raise Http404(_("No such contribution."))
    return item


@require_POST
@ratelimit.per_client("contribution_vote")
@with_city
def flag_view(request: HttpRequest, city, slug: str, pk: int, target: str, item: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk)
    gate = READ_GATES.get(module.kind)
    if gate is not None and gate(request.user, module, Action.READ) is not None:
        raise Http404(_("No such contribution."))
    obj = _target(module, target, item)
    return act(
        request,
        module,
        lambda: contributions.flag_add(
            module=module, target=target, item=obj, user=request.user, reason=request.POST.get("reason", "")
        ),
        _("Thank you: a moderator will look at it."),
        anchor_of(target, obj.pk),
    )


@require_POST
@with_city
def moderate_view(request: HttpRequest, city, slug: str, pk: int, target: str, item: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk)
    obj = _target(module, target, item)
    if request.POST.get("show"):

        def write() -> None:
            contributions.show(item=obj, actor=request.user)

        done = _("Shown again.")
    else:

        def write() -> None:
            contributions.hide(item=obj, reason=request.POST.get("reason", ""), actor=request.user)

        done = _("Hidden; the reason is shown in its place.")
    return act(request, module, write, done, anchor_of(target, obj.pk))
