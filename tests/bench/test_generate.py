"""bench/generate.py: the generated city stays inside its districts whatever the end date (issue 10, item 7:
`make bench` once aborted with "row 147512: (59.942101, 30.197899) is outside the city")."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from bench import generate


def test_points_are_inside_after_rounding_to_what_reports_keep():
    # A sliver a few stored units wide: most points drawn inside round across its long edge.
    sliver = Polygon([(30.0, 59.9), (30.1, 59.9), (30.1, 59.900004)])
    lat, lon = generate._points_in(sliver, 3000, np.random.default_rng(7))
    assert len(lat) == 3000
    assert np.array_equal(lat, np.round(lat, generate.COORD_DECIMALS))
    assert np.array_equal(lon, np.round(lon, generate.COORD_DECIMALS))
    assert shapely.intersects_xy(sliver, lon, lat).all()


def test_the_reported_point_lies_on_a_boundary():
    """Why rounding mattered: the refused point sits on Vasileostrovsky's edge to float precision."""
    import yaml

    from gorod.core import geo
    from gorod.demo.city import SPB_FILE

    data = yaml.safe_load(SPB_FILE.read_text())
    vo = next(d for d in data["districts"] if d["slug"] == "vasileostrovsky")
    shape = geo.geometry_from_geojson(vo["boundary"])
    assert shape.boundary.distance(shapely.Point(30.197899, 59.942101)) < 1e-9


@pytest.fixture
def spb(db):
    from gorod.city.districts import invalidate_districts
    from gorod.city.services import city_import_file
    from gorod.demo.city import SPB_FILE

    muni = city_import_file(SPB_FILE)
    invalidate_districts()
    return muni


@pytest.mark.parametrize(
    "anchor",
    ["2026-12-06T00:00:00+00:00", "2026-12-06T15:00:00+00:00", "2025-02-28T23:00:00+00:00", "2027-07-01"],
)
def test_every_generated_point_is_in_a_district_on_any_day(spb, anchor):
    from gorod.city.districts import district_at

    end = generate.parse_anchor(anchor)
    d = generate.draw(spb, 20_000, 1, end)
    outside = [
        (a, b)
        for a, b in zip(d.lat.tolist(), d.lon.tolist(), strict=True)
        if district_at(spb.pk, a, b) is None
    ]
    assert outside == []
    assert d.created.max() < end.timestamp() * 1_000_000


def test_the_same_anchor_gives_the_same_data(spb):
    end = generate.parse_anchor("2026-12-06")
    a, b = generate.draw(spb, 2000, 1, end), generate.draw(spb, 2000, 1, end)
    assert (
        np.array_equal(a.lat, b.lat) and np.array_equal(a.cat, b.cat) and np.array_equal(a.created, b.created)
    )


def test_anchor_parsing():
    assert generate.parse_anchor("2026-12-06") == dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    with pytest.raises(Exception, match="not an ISO"):
        generate.parse_anchor("yesterday")
