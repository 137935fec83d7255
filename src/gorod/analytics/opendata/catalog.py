"""The DCAT-AP catalogue of /data/ as JSON-LD: one dcat:Dataset per dataset and city, one
dcat:Distribution per file (downloadURL, mediaType, license, modified, byteSize)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from gorod.analytics.opendata.dictionary import DATASETS, MEDIA_TYPES
from gorod.analytics.opendata.generate import published_cities, read_manifest

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dct:license": {"@type": "@id"},
}


def catalogue(absolute: Callable[[str], str]) -> dict[str, Any]:
    """`absolute` turns a site path into a full URL."""
    license_url = settings.GOROD_OPEN_DATA_LICENSE_URL
    datasets: list[dict[str, Any]] = []
    for city in published_cities():
        manifest = read_manifest(city)
        if manifest is None:
            continue
        by_dataset: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for name, entry in sorted(manifest["files"].items()):
            by_dataset.setdefault(entry["dataset"], []).append((name, entry))
        for key, found in by_dataset.items():
            dataset = DATASETS[key]
            datasets.append(
                {
                    "@id": absolute(f"/data/#{city.slug}-{key}"),
                    "@type": "dcat:Dataset",
                    "dct:identifier": f"{city.slug}/{key}",
                    "dct:title": [
                        {"@language": "ru", "@value": f"{dataset.title_ru} — {city.name}"},
                        {"@language": "en", "@value": f"{dataset.title_en} — {city.name_en or city.name}"},
                    ],
                    "dct:description": [
                        {"@language": "ru", "@value": dataset.about_ru},
                        {"@language": "en", "@value": dataset.about_en},
                    ],
                    "dct:publisher": {"@type": "foaf:Agent", "foaf:name": city.name},
                    "dct:license": license_url,
                    "dct:modified": manifest["generated"],
                    "dcat:landingPage": {"@id": absolute("/data/")},
                    "dcat:distribution": [
                        {
                            "@id": absolute(f"/data/{city.slug}/{name}") + "#distribution",
                            "@type": "dcat:Distribution",
                            "dct:title": name,
                            "dcat:accessURL": absolute("/data/"),
                            "dcat:downloadURL": absolute(f"/data/{city.slug}/{name}"),
                            "dcat:mediaType": "https://www.iana.org/assignments/media-types/"
                            + MEDIA_TYPES[entry["format"]],
                            "dct:format": entry["format"].upper(),
                            "dct:license": license_url,
                            "dct:modified": entry["modified"],
                            "dcat:byteSize": entry["bytes"],
                        }
                        for name, entry in found
                    ],
                }
            )
    return {
        "@context": CONTEXT,
        "@id": absolute("/data/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@language": "ru", "@value": "Открытые данные"},
            {"@language": "en", "@value": "Open data"},
        ],
        "dct:license": license_url,
        "dcat:dataset": datasets,
    }
