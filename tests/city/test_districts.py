"""city.districts: the district of a point, from the municipality's polygons in the database."""

from __future__ import annotations

import pytest

from gorod.city.districts import district_at, invalidate_districts
from gorod.city.models import District

pytestmark = pytest.mark.django_db


def test_a_point_is_in_its_district_and_outside_the_city_in_none(city):
    north = District.objects.get(municipality=city, slug="north")
    south = District.objects.get(municipality=city, slug="south")
    assert district_at(city.pk, 60.0, 30.3) == north.pk
    assert district_at(city.pk, 59.9, 30.3) == south.pk
    assert district_at(city.pk, 55.75, 37.6) is None


def test_a_municipality_without_districts_has_none(city):
    District.objects.filter(municipality=city).delete()
    invalidate_districts()
    assert district_at(city.pk, 60.0, 30.3) is None


def test_the_index_is_kept_until_invalidated(city, django_assert_num_queries):
    district_at(city.pk, 60.0, 30.3)
    with django_assert_num_queries(0):
        district_at(city.pk, 59.9, 30.3)
    District.objects.filter(municipality=city, slug="north").update(
        boundary={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    )
    assert district_at(city.pk, 60.0, 30.3) is not None  # still the cached polygons
    invalidate_districts()
    assert district_at(city.pk, 60.0, 30.3) is None
