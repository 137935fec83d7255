"""The CSP header with the policy text kept (core.csp_middleware): the same header django-csp builds, a
nonce or a view's own policy still honoured, a changed setting used at once."""

from __future__ import annotations

import pytest
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse

from gorod.core.csp_middleware import CSPMiddleware

pytestmark = pytest.mark.django_db


def answer(rf, view=None, path: str = "/healthz"):
    request = rf.get(path)
    middleware = CSPMiddleware(view or (lambda request: HttpResponse("ok")))
    return request, middleware(request)


def test_an_answer_without_a_nonce_gets_the_policy_django_csp_builds(client, rf):
    _, response = answer(rf)
    assert response["Content-Security-Policy"] == build_policy()
    assert client.get("/healthz")["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response  # none configured


def test_a_nonce_used_by_the_answer_is_in_its_policy(rf):
    seen = {}

    def view(request):
        seen["nonce"] = str(request.csp_nonce)
        return HttpResponse("<script nonce>")

    _, response = answer(rf, view)
    assert f"'nonce-{seen['nonce']}'" in response["Content-Security-Policy"]
    _, plain = answer(rf)
    assert "nonce" not in plain["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(rf):
    request, _ = answer(rf)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_view_with_a_policy_of_its_own_keeps_it(rf):
    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://maps.example.org"]}  # as @csp_update does
        return response

    _, response = answer(rf, view)
    assert "https://maps.example.org" in response["Content-Security-Policy"]
    _, plain = answer(rf)
    assert "https://maps.example.org" not in plain["Content-Security-Policy"]


def test_an_exempt_view_gets_no_policy_and_a_set_header_is_left_alone(rf):
    def exempt(request):
        response = HttpResponse("ok")
        response._csp_exempt = True  # as @csp_exempt does
        return response

    _, response = answer(rf, exempt)
    assert "Content-Security-Policy" not in response

    def own(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    _, response = answer(rf, own)
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_changed_policy_setting_is_used_at_once(rf, settings):
    answer(rf)  # the settings' policy is kept
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert answer(rf)[1]["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
        "DIRECTIVES": {"default-src": ["'none'"]},
    }
    assert "Content-Security-Policy" not in answer(rf)[1]
    assert answer(rf, path="/open311/v2/services.json")[1]["Content-Security-Policy"] == "default-src 'none'"
