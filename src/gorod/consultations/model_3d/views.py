"""Pages of the 3D dialogue: the module (viewer, before/after, the comments as a text list with reply
forms), its model files, pinning and replying, and the staff page to upload the models. Views parse, call
one service or selector, and go back to the page with a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.consultations.errors import Refused
from gorod.consultations.model_3d import selectors, services
from gorod.consultations.model_3d.models import Variant
from gorod.consultations.phases import Action
from gorod.consultations.views.common import with_city
from gorod.consultations.views.contribution import act, module_or_404, refusal_for
from gorod.core import ratelimit

KIND = services.KIND


@require_GET
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    scenes = selectors.scene_models(module)
    variants = [
        {"key": key, "label": label, "url": reverse("consultations:model3d-file", args=[slug, pk, key])
         + f"?v={scenes[key].sha256[:12]}"}
        for key, label in Variant.choices
        if key in scenes
    ]  # fmt: skip
    return render(
        request,
        "consultations/model_3d/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "variants": variants,
            "start_variant": Variant.AFTER if Variant.AFTER in scenes else Variant.BEFORE,
            "pins": selectors.module_pins(module, user=request.user, scenes=scenes),
            "comment_refusal": refusal_for(request, module, Action.COMMENT),
            "may_moderate": request.user.has_perm("consultations.moderate"),
            "may_manage": request.user.has_perm("consultations.manage"),
            "model_viewer": settings.GOROD_MODEL_VIEWER,
        },
    )


@require_GET
@with_city
def model_file(request: HttpRequest, city, slug: str, pk: int, variant: str) -> HttpResponseBase:
    """The stored GLB, only for who may see the module (published, or staff)."""
    module = module_or_404(request, city, slug, pk, KIND)
    scene = selectors.scene_models(module).get(variant)
    if scene is None:
        raise Http404(_("No such model."))
    path = services.model_path(scene.name)
    if not path.is_file():
        raise Http404(_("No such model."))
    response = FileResponse(path.open("rb"), content_type="model/gltf-binary")
    response["Content-Length"] = str(scene.size_bytes)
    # The URL carries the file's hash, so a new upload is a new URL.
    response["Cache-Control"] = "max-age=86400"
    return response


@require_POST
@ratelimit.per_client("contribution")
@with_city
def pin(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    post = request.POST
    return act(
        request,
        module,
        lambda: services.pin_add(
            module=module,
            user=request.user,
            variant=post.get("variant", ""),
            text=post.get("text", ""),
            position=post.get("position", ""),
            normal=post.get("normal", ""),
            orbit=post.get("orbit", ""),
            target=post.get("target", ""),
            fov=post.get("fov", ""),
        ),
        _("Your comment is pinned on the model."),
        "pins",
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def reply(request: HttpRequest, city, slug: str, pk: int, pin_id: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    found = selectors.pin_of(module, pin_id)
    if found is None:
        raise Http404(_("No such comment."))
    found.module = module
    return act(
        request,
        module,
        lambda: services.reply_add(pin=found, user=request.user, text=request.POST.get("text", "")),
        _("Your reply is published."),
        f"model_pin-{found.pk}",
    )


@require_http_methods(["GET", "POST"])
@with_city
def staff_page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    if not request.user.has_perm("consultations.manage"):
        raise PermissionDenied
    module = module_or_404(request, city, slug, pk, KIND)
    error = ""
    scenes = selectors.scene_models(module)
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None and (upload.size or 0) > services.MAX_MODEL_BYTES:
                raise Refused(
                    _("The file is larger than %(mb)d MB.") % {"mb": services.MAX_MODEL_BYTES // 2**20}
                )
            services.model_upload(
                module=module,
                variant=request.POST.get("variant", ""),
                data=upload.read() if upload is not None else b"",
                actor=request.user,
            )
        except Refused as exc:
            error = exc.message
        else:
            messages.success(request, _("The model is checked and published."))
            return redirect(reverse("consultations:model3d-staff", args=[slug, pk]))
    return render(
        request,
        "consultations/model_3d/staff.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "rows": [(label, scenes.get(key)) for key, label in Variant.choices],
            "variants": Variant.choices,
            "max_mb": services.MAX_MODEL_BYTES // 2**20,
            "error": error,
        },
        status=400 if error else 200,
    )
