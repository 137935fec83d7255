"""The vectorised H3 parent (geo.parents_np) must agree with the h3 library everywhere, and the zoom →
resolution mapping must stay within what the index stores."""

import random

import h3
import numpy as np
import pytest

from gorod.core import geo


def _random_cells(resolution: int, n: int, rng: random.Random) -> list[str]:
    cells = {h3.latlng_to_cell(rng.uniform(-90, 90), rng.uniform(-180, 180), resolution) for _ in range(n)}
    # Pentagons (and their descendants) skip a digit: the bit trick must not care.
    for pentagon in h3.get_pentagons(0)[:4]:
        cells.add(h3.cell_to_center_child(pentagon, resolution))
    return sorted(cells)


@pytest.mark.parametrize("cell_resolution", range(16))
def test_parents_np_equals_h3_cell_to_parent_at_every_resolution(cell_resolution):
    rng = random.Random(cell_resolution)
    cells = _random_cells(cell_resolution, 300, rng)
    as_int = np.array([h3.str_to_int(c) for c in cells], dtype=np.int64)
    for parent_resolution in range(cell_resolution + 1):
        got = geo.parents_np(as_int, parent_resolution)
        expected = [h3.str_to_int(h3.cell_to_parent(c, parent_resolution)) for c in cells]
        assert got.tolist() == expected, (cell_resolution, parent_resolution)


def test_parents_np_of_stored_cells_in_the_city():
    rng = random.Random(7)
    points = [(rng.uniform(59.6, 60.2), rng.uniform(29.4, 30.8)) for _ in range(2000)]
    cells = np.array([geo.cell_of(lat, lon) for lat, lon in points], dtype=np.int64)
    assert all(h3.get_resolution(h3.int_to_str(int(c))) == geo.STORE_RESOLUTION for c in cells[:10])
    for r in range(geo.STORE_RESOLUTION + 1):
        expected = [h3.str_to_int(h3.cell_to_parent(h3.int_to_str(int(c)), r)) for c in cells]
        assert geo.parents_np(cells, r).tolist() == expected


def test_parents_np_keeps_children_of_one_parent_contiguous_in_sorted_order():
    # What clustering relies on: in h3 order, one parent's children form a single run.
    rng = random.Random(3)
    cells = np.sort(
        np.array([geo.cell_of(rng.uniform(59.8, 60.1), rng.uniform(30.0, 30.6)) for _ in range(5000)])
    )
    for r in range(geo.STORE_RESOLUTION + 1):
        parents = geo.parents_np(cells, r)
        runs = parents[np.concatenate(([0], np.flatnonzero(np.diff(parents)) + 1))]
        assert len(runs) == len(set(runs.tolist()))


def test_parents_np_of_an_empty_array_is_empty():
    assert geo.parents_np(np.empty(0, dtype=np.int64), 5).shape == (0,)


@pytest.mark.parametrize("zoom", range(0, 23))
def test_zoom_maps_to_a_stored_or_coarser_resolution(zoom):
    r = geo.zoom_to_resolution(zoom)
    assert 0 <= r <= geo.STORE_RESOLUTION


def test_resolution_never_decreases_as_the_map_zooms_in():
    resolutions = [geo.zoom_to_resolution(z) for z in range(1, 20)]
    assert resolutions == sorted(resolutions)
    assert resolutions[-1] == geo.STORE_RESOLUTION
