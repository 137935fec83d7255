"""GLB files for the 3D dialogue's tests: the demo models, and a small hand-made one to break in every way
glb.inspect() must refuse."""

from __future__ import annotations

import copy
import io
import json
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
VALIDATE = ROOT / "scripts" / "gltf-validate.mjs"


def pack(doc: dict, binary: bytes | None) -> bytes:
    raw = json.dumps(doc).encode()
    raw += b" " * (-len(raw) % 4)
    chunks = struct.pack("<II", len(raw), 0x4E4F534A) + raw
    if binary is not None:
        binary += b"\x00" * (-len(binary) % 4)
        chunks += struct.pack("<II", len(binary), 0x004E4942) + binary
    return b"glTF" + struct.pack("<II", 2, 12 + len(chunks)) + chunks


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def triangle() -> tuple[dict, bytes]:
    """One textured triangle under a translated node: positions, indices, UVs and an embedded PNG."""
    positions = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0]], dtype=np.float32).tobytes()
    indices = np.array([0, 1, 2, 0], dtype=np.uint16).tobytes()  # padded to 4 bytes; count says 3
    uvs = np.array([[0, 0], [1, 0], [0, 1]], dtype=np.float32).tobytes()
    image = png_bytes()
    image += b"\x00" * (-len(image) % 4)
    binary = positions + indices + uvs + image
    o_idx, o_uv, o_img = (
        len(positions),
        len(positions) + len(indices),
        len(positions) + len(indices) + len(uvs),
    )
    doc = {
        "asset": {"version": "2.0", "generator": "gorod tests"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "tower", "mesh": 0, "translation": [5.0, 0.0, -2.0]}],
        "meshes": [
            {"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 2}, "indices": 1, "material": 0}]}
        ],
        "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
        "textures": [{"source": 0, "sampler": 0}],
        "samplers": [{}],
        "images": [{"bufferView": 3, "mimeType": "image/png"}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [10, 10, 0],
            },
            {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"},
            {"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC2"},
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(positions), "target": 34962},
            {"buffer": 0, "byteOffset": o_idx, "byteLength": 6, "target": 34963},
            {"buffer": 0, "byteOffset": o_uv, "byteLength": len(uvs), "target": 34962},
            {"buffer": 0, "byteOffset": o_img, "byteLength": len(png_bytes())},
        ],
        "buffers": [{"byteLength": len(binary)}],
    }
    return doc, binary


def triangle_glb(change=None, binary_change=None) -> bytes:
    doc, binary = triangle()
    doc = copy.deepcopy(doc)
    if change:
        change(doc)
    if binary_change:
        binary = binary_change(binary)
    return pack(doc, binary)


def khronos(paths: list[Path]) -> list[dict]:
    """The Khronos validator's verdict on each file (npm gltf-validator, run by node)."""
    node = shutil.which("node")
    assert node, "node is needed for the Khronos glTF validator (make install)"
    assert (ROOT / "node_modules" / "gltf-validator").is_dir(), "npm gltf-validator is missing: make install"
    result = subprocess.run(
        [node, str(VALIDATE), *map(str, paths)], capture_output=True, text=True, timeout=120, check=True
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
