"""Checks an uploaded GLB before anyone's browser loads it, and reads what the comments need from it.

An uploaded file is hostile: it is parsed here as a binary container and its JSON, and accepted only when
it is self-contained (one embedded buffer, no URI anywhere: no external file, no data: URI), every index
points at something that exists, every buffer view lies inside the buffer and every accessor inside its
view, vertex positions are finite numbers and triangle indices name existing vertices. Extensions a viewer
must understand (extensionsRequired) are refused: the viewer could not show the model. Embedded images
must be PNG or JPEG that Pillow can read.

The result gives the model's bounding box and, per named node, the box of its mesh in the scene's
coordinates (node transforms applied): anchors.describe() words a comment's position from them."""

from __future__ import annotations

import io
import json
import math
import struct
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from gorod.consultations.errors import Refused

MAGIC = b"glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_VERTICES = 2_000_000
MAX_NODES = 10_000
COMPONENT_BYTES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
TYPE_SIZE = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
INDEX_TYPES = {5121: np.uint8, 5123: np.uint16, 5125: np.uint32}
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass(frozen=True)
class NodeBox:
    name: str
    min: tuple[float, float, float]
    max: tuple[float, float, float]


@dataclass(frozen=True)
class GlbSummary:
    min: tuple[float, float, float]
    max: tuple[float, float, float]
    nodes: list[NodeBox] = field(default_factory=list)
    vertices: int = 0

    def as_json(self) -> dict:
        return {
            "min": list(self.min),
            "max": list(self.max),
            "nodes": [{"name": n.name, "min": list(n.min), "max": list(n.max)} for n in self.nodes],
            "vertices": self.vertices,
        }


def _refuse(reason: str) -> Refused:
    return Refused(_("This is not a model we can show: %(reason)s") % {"reason": reason}, field="file")


def _int(value, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _refuse(_("%(what)s is not a valid number.") % {"what": what})
    return value


def _index(value, items: list, what: str) -> int:
    index = _int(value, what)
    if index >= len(items):
        raise _refuse(_("%(what)s points at something that does not exist.") % {"what": what})
    return index


def _floats(value, count: int, what: str) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) != count
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise _refuse(_("%(what)s is not a valid number.") % {"what": what})
    return [float(v) for v in value]


def _list(doc: dict, key: str) -> list:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _refuse(_("the “%(key)s” list is malformed.") % {"key": key})
    return value


def _chunks(data: bytes) -> tuple[bytes, bytes | None]:
    if len(data) < 20 or data[:4] != MAGIC:
        raise _refuse(_("it is not a binary glTF (GLB) file."))
    version, length = struct.unpack_from("<II", data, 4)
    if version != 2:
        raise _refuse(_("only glTF 2.0 is accepted."))
    if length != len(data):
        raise _refuse(_("the file's declared length does not match its size."))
    offset, found = 12, []
    while offset < length:
        if offset + 8 > length:
            raise _refuse(_("a chunk header is cut off."))
        size, kind = struct.unpack_from("<II", data, offset)
        start, end = offset + 8, offset + 8 + size
        if end > length or size % 4:
            raise _refuse(_("a chunk runs past the end of the file."))
        found.append((kind, data[start:end]))
        offset = end
    if not found or found[0][0] != CHUNK_JSON:
        raise _refuse(_("the JSON chunk must come first."))
    if len(found) > 2 or (len(found) == 2 and found[1][0] != CHUNK_BIN):
        raise _refuse(_("only one JSON and one binary chunk are accepted."))
    return found[0][1], (found[1][1] if len(found) == 2 else None)


def _document(raw: bytes) -> dict:
    if len(raw) > MAX_JSON_BYTES:
        raise _refuse(_("its JSON part is too large."))
    try:
        doc = json.loads(raw.rstrip(b" \x00").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _refuse(_("its JSON part cannot be read.")) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("asset"), dict):
        raise _refuse(_("it has no “asset” description."))
    if doc["asset"].get("version") != "2.0":
        raise _refuse(_("only glTF 2.0 is accepted."))
    if doc.get("extensionsRequired"):
        raise _refuse(_("it needs extensions the viewer does not have."))
    return doc


def _buffer(doc: dict, binary: bytes | None) -> bytes:
    buffers = _list(doc, "buffers")
    for image in _list(doc, "images"):
        if "uri" in image:
            raise _refuse(_("it refers to files outside itself; embed everything in the GLB."))
    if any("uri" in b for b in buffers):
        raise _refuse(_("it refers to files outside itself; embed everything in the GLB."))
    if len(buffers) > 1:
        raise _refuse(_("only the one embedded buffer is accepted."))
    if not buffers:
        return b""
    declared = _int(buffers[0].get("byteLength"), "buffer length", minimum=1)
    if binary is None or not declared <= len(binary) <= declared + 3:
        raise _refuse(_("the embedded buffer is missing or of the wrong length."))
    return binary[:declared]


def _views(doc: dict, buffer: bytes) -> list[tuple[int, int, int]]:
    """(offset, length, stride) of each buffer view, checked against the buffer."""
    views = []
    buffers = _list(doc, "buffers")
    for view in _list(doc, "bufferViews"):
        _index(view.get("buffer"), buffers, "bufferView.buffer")
        offset = _int(view.get("byteOffset", 0), "bufferView.byteOffset")
        length = _int(view.get("byteLength"), "bufferView.byteLength", minimum=1)
        stride = _int(view.get("byteStride", 0), "bufferView.byteStride")
        if offset + length > len(buffer):
            raise _refuse(_("a buffer view lies outside the buffer."))
        if stride and (stride < 4 or stride > 252 or stride % 4):
            raise _refuse(_("a buffer view has an invalid stride."))
        views.append((offset, length, stride))
    return views


def _accessors(doc: dict, views: list) -> list[dict]:
    accessors = _list(doc, "accessors")
    for accessor in accessors:
        if "sparse" in accessor:
            raise _refuse(_("sparse accessors are not accepted."))
        component = accessor.get("componentType")
        kind = accessor.get("type")
        if not isinstance(component, int) or not isinstance(kind, str):
            raise _refuse(_("an accessor has an unknown type."))
        if component not in COMPONENT_BYTES or kind not in TYPE_SIZE:
            raise _refuse(_("an accessor has an unknown type."))
        count = _int(accessor.get("count"), "accessor.count", minimum=1)
        if "bufferView" not in accessor:
            continue
        _offset, length, stride = views[_index(accessor["bufferView"], views, "accessor.bufferView")]
        start = _int(accessor.get("byteOffset", 0), "accessor.byteOffset")
        element = COMPONENT_BYTES[component] * TYPE_SIZE[kind]
        step = stride or element
        if start % COMPONENT_BYTES[component] or start + step * (count - 1) + element > length:
            raise _refuse(_("an accessor reads past the end of its buffer view."))
    return accessors


def _read(accessor: dict, views: list, buffer: bytes, dtype) -> np.ndarray:
    """The accessor's elements as rows (bounds were checked by _accessors)."""
    width = TYPE_SIZE[accessor["type"]]
    count = accessor["count"]
    if "bufferView" not in accessor:
        return np.zeros((count, width), dtype=dtype)
    offset, _length, stride = views[accessor["bufferView"]]
    start = offset + accessor.get("byteOffset", 0)
    element = np.dtype(dtype).itemsize * width
    step = stride or element
    raw = np.frombuffer(buffer, dtype=np.uint8, count=step * (count - 1) + element, offset=start)
    padded = np.zeros(step * count, dtype=np.uint8)
    padded[: raw.size] = raw
    rows = padded.reshape(count, step)[:, :element]
    return rows.copy().view(dtype).reshape(count, width)


def _mesh_boxes(doc: dict, accessors: list, views: list, buffer: bytes) -> tuple[list, int]:
    """Per mesh, the (min, max) of its positions (None for a mesh without any), and the vertex total."""
    materials = _list(doc, "materials")
    boxes, vertices = [], 0
    for mesh in _list(doc, "meshes"):
        primitives = mesh.get("primitives")
        if not isinstance(primitives, list) or not primitives:
            raise _refuse(_("a mesh has no primitives."))
        lows, highs = [], []
        for primitive in primitives:
            if not isinstance(primitive, dict) or not isinstance(primitive.get("attributes"), dict):
                raise _refuse(_("a mesh primitive is malformed."))
            for value in primitive["attributes"].values():
                _index(value, accessors, "primitive attribute")
            if "material" in primitive:
                _index(primitive["material"], materials, "primitive.material")
            if _int(primitive.get("mode", 4), "primitive.mode") > 6:
                raise _refuse(_("a mesh primitive has an unknown mode."))
            if "POSITION" not in primitive["attributes"]:
                continue
            position = accessors[primitive["attributes"]["POSITION"]]
            if position["type"] != "VEC3" or position["componentType"] != 5126:
                raise _refuse(_("vertex positions must be three floats."))
            points = _read(position, views, buffer, np.float32)
            if not np.isfinite(points).all():
                raise _refuse(_("a vertex position is not a finite number."))
            vertices += len(points)
            if vertices > MAX_VERTICES:
                raise _refuse(_("it has more than %(n)d vertices.") % {"n": MAX_VERTICES})
            lows.append(points.min(axis=0))
            highs.append(points.max(axis=0))
            if "indices" in primitive:
                indices = accessors[_index(primitive["indices"], accessors, "primitive.indices")]
                if indices["type"] != "SCALAR" or indices["componentType"] not in INDEX_TYPES:
                    raise _refuse(_("triangle indices must be unsigned integers."))
                values = _read(indices, views, buffer, INDEX_TYPES[indices["componentType"]])
                if values.size and int(values.max()) >= len(points):
                    raise _refuse(_("a triangle names a vertex that does not exist."))
        boxes.append((np.min(lows, axis=0), np.max(highs, axis=0)) if lows else None)
    return boxes, vertices


def _local_matrix(node: dict) -> np.ndarray:
    if "matrix" in node:
        # glTF stores the matrix column by column.
        matrix = np.array(_floats(node["matrix"], 16, "node.matrix")).reshape(4, 4).T
    else:
        t = np.array(_floats(node.get("translation", [0, 0, 0]), 3, "node.translation"))
        x, y, z, w = _floats(node.get("rotation", [0, 0, 0, 1]), 4, "node.rotation")
        scale = np.array(_floats(node.get("scale", [1, 1, 1]), 3, "node.scale"))
        rotation = np.array(
            [
                [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
            ]
        )
        matrix = np.eye(4)
        matrix[:3, :3] = rotation * scale
        matrix[:3, 3] = t
    if not np.isfinite(matrix).all():
        raise _refuse(_("a node's transform is not a finite number."))
    return matrix


def _corners(low: np.ndarray, high: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    corners = np.array(
        [[x, y, z, 1.0] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])]
    )
    return (matrix @ corners.T).T[:, :3]


def _scene_nodes(doc: dict, mesh_boxes: list) -> list[NodeBox]:
    nodes = _list(doc, "nodes")
    if len(nodes) > MAX_NODES:
        raise _refuse(_("it has too many nodes."))
    scenes = _list(doc, "scenes")
    meshes = _list(doc, "meshes")
    for node in nodes:
        if "mesh" in node:
            _index(node["mesh"], meshes, "node.mesh")
        children = node.get("children", [])
        if not isinstance(children, list):
            raise _refuse(_("a node's children are malformed."))
        for child in children:
            _index(child, nodes, "node.children")
    if not scenes:
        return []
    scene = scenes[_index(doc.get("scene", 0), scenes, "scene")]
    roots = scene.get("nodes", [])
    if not isinstance(roots, list):
        raise _refuse(_("the scene's nodes are malformed."))
    out: list[NodeBox] = []
    seen: set[int] = set()
    stack = [(_index(root, nodes, "scene.nodes"), np.eye(4)) for root in roots]
    while stack:
        index, parent = stack.pop()
        if index in seen:
            raise _refuse(_("its node tree has a cycle or a shared node."))
        seen.add(index)
        node = nodes[index]
        matrix = parent @ _local_matrix(node)
        box = mesh_boxes[node["mesh"]] if "mesh" in node else None
        if box is not None:
            points = _corners(box[0], box[1], matrix)
            name = str(node.get("name") or meshes[node["mesh"]].get("name") or f"node-{index}")[:100]
            out.append(NodeBox(name, tuple(points.min(axis=0).tolist()), tuple(points.max(axis=0).tolist())))
        stack += [(child, matrix) for child in node.get("children", [])]
    return out


def _check_images(doc: dict, views: list, buffer: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    for image in _list(doc, "images"):
        mime = image.get("mimeType", "")
        expected = IMAGE_TYPES.get(mime) if isinstance(mime, str) else None
        if expected is None or "bufferView" not in image:
            raise _refuse(_("embedded images must be PNG or JPEG."))
        offset, length, _stride = views[_index(image["bufferView"], views, "image.bufferView")]
        try:
            with Image.open(io.BytesIO(buffer[offset : offset + length])) as picture:
                if picture.format != expected:
                    raise _refuse(_("an embedded image is not what it says it is."))
                picture.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise _refuse(_("an embedded image cannot be read.")) from exc
    for texture in _list(doc, "textures"):
        if "source" in texture:
            _index(texture["source"], _list(doc, "images"), "texture.source")
        if "sampler" in texture:
            _index(texture["sampler"], _list(doc, "samplers"), "texture.sampler")


def inspect(data: bytes) -> GlbSummary:
    """The summary of a GLB that passes every check; Refused (field "file") naming the first failure."""
    try:
        return _inspect(data)
    except Refused:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, MemoryError) as exc:
        # The checks above name what they find; this is the net under them, for a file malformed in a way
        # no check foresaw: still a refusal, never a server error.
        raise _refuse(_("it is malformed.")) from exc


def _inspect(data: bytes) -> GlbSummary:
    raw_json, binary = _chunks(data)
    doc = _document(raw_json)
    buffer = _buffer(doc, binary)
    views = _views(doc, buffer)
    accessors = _accessors(doc, views)
    mesh_boxes, vertices = _mesh_boxes(doc, accessors, views, buffer)
    _check_images(doc, views, buffer)
    nodes = _scene_nodes(doc, mesh_boxes)
    if not nodes:
        raise _refuse(_("its scene shows no mesh."))
    low = np.min([n.min for n in nodes], axis=0)
    high = np.max([n.max for n in nodes], axis=0)
    if not (np.isfinite(low).all() and np.isfinite(high).all()) or math.dist(low, high) == 0:
        raise _refuse(_("its scene has no extent."))
    return GlbSummary(min=tuple(low.tolist()), max=tuple(high.tolist()), nodes=nodes, vertices=vertices)
