"""glb.inspect(): what it accepts passes the Khronos validator too (the demo models, a textured triangle),
and every way a hostile or broken file can be wrong is refused with a reason, before anything is stored."""

from __future__ import annotations

import struct

import pytest

from gorod.consultations.errors import Refused
from gorod.consultations.model_3d import glb
from gorod.demo.consultations.model_3d_scene import PROPOSED, before_and_after
from tests.consultations.model_3d_helpers import khronos, pack, png_bytes, triangle, triangle_glb

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def demo_models() -> tuple[bytes, bytes]:
    return before_and_after(30.26, 59.985)


def test_the_demo_models_are_accepted_and_described(demo_models):
    before, after = (glb.inspect(data) for data in demo_models)
    assert {n.name for n in after.nodes} - {n.name for n in before.nodes} == {PROPOSED}
    tower = next(n for n in after.nodes if n.name == PROPOSED)
    # Y is up and the tower is 48 m tall; north is -Z, so its footprint (8–36 m south of the centre) is +Z.
    assert tower.min[1] == pytest.approx(0) and tower.max[1] == pytest.approx(48)
    assert tower.min[2] == pytest.approx(8) and tower.max[2] == pytest.approx(36)
    assert after.max[1] == pytest.approx(48) and before.max[1] == pytest.approx(21)


def test_the_node_transform_is_applied():
    summary = glb.inspect(triangle_glb())
    assert summary.nodes[0].name == "tower"
    assert summary.min == pytest.approx((5, 0, -2)) and summary.max == pytest.approx((15, 10, -2))


def test_what_we_accept_passes_the_khronos_validator(demo_models, tmp_path):
    files = []
    for name, data in [("before", demo_models[0]), ("after", demo_models[1]), ("triangle", triangle_glb())]:
        glb.inspect(data)  # ours accepts it…
        path = tmp_path / f"{name}.glb"
        path.write_bytes(data)
        files.append(path)
    for verdict in khronos(files):  # …and so does Khronos
        assert verdict["errors"] == 0, verdict


def _drop(key):
    return lambda doc: doc.pop(key)


def _set(path: list, value):
    def change(doc):
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


BROKEN = {
    "external buffer": _set(["buffers", 0, "uri"], "model.bin"),
    "data: URI buffer": _set(["buffers", 0, "uri"], "data:application/octet-stream;base64,AAAA"),
    "external image": _set(["images", 0], {"uri": "https://example.org/x.png"}),
    "extension required": _set(["extensionsRequired"], ["KHR_draco_mesh_compression"]),
    "glTF 1.0": _set(["asset", "version"], "1.0"),
    "no asset": _drop("asset"),
    "view past the buffer": _set(["bufferViews", 0, "byteLength"], 10_000),
    "negative offset": _set(["bufferViews", 0, "byteOffset"], -4),
    "odd stride": _set(["bufferViews", 0, "byteStride"], 6),
    "accessor past its view": _set(["accessors", 0, "count"], 50),
    "misaligned accessor": _set(["accessors", 0, "byteOffset"], 2),
    "unknown component type": _set(["accessors", 0, "componentType"], 9999),
    "sparse accessor": _set(["accessors", 2, "sparse"], {"count": 1}),
    "accessor of a missing view": _set(["accessors", 0, "bufferView"], 42),
    "positions not floats": _set(["accessors", 0, "componentType"], 5123),
    "mesh of nothing": _set(["nodes", 0, "mesh"], 7),
    "missing material": _set(["meshes", 0, "primitives", 0, "material"], 3),
    "node cycle": _set(["nodes", 0, "children"], [0]),
    "missing scene": _set(["scene"], 4),
    "image not PNG": _set(["images", 0, "mimeType"], "image/gif"),
    "image lies about its type": _set(["images", 0, "mimeType"], "image/jpeg"),
    "texture of no image": _set(["textures", 0, "source"], 5),
    "index as a string": _set(["meshes", 0, "primitives", 0, "indices"], "1"),
    "boolean count": _set(["accessors", 0, "count"], True),
    "empty scene": _set(["scenes", 0, "nodes"], []),
    "malformed matrix": _set(["nodes", 0, "matrix"], [1, 0, 0]),
    "two buffers": _set(["buffers"], [{"byteLength": 4}, {"byteLength": 4}]),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_document_is_refused(name):
    with pytest.raises(Refused) as exc:
        glb.inspect(triangle_glb(BROKEN[name]))
    assert exc.value.field == "file"
    assert exc.value.message.startswith("This is not a model we can show")


def _nan_position(binary: bytes) -> bytes:
    return struct.pack("<f", float("nan")) + binary[4:]


def _index_out_of_range(binary: bytes) -> bytes:
    return binary[:36] + struct.pack("<H", 9) + binary[38:]


def _not_a_png(binary: bytes) -> bytes:
    doc, original = triangle()
    start = doc["bufferViews"][3]["byteOffset"]
    return original[:start] + b"\x89PNG garbage" + original[start + 12 :]


@pytest.mark.parametrize("change", [_nan_position, _index_out_of_range, _not_a_png])
def test_broken_binary_data_is_refused(change):
    with pytest.raises(Refused):
        glb.inspect(triangle_glb(binary_change=change))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a model at all",
        b"glTF" + struct.pack("<II", 1, 20) + b"\x00" * 8,  # version 1
        triangle_glb()[:-8],  # cut short: the declared length lies
        b"glTF" + struct.pack("<II", 2, 28) + struct.pack("<II", 4, 0x004E4942) + b"\x00" * 8,  # BIN first
        pack({"asset": {"version": "2.0"}}, None)[:-2] + b"\xff\xff",  # JSON that is not UTF-8/JSON
    ],
)
def test_what_is_not_a_glb_is_refused(data):
    with pytest.raises(Refused):
        glb.inspect(data)


def test_a_chunk_running_past_the_end_is_refused():
    data = bytearray(triangle_glb())
    struct.pack_into("<I", data, 12, len(data) * 2)
    with pytest.raises(Refused, match="past the end"):
        glb.inspect(bytes(data))


def test_an_extra_chunk_is_refused():
    data = triangle_glb()
    extra = struct.pack("<II", 4, 0x12345678) + b"\x00" * 4
    data = data[:8] + struct.pack("<I", len(data) + len(extra)) + data[12:] + extra
    with pytest.raises(Refused, match="one JSON and one binary chunk"):
        glb.inspect(data)


def test_a_model_without_any_mesh_is_refused():
    doc = {"asset": {"version": "2.0"}, "scenes": [{"nodes": [0]}], "nodes": [{"name": "empty"}]}
    with pytest.raises(Refused, match="shows no mesh"):
        glb.inspect(pack(doc, None))


def test_the_png_helper_is_a_png():
    assert png_bytes().startswith(b"\x89PNG")


def test_random_damage_is_refused_never_a_crash():
    """Hundreds of files damaged at random (JSON values swapped for wrong types, bytes flipped): each is
    accepted or refused with a reason, none raises anything else (which would be a server error)."""
    import contextlib
    import copy
    import random

    rng = random.Random(12)
    values = [None, True, -1, 0, 3, 10**12, 1.5, float("nan"), "x", "1", [], {}, [0], [1, 2, 3], {"a": 1}]

    def paths(obj, prefix=()):
        if prefix:
            yield prefix
        children = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
        for key, value in children:
            yield from paths(value, (*prefix, key))

    original, binary = triangle()
    every = list(paths(original))
    for _ in range(400):
        doc = copy.deepcopy(original)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(every)
            try:
                target = doc
                for step in path[:-1]:
                    target = target[step]
                target[path[-1]] = copy.deepcopy(rng.choice(values))
            except (KeyError, IndexError, TypeError):
                pass
        damaged = bytearray(binary)
        for _ in range(rng.randint(0, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        with contextlib.suppress(Refused):
            glb.inspect(pack(doc, bytes(damaged)))
