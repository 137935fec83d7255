"""The pages listing a resident's follows and alerts load in a fixed number of queries, the same with 2
of each as with 20 (20 is also the most alerts one account may have)."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.notifications import services
from gorod.reports.services import report_create
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.django_db
SIGNED_IN = 2  # the session and the user


@pytest.fixture
def follows_and_alerts(city, file_report, new_report, make_user, frozen_spring):
    """(a signed-in client, add(k)): add(k) makes its user file k more reports, follow k more and set
    k more alerts, every other one a district's."""
    user = make_user()
    client = Client()
    client.force_login(user)
    districts = list(city.districts.all())

    def add(k):
        for i in range(k):
            report_create(municipality=city, data=new_report(photos=[]), author=user)
            services.follow_user(report=file_report(photos=[], fan_out=False), user=user)
            if i % 2:
                services.alert_create(
                    user=user, municipality=city, frequency="daily", district=districts[i % len(districts)]
                )
            else:
                services.alert_create(
                    user=user, municipality=city, frequency="immediate", lat=60.0, lon=30.3, radius_m=300
                )

    return client, add


def test_my_follows_and_alerts(follows_and_alerts):
    client, add = follows_and_alerts
    # the city, the follows with their reports, the alerts with their districts, the form's districts
    assert_pinned(SIGNED_IN + 4, growing(add, get(client, "/notifications/")))


def test_the_account_page_lists_them_too(follows_and_alerts):
    client, add = follows_and_alerts
    # the resident's own reports (a count and a page), the follows, the alerts, the consents, the
    # host's municipality for the header's colours and logo (a page without a city of its own), and
    # the resident's own stories (info)
    assert_pinned(SIGNED_IN + 7, growing(add, get(client, "/account/")))
