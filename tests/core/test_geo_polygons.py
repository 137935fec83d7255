"""core.geo.PolygonIndex: which of some polygons holds a point, on plain shapes (no database)."""

from __future__ import annotations

from shapely.geometry import box

from gorod.core import geo


def test_a_point_is_found_in_its_polygon_and_outside_all_gives_none():
    index = geo.PolygonIndex([box(30.2, 59.95, 30.4, 60.05), box(30.2, 59.85, 30.4, 59.95)], [7, 9])
    assert index.find(60.0, 30.3) == 7  # lat, lon
    assert index.find(59.9, 30.3) == 9
    assert index.find(61.0, 30.3) is None


def test_an_empty_index_finds_nothing():
    assert geo.PolygonIndex([], []).find(60.0, 30.3) is None


def test_geojson_features_and_bare_geometries_give_the_same_shape():
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    feature = {"type": "Feature", "properties": {}, "geometry": polygon}
    assert geo.geometry_from_geojson(feature).equals(geo.geometry_from_geojson(polygon))
