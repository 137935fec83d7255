"""/data/: the list of datasets with their dictionary, the DCAT catalogue, and the files themselves.
Files are only those the generator listed in the city's manifest, so no name reaches the disk unchecked."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.static import was_modified_since

from gorod.analytics.opendata.catalog import catalogue
from gorod.analytics.opendata.dictionary import DATASETS, MEDIA_TYPES
from gorod.analytics.opendata.generate import FILE_NAME, city_dir, read_manifest
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality

MAX_AGE_S = 3600  # files change once a day; an hour keeps caches fresh enough after a regeneration


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    city = city_selectors.default_municipality()
    if city is None:
        return render(request, "no_city.html", status=404)
    manifest = read_manifest(city) or {"files": {}, "generated": ""}
    language = "ru" if (get_language() or "ru").startswith("ru") else "en"
    datasets = []
    for dataset in DATASETS.values():
        downloads = [
            {
                "name": name,
                "url": f"/data/{city.slug}/{name}",
                "modified_at": parse_datetime(entry["modified"]),
                **entry,
            }
            for name, entry in sorted(manifest["files"].items())
            if entry["dataset"] == dataset.name
        ]
        datasets.append(
            {
                "name": dataset.name,
                "title": dataset.title(language),
                "about": dataset.about(language),
                "downloads": downloads,
                "fields": [
                    {"name": f.name, "type": f.type, "meaning": f.ru if language == "ru" else f.en}
                    for f in dataset.fields
                ],
            }
        )
    context = {
        "city": city,
        "datasets": datasets,
        "generated": manifest.get("generated", ""),
        "generated_at": parse_datetime(manifest.get("generated") or ""),
        "license_name": settings.GOROD_OPEN_DATA_LICENSE_NAME,
        "license_url": settings.GOROD_OPEN_DATA_LICENSE_URL,
    }
    response = render(request, "analytics/open_data.html", context)
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    data = catalogue(request.build_absolute_uri)
    response = JsonResponse(
        data, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE_S)
    return response


@require_GET
def download(request: HttpRequest, city: str, name: str) -> HttpResponse | FileResponse:
    found = Municipality.objects.filter(slug=city).first()
    if found is None or not FILE_NAME.match(name):
        raise Http404
    manifest = read_manifest(found)
    entry = (manifest or {}).get("files", {}).get(name)
    if entry is None:
        raise Http404
    path = city_dir(found) / name
    try:
        stat = path.stat()
    except OSError:
        raise Http404 from None
    etag = json.dumps(f"{int(stat.st_mtime_ns)}-{stat.st_size}")
    # A client that has today's file already gets a 304 and no body (a GeoJSON of a big city is large).
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers
        and not was_modified_since(request.headers.get("If-Modified-Since"), int(stat.st_mtime))
    ):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, public=True, max_age=MAX_AGE_S)
        return not_modified
    try:
        handle = path.open("rb")
    except OSError:
        raise Http404 from None
    media = MEDIA_TYPES[entry["format"]]
    response = FileResponse(
        handle, as_attachment=True, filename=f"{found.slug}-{name}", content_type=f"{media}; charset=utf-8"
    )
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's script may read it
    patch_cache_control(response, public=True, max_age=MAX_AGE_S)
    return response
