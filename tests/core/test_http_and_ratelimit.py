"""The client address behind proxies, and the rate limiter's windows, scopes and 429 answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from gorod.core import clock, ratelimit
from gorod.core.http import client_ip

START = dt.datetime(2026, 5, 13, 10, 0, 5, tzinfo=dt.UTC)


def _request(remote="10.0.0.1", forwarded=None, method="get"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return getattr(RequestFactory(), method)("/", **meta)


def test_forwarded_header_is_ignored_without_trusted_proxies(settings):
    settings.GOROD_TRUSTED_PROXIES = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.GOROD_TRUSTED_PROXIES = 1
    # The client wrote "6.6.6.6" itself; nginx appended the real peer 5.5.5.5.
    assert client_ip(_request(forwarded="6.6.6.6, 5.5.5.5")) == "5.5.5.5"


def test_two_trusted_proxies_skip_the_inner_one(settings):
    settings.GOROD_TRUSTED_PROXIES = 2
    assert client_ip(_request(forwarded="6.6.6.6, 5.5.5.5, 172.16.0.9")) == "5.5.5.5"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "5.5.5.5"])
def test_a_short_or_bad_forwarded_chain_falls_back_to_the_socket(settings, forwarded):
    settings.GOROD_TRUSTED_PROXIES = 2 if forwarded == "5.5.5.5" else 1
    assert client_ip(_request(forwarded=forwarded)) == "10.0.0.1"


@pytest.mark.parametrize(
    "spec,count,window", [("10/10m", 10, 600), ("100/h", 100, 3600), ("5/30s", 5, 30), ("1/d", 1, 86400)]
)
def test_limits_parse(spec, count, window):
    assert ratelimit.parse(spec) == ratelimit.Limit(count, window)


@pytest.mark.parametrize("spec", ["", "10", "0/m", "ten/m", "5/3w", "-1/h"])
def test_bad_limits_are_refused(spec):
    with pytest.raises(ValueError):
        ratelimit.parse(spec)


@pytest.fixture
def limits(settings):
    settings.GOROD_RATE_LIMITS_ENABLED = True
    settings.GOROD_RATE_LIMITS = {"thing": "3/m"}
    return settings


def test_hits_beyond_the_limit_are_refused_until_the_window_ends(limits):
    with clock.frozen(START):
        for _ in range(3):
            ratelimit.hit("thing", "a")
        with pytest.raises(ratelimit.RateLimited) as refused:
            ratelimit.hit("thing", "a")
        assert refused.value.retry_after == 55  # the window started at 10:00:00
        ratelimit.hit("thing", "b")  # another key has its own count
    with clock.frozen(START + dt.timedelta(seconds=55)):
        ratelimit.hit("thing", "a")  # a new window


def test_check_counts_nothing(limits):
    with clock.frozen(START):
        for _ in range(10):
            ratelimit.check("thing", "a")
        for _ in range(3):
            ratelimit.hit("thing", "a")
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.check("thing", "a")


def test_unknown_scopes_and_disabled_limits_limit_nothing(limits):
    with clock.frozen(START):
        for _ in range(10):
            ratelimit.hit("other", "a")
        limits.GOROD_RATE_LIMITS_ENABLED = False
        for _ in range(10):
            ratelimit.hit("thing", "a")


def test_the_cache_never_sees_the_key_in_clear(limits):
    from django.core.cache import cache

    with clock.frozen(START):
        ratelimit.hit("thing", "203.0.113.7")
    assert not [k for k in cache._cache if "203.0.113.7" in k]  # locmem's store


def test_the_decorator_answers_429_with_retry_after_in_the_request_language(limits, db):
    @ratelimit.per_client("thing")
    def view(request):
        return HttpResponse("ok")

    with clock.frozen(START), translation.override("ru"):
        assert [view(_request(method="post")).status_code for _ in range(3)] == [200] * 3
        assert view(_request(method="get")).status_code == 200  # reads are not counted
        answer = view(_request(method="post"))
        assert view(_request(remote="10.0.0.2", method="post")).status_code == 200
    assert answer.status_code == 429
    assert answer["Retry-After"] == "55"
    with translation.override("en"), clock.frozen(START):
        english = view(_request(method="post")).content.decode()
    assert "Слишком много запросов" in answer.content.decode()
    assert "try again in 1 minute." in english
