"""Photos for the demo reports, drawn on the fly with Pillow: simple scenes that hint at the problem (a
pothole in grey asphalt, graffiti on a wall, snow, litter on grass, a dark street lamp). Varied by the
random generator, so a seed gives the same pictures."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (480, 360)

# service-code prefixes → scene
SCENES = {
    "pothole": "pothole",
    "sidewalk": "pothole",
    "tram": "pothole",
    "graffiti": "graffiti",
    "illegal-ad": "graffiti",
    "snow": "snow",
    "ice": "snow",
    "icicles": "icicles",
    "litter": "litter",
    "dump": "litter",
    "bins": "litter",
    "lighting": "night",
    "traffic": "night",
    "tree": "tree",
    "grass": "tree",
    "lawn": "tree",
}


def scene_for(service_code: str) -> str:
    for key, scene in SCENES.items():
        if key in service_code:
            return scene
    return "generic"


def _jitter(rng: random.Random, color: tuple[int, int, int], by: int = 18) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-by, by))) for c in color)  # type: ignore[return-value]


def draw(rng: random.Random, service_code: str) -> bytes:
    """A JPEG of SIZE for a report of this category."""
    w, h = SIZE
    scene = scene_for(service_code)
    sky = _jitter(rng, (170, 190, 215) if scene != "night" else (25, 30, 55))
    image = Image.new("RGB", SIZE, sky)
    d = ImageDraw.Draw(image)
    horizon = rng.randint(h // 4, h // 2)
    if scene in ("pothole", "snow", "icicles", "night", "generic"):
        ground = {"snow": (235, 238, 245), "night": (45, 45, 50)}.get(scene, (118, 118, 122))
        d.rectangle((0, horizon, w, h), fill=_jitter(rng, ground))
        for _ in range(rng.randint(20, 60)):  # grain of asphalt or snow
            x, y = rng.randrange(w), rng.randrange(horizon, h)
            d.point((x, y), fill=_jitter(rng, ground, 40))
    else:
        d.rectangle((0, horizon, w, h), fill=_jitter(rng, (80, 140, 70)))
    if scene == "pothole":
        for _ in range(rng.randint(1, 3)):
            cx, cy = rng.randrange(60, w - 60), rng.randrange(horizon + 40, h - 20)
            rx, ry = rng.randint(30, 90), rng.randint(12, 35)
            d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=_jitter(rng, (40, 38, 36)))
            if rng.random() < 0.5:  # water in the hole
                d.ellipse(
                    (cx - rx // 2, cy - ry // 3, cx + rx // 2, cy + ry // 3),
                    fill=_jitter(rng, (90, 110, 140)),
                )
    elif scene == "graffiti":
        d.rectangle((0, 0, w, horizon + 60), fill=_jitter(rng, (200, 180, 150)))
        for _ in range(rng.randint(4, 9)):
            color = rng.choice([(220, 30, 60), (30, 90, 220), (20, 170, 60), (250, 200, 0), (150, 40, 180)])
            points = [(rng.randrange(w), rng.randrange(10, horizon + 50)) for _ in range(rng.randint(3, 6))]
            d.line(points, fill=color, width=rng.randint(4, 12), joint="curve")
    elif scene in ("snow", "icicles"):
        d.rectangle((0, 0, w, horizon), fill=_jitter(rng, (150, 140, 135)))  # a building
        for i in range(rng.randint(6, 14)):
            x = 20 + i * (w - 40) // 14 + rng.randint(-5, 5)
            length = rng.randint(15, 70) if scene == "icicles" else rng.randint(3, 10)
            d.polygon([(x - 5, horizon), (x + 5, horizon), (x, horizon + length)], fill=(225, 240, 255))
        for _ in range(rng.randint(3, 7)):  # drifts
            cx, cy = rng.randrange(w), rng.randrange(horizon, h)
            d.ellipse((cx - 70, cy - 20, cx + 70, cy + 20), fill=_jitter(rng, (248, 250, 255), 6))
    elif scene == "litter":
        for _ in range(rng.randint(8, 25)):
            x, y = rng.randrange(w), rng.randrange(horizon, h)
            s = rng.randint(6, 22)
            color = rng.choice([(30, 30, 30), (240, 240, 240), (200, 60, 40), (40, 80, 200), (220, 200, 60)])
            d.rectangle((x, y, x + s, y + s // 2 + 3), fill=color)
    elif scene == "night":
        x = rng.randrange(80, w - 80)
        d.rectangle((x - 4, horizon - 140, x + 4, horizon + 40), fill=(70, 70, 75))
        d.ellipse((x - 18, horizon - 156, x + 18, horizon - 136), fill=(60, 60, 60))  # the lamp is out
    elif scene == "tree":
        x = rng.randrange(100, w - 100)
        d.rectangle((x - 10, horizon - 120, x + 10, horizon + 60), fill=_jitter(rng, (95, 70, 45)))
        for _ in range(rng.randint(4, 8)):
            d.line(
                (
                    x,
                    horizon - rng.randint(40, 120),
                    x + rng.randint(-90, 90),
                    horizon - rng.randint(100, 200),
                ),
                fill=_jitter(rng, (90, 65, 40)),
                width=rng.randint(3, 7),
            )
    else:
        for _ in range(rng.randint(2, 5)):
            x, y = rng.randrange(w), rng.randrange(h)
            d.rectangle(
                (x, y, x + rng.randint(20, 120), y + rng.randint(20, 80)),
                fill=_jitter(rng, (120, 110, 100), 60),
            )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
