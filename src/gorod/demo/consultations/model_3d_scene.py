"""The demo's 3D models, made here from building footprints and heights, never downloaded: a block of
existing buildings ("before") and the same block with the proposed building ("after").

Footprints are shapely polygons in longitude/latitude around a point (a demo project's area), projected to
metres around that point and extruded with trimesh. glTF is Y-up with metres as units; the scene is laid
out with +X to the east and -Z to the north, the convention consultations.model_3d.anchors reads."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
import trimesh
from shapely.geometry import Polygon, box

METRES_PER_DEGREE = 111_320.0
GROUND_MARGIN_M = 25.0
# Node names: consultations.model_3d.anchors calls a node present in "after" but not in "before" the
# proposed building; the others are existing buildings or, for GROUND, the ground.
GROUND = "ground"
PROPOSED = "proposed-building"

EXISTING_GREY = (128, 134, 148, 255)
PROPOSED_ORANGE = (224, 106, 20, 255)
GROUND_GREEN = (112, 150, 100, 255)


@dataclass(frozen=True)
class Building:
    name: str
    footprint: Polygon  # lon/lat
    height_m: float


def _offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
        lat + north_m / METRES_PER_DEGREE,
    )


def _rect(lon: float, lat: float, west: float, south: float, east: float, north: float) -> Polygon:
    """A footprint given by its edges in metres from (lon, lat)."""
    return Polygon(
        [
            _offset(lon, lat, west, south),
            _offset(lon, lat, east, south),
            _offset(lon, lat, east, north),
            _offset(lon, lat, west, north),
        ]
    )


def block_around(lon: float, lat: float) -> tuple[list[Building], Building]:
    """A city block: a courtyard ring of existing houses, and an L-shaped tower proposed in the gap."""
    existing = [
        Building("house-north", _rect(lon, lat, -40, 22, 40, 36), 18.0),
        Building("house-west", _rect(lon, lat, -40, -36, -26, 22), 15.0),
        Building("house-south", _rect(lon, lat, -40, -36, 10, -22), 21.0),
        Building("school", _rect(lon, lat, 14, -4, 40, 14), 9.0),
    ]
    proposed_shape = _rect(lon, lat, 14, -36, 40, -22).union(_rect(lon, lat, 26, -22, 40, -8))
    proposed = Building(PROPOSED, Polygon(proposed_shape.exterior), 48.0)
    return existing, proposed


def _to_metres(lon: float, lat: float):
    scale_x = METRES_PER_DEGREE * math.cos(math.radians(lat))

    def project(points: np.ndarray) -> np.ndarray:
        return (points - (lon, lat)) * (scale_x, METRES_PER_DEGREE)

    return project


def _coloured(mesh: trimesh.Trimesh, rgba: tuple[int, int, int, int]) -> trimesh.Trimesh:
    # A material colour, not per-face colours: one colour per building, and trimesh's face-to-vertex colour
    # conversion would need scipy.
    material = trimesh.visual.material.PBRMaterial(
        baseColorFactor=rgba, metallicFactor=0.0, roughnessFactor=0.9
    )
    mesh.visual = trimesh.visual.TextureVisuals(material=material)
    return mesh


def scene_glb(buildings: list[Building], *, centre: tuple[float, float]) -> bytes:
    """One GLB: the ground under the footprints and each building extruded to its height."""
    lon, lat = centre
    project = _to_metres(lon, lat)
    scene = trimesh.Scene()
    shapes = [shapely.transform(b.footprint, project) for b in buildings]
    minx = min(s.bounds[0] for s in shapes) - GROUND_MARGIN_M
    miny = min(s.bounds[1] for s in shapes) - GROUND_MARGIN_M
    maxx = max(s.bounds[2] for s in shapes) + GROUND_MARGIN_M
    maxy = max(s.bounds[3] for s in shapes) + GROUND_MARGIN_M
    # The ground is a thin slab just below zero, so building bottoms do not flicker against it.
    ground = trimesh.creation.extrude_polygon(box(minx, miny, maxx, maxy), 0.2)
    ground.apply_translation((0, 0, -0.2))
    scene.add_geometry(_coloured(ground, GROUND_GREEN), node_name=GROUND, geom_name=GROUND)
    for building, shape in zip(buildings, shapes, strict=True):
        mesh = trimesh.creation.extrude_polygon(shape, building.height_m)
        colour = PROPOSED_ORANGE if building.name == PROPOSED else EXISTING_GREY
        scene.add_geometry(_coloured(mesh, colour), node_name=building.name, geom_name=building.name)
    # Z-up (east, north, up) to glTF's Y-up: (x, y, z) → (x, z, -y), so north is -Z.
    scene.apply_transform(trimesh.transformations.rotation_matrix(-math.pi / 2, (1, 0, 0)))
    return scene.export(file_type="glb")


def before_and_after(lon: float, lat: float) -> tuple[bytes, bytes]:
    existing, proposed = block_around(lon, lat)
    return (
        scene_glb(existing, centre=(lon, lat)),
        scene_glb([*existing, proposed], centre=(lon, lat)),
    )
