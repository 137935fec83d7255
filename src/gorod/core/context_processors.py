from django.conf import settings

from gorod.core.tiles import is_pmtiles


def site(request):
    return {
        "TILE_URL": settings.GOROD_TILE_URL,
        "TILE_ATTRIBUTION": settings.GOROD_TILE_ATTRIBUTION,
        # map_base.html loads protomaps-leaflet only where a PMTiles map needs it (and it is installed).
        "PROTOMAPS_LEAFLET": settings.GOROD_PROTOMAPS_LEAFLET and is_pmtiles(settings.GOROD_TILE_URL),
    }
