"""The ballot, the receipt (shown once) and the receipt check, and the identity provider's sign-in.

Nothing about the voter goes into a URL or the log: the receipt code travels in the session from the
ballot to the receipt page and is removed from it when shown."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gorod.budgeting import ballot_kinds, keys, selectors
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility import oidc as oidc_plugin
from gorod.budgeting.errors import Refused
from gorod.budgeting.forms import ReceiptForm
from gorod.budgeting.models import Process
from gorod.budgeting.services import ballot_cast
from gorod.budgeting.services.voting import voting_window_error
from gorod.budgeting.views.common import base_context, process_or_404, scope_key, scope_or_404
from gorod.core import ratelimit

SESSION_RECEIPT = "pb_receipt"


def _oidc_claims(request: HttpRequest, process: Process) -> dict | None:
    return request.session.get(oidc_plugin.SESSION_CLAIMS, {}).get(str(process.pk))


@require_GET
def vote_index(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    budgets = list(process.budgets.all())
    if len(budgets) == 1:
        return redirect("budgeting:ballot", slug=process.slug, scope=scope_key(budgets[0]))
    context = base_context(
        request, process, scopes=[(b, scope_key(b)) for b in budgets], closed=voting_window_error(process)
    )
    return render(request, "budgeting/vote_index.html", context)


@never_cache
@ratelimit.per_client("ballot")
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, slug: str, scope: str) -> HttpResponse:
    process = process_or_404(slug)
    budget = scope_or_404(process, scope)
    projects = selectors.ballot_projects(process, budget.district)
    codes = [p.code for p in projects]
    error = ""
    shown: dict = {}
    status = 200
    if request.method == "POST":
        posted = ballot_kinds.of(process).parse(request.POST, codes=codes, process=process)
        shown = posted.shown
        credentials = Credentials(
            user=request.user,
            identifier=request.POST.get("identifier", "")[:200],
            code=request.POST.get("code", "")[:64],
            oidc=_oidc_claims(request, process),
        )
        try:
            cast = ballot_cast(
                process=process,
                credentials=credentials,
                district=budget.district,
                choices=posted.choices,
                points=posted.points,
            )
        except Refused as exc:
            error, status = str(exc), 400
        else:
            receipts = request.session.get(SESSION_RECEIPT, {})
            receipts[str(process.pk)] = {"code": cast.receipt, "replaced": cast.replaced, "scope": scope}
            request.session[SESSION_RECEIPT] = receipts
            return redirect("budgeting:receipt", slug=process.slug)
    ranks = shown.get("ranks", {})
    context = base_context(
        request,
        process,
        budget=budget,
        scope=scope,
        projects=projects,
        closed=voting_window_error(process),
        error=error,
        chosen=shown.get("chosen", set()),
        points=shown.get("points", {}),
        rank_rows=[(i, ranks.get(i, "")) for i in range(1, min(process.ranked_length, len(projects)) + 1)],
        oidc_claims=_oidc_claims(request, process),
        project_costs={p.code: p.cost for p in projects},
    )
    return render(request, "budgeting/ballot.html", context, status=status)


@never_cache
@require_GET
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    receipts = request.session.get(SESSION_RECEIPT, {})
    shown = receipts.pop(str(process.pk), None)
    request.session[SESSION_RECEIPT] = receipts
    if shown is None:
        messages.info(request, _("Your receipt was shown once, after you voted. You can check it here."))
        return redirect("budgeting:receipt-check", slug=process.slug)
    return render(request, "budgeting/receipt.html", base_context(request, process, shown=shown))


@require_http_methods(["GET", "POST"])
def receipt_check(request: HttpRequest, slug: str) -> HttpResponse:
    """POST, so the code never lands in a URL, a log or the browser history."""
    process = process_or_404(slug)
    form = ReceiptForm(request.POST or None)
    state = ""
    if request.method == "POST" and form.is_valid():
        state = selectors.receipt_state(process, keys.receipt_hash(form.cleaned_data["receipt"]))
    context = base_context(
        request, process, form=form, state=state, n_counted=selectors.counted_receipts(process).count()
    )
    return render(request, "budgeting/receipt_check.html", context)


@require_GET
def receipt_list(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every counted ballot's receipt hash, sorted: a voter finds sha256(their code) in it."""
    process = process_or_404(slug)
    rows = (f"{h}\n" for h in selectors.counted_receipts(process).iterator(chunk_size=5000))
    response = StreamingHttpResponse(rows, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-receipts.txt"'
    return response


@require_GET
def oidc_start(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    if not process.allow_oidc:
        messages.error(request, _("This process does not use the identity provider."))
        return redirect("budgeting:vote", slug=process.slug)
    try:
        url = oidc_plugin.begin(
            request.session, process, request.build_absolute_uri(reverse("budgeting:oidc-callback"))
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("budgeting:vote", slug=process.slug)
    return redirect(url)


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")[:200]
    code = request.GET.get("code", "")[:2000]
    try:
        process_pk = oidc_plugin.finish(request.session, state=state, code=code)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("budgeting:list")
    process = Process.objects.filter(pk=process_pk).first()
    if process is None:
        return redirect("budgeting:list")
    messages.success(request, _("The identity provider confirmed you. You can vote now."))
    return redirect("budgeting:vote", slug=process.slug)
