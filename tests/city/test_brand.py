"""Each municipality's own colours and logo: the city file's `brand` refused with its line when a colour is
not one or too light for the header's white text, or the logo is not a picture; the logo re-encoded on
import (nothing of a hostile file's trailing bytes or EXIF survives); each host's pages show its own name,
colours and logo and never the other's."""

from __future__ import annotations

import io
import shutil

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from PIL import Image

from gorod.city.colours import contrast_with_white
from gorod.city.models import Municipality
from gorod.city.services import CityFileInvalid, city_import_file, parse_city_file
from gorod.demo.city import PETROZAVODSK_FILE
from tests.conftest import DATA

pytestmark = pytest.mark.django_db
GOOD = (DATA / "test_city.yaml").read_text(encoding="utf-8")
PTZ_HOST = "ptz.gorod.example"


def with_brand(brand: str) -> str:
    """The test city file with a `brand` block under its municipality (after its jurisdiction_id)."""
    line = next(x for x in GOOD.splitlines() if x.strip().startswith("jurisdiction_id:"))
    return GOOD.replace(line, line + "\n  brand:\n" + brand, 1)


def refused(text: str, folder=None) -> list[str]:
    with pytest.raises(CityFileInvalid) as exc:
        parse_city_file(text, filename="city.yaml", folder=folder)
    return str(exc.value).splitlines()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def png(size=(40, 20), colour=(200, 30, 30, 255), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, format="PNG", **save)
    return out.getvalue()


# --- colours ----------------------------------------------------------------------------------------
def test_contrast_is_wcag_s():
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey for AA


def test_a_colour_by_name_is_refused_with_its_line():
    text = with_brand('    primary: navy\n    accent: "#0c244f"\n')
    (problem,) = refused(text)
    assert problem.startswith(f"line {line_of(text, 'primary: navy')}, column ")
    assert 'municipality.brand.primary = "navy": must be a colour written #rrggbb or #rgb' in problem


def test_a_colour_too_light_for_white_text_is_refused_with_its_contrast():
    text = with_brand('    primary: "#12326b"\n    accent: "#ffcc00"\n')
    (problem,) = refused(text)
    assert problem.startswith(f"line {line_of(text, 'accent:')}, column ")
    assert "municipality.brand.accent: white text on #ffcc00 has a contrast of 1.5" in problem
    assert "at least 4.5:1 is needed (WCAG AA)" in problem


def test_short_colours_are_widened_and_both_stored(tmp_path):
    city = parse_city_file(with_brand('    primary: "#036"\n    accent: "#1D5B3A"\n'))
    assert (city.municipality.brand.primary, city.municipality.brand.accent) == ("#003366", "#1d5b3a")


def test_without_brand_gorod_s_own_colours_and_no_logo(city):
    assert (city.brand_primary, city.brand_accent, city.logo.name) == ("#12326b", "#0c244f", "")


def test_the_admin_checks_colours_as_the_file_does(city):
    city.brand_primary, city.brand_accent = "#ffcc00", "Red; } body { display: none"
    with pytest.raises(ValidationError) as exc:
        city.full_clean()
    assert "1.51:1" in " ".join(exc.value.message_dict["brand_primary"])
    assert "brand_accent" in exc.value.message_dict  # not a colour: never written into the CSS


def test_the_admin_cannot_upload_a_logo_past_the_re_encoding():
    assert "logo" in admin.site._registry[Municipality].get_readonly_fields(None)


# --- logo -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.png", "logos/../../outside.png", "C:/x.png"])
def test_a_logo_outside_the_city_file_s_folder_is_refused(name, tmp_path):
    text = with_brand(f'    logo: "{name}"\n')
    (problem,) = refused(text, folder=tmp_path)
    assert problem.startswith(f"line {line_of(text, 'logo:')}, column ")
    assert "municipality.brand.logo" in problem
    assert "must be a file name relative to the city file, inside its folder" in problem


def test_a_missing_logo_is_refused_with_its_line(tmp_path):
    text = with_brand("    logo: nowhere.png\n")
    (problem,) = refused(text, folder=tmp_path)
    assert problem.startswith(f"line {line_of(text, 'logo:')}, column ")
    assert "the logo file cannot be read: No such file or directory" in problem


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"just some text, not a picture",
        png()[:60],  # cut short
    ],
    ids=["svg", "text", "truncated"],
)
def test_a_logo_that_is_not_a_picture_is_refused(content, tmp_path):
    (tmp_path / "logo.png").write_bytes(content)
    text = with_brand("    logo: logo.png\n")
    (problem,) = refused(text, folder=tmp_path)
    assert problem.startswith(f"line {line_of(text, 'logo:')}, column ")
    assert "the logo is not a picture Gorod can read (PNG, JPEG, WebP or GIF, not SVG)" in problem


def test_a_refused_logo_saves_nothing(city, tmp_path):
    (tmp_path / "city.yaml").write_text(with_brand('    primary: "#1d5b3a"\n    logo: x.svg\n'))
    (tmp_path / "x.svg").write_bytes(b"<svg/>")
    with pytest.raises(CityFileInvalid):
        city_import_file(tmp_path / "city.yaml")
    city.refresh_from_db()
    assert (city.brand_primary, city.logo.name) == ("#12326b", "")


def test_import_re_encodes_a_hostile_logo(city, tmp_path):
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x8825] = {2: (59.0, 56.0, 1.0)}  # GPS
    hostile = io.BytesIO()
    Image.new("RGB", (600, 300), (10, 120, 60)).save(hostile, format="JPEG", exif=exif)
    trailing = b"<script>alert(1)</script>" + b"PK\x03\x04 a zip after the picture"
    (tmp_path / "logo.jpg").write_bytes(hostile.getvalue() + trailing)
    (tmp_path / "city.yaml").write_text(with_brand("    logo: logo.jpg\n"))

    muni = city_import_file(tmp_path / "city.yaml")

    stored = muni.logo.read()
    assert muni.logo.name.startswith(f"brand/{city.slug}-")
    assert muni.logo.name.endswith(".png")
    assert b"secret" not in stored and b"script" not in stored and b"PK\x03\x04" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")  # nothing after the PNG's last chunk
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert max(image.size) == 256  # scaled down to the logo's largest side
        assert not image.getexif() and "exif" not in image.info


def test_the_same_logo_imported_again_keeps_its_file(city, tmp_path):
    (tmp_path / "logo.png").write_bytes(png())
    (tmp_path / "city.yaml").write_text(with_brand("    logo: logo.png\n"))
    first = city_import_file(tmp_path / "city.yaml").logo.name
    assert city_import_file(tmp_path / "city.yaml").logo.name == first
    (tmp_path / "logo.png").write_bytes(png(colour=(0, 0, 200, 255)))
    assert city_import_file(tmp_path / "city.yaml").logo.name != first  # a new address: no stale cache


# --- pages ------------------------------------------------------------------------------------------
@pytest.fixture
def ptz(city, settings, tmp_path):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PTZ_HOST]
    return city_import_file(PETROZAVODSK_FILE)


def header_of(client, host: str) -> str:
    page = client.get("/", HTTP_HOST=host).content.decode()
    return page[: page.index("</header>")]


def test_each_host_shows_its_own_name_colours_and_logo(client, city, ptz):
    other = header_of(client, "testserver")
    own = header_of(client, PTZ_HOST)

    assert "--brand: #1d5b3a; --brand-2: #0f3d26;" in own
    logo = f'<img class="brand-logo" src="/media/{ptz.logo.name}" alt="Петрозаводск"'
    assert logo in own
    assert 'brand-city">Петрозаводск<' in own
    assert city.name not in own and "logo.svg" not in own

    assert "--brand: #12326b; --brand-2: #0c244f;" in other
    assert "logo.svg" in other and "brand-logo" not in other and "/media/brand/" not in other
    assert f'brand-city">{city.name}<' in other and "Петрозаводск" not in other


def test_the_logo_is_served_as_a_png(client, ptz):
    answer = client.get(ptz.logo.url, HTTP_HOST=PTZ_HOST)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content if answer.streaming else [answer.content]).startswith(b"\x89PNG")


def test_the_english_page_names_the_city_in_english_in_the_logo_s_alt(client, ptz):
    client.cookies["django_language"] = "en"
    assert 'alt="Petrozavodsk"' in header_of(client, PTZ_HOST)


def test_copying_the_demo_file_elsewhere_takes_its_logo_along(tmp_path):
    shutil.copy(PETROZAVODSK_FILE, tmp_path / "ptz.yaml")
    with pytest.raises(CityFileInvalid, match="the logo file cannot be read"):
        city_import_file(tmp_path / "ptz.yaml")
    assert not Municipality.objects.filter(slug="petrozavodsk").exists()
