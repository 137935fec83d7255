"""Ballots, ideas and support are limited per client (the per-identifier throttles of the census are the
ballot box's own)."""

from __future__ import annotations

import pytest

from tests.helpers import post_past_the_limit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_ballots_are_limited_per_client(client, write_limits, make_process):
    process = make_process()
    post_past_the_limit(client, f"/pb/{process.slug}/vote/city/", "ballot", {"identifier": "N-1"})


def test_ideas_and_support_are_limited_per_client(client, write_limits, make_process, citizen):
    process = make_process(phase="ideas")
    client.force_login(citizen)
    post_past_the_limit(client, f"/pb/{process.slug}/ideas/new/", "idea")
    post_past_the_limit(client, f"/pb/{process.slug}/ideas/1/support/", "idea_support")
