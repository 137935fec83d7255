"""django-csp's middleware with the policy text kept: every answer that used no nonce and whose view asked
for no policy of its own (csp.decorators) carries the same header, built from the settings once per
process instead of once per answer.

Why (issue 10, docs/decisions.md "Lean requests"): building the two policies (the enforced one and the
report-only one) copied the settings' directives through dataclasses.asdict and sorted them again for
every answer, about 0.08 ms — a thirtieth of what the raw floor spends on a whole Open311 list of 100.
Anything unusual (DEBUG, a nonce, a per-view policy or exemption, excluded URL prefixes) still goes the
way django-csp goes; a changed setting (tests) forgets the kept text."""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What csp.decorators put on an answer whose view wants a policy of its own, or none.
_PER_VIEW = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
    "_csp_exempt", "_csp_exempt_ro",
)  # fmt: skip
_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
_kept: dict[str, tuple[tuple[str, str], ...] | None] = {}


def kept_policies() -> tuple[tuple[str, str], ...] | None:
    """(header, policy) of each policy the settings define, as django-csp builds them without a nonce;
    None when a policy excludes URL prefixes (left to django-csp, which checks them per request)."""
    if "policies" not in _kept:
        policies = [getattr(settings, name, None) or {} for name in _SETTINGS]
        excluded = any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)
        built = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
        _kept["policies"] = None if excluded else tuple((header, text) for header, text in built if text)
    return _kept["policies"]


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in _SETTINGS or setting == "DEBUG":
        _kept.clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policies = kept_policies()
        if (
            settings.DEBUG
            or policies is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_VIEW)
        ):
            return super().process_response(request, response)
        for header, text in policies:
            if header not in response:
                response[header] = text
        # As django-csp does: a nonce asked for once the header is written is an error, not a page whose
        # scripts the browser silently refuses.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
