from django.conf import settings


def site(request):
    return {"TILE_URL": settings.GOROD_TILE_URL, "TILE_ATTRIBUTION": settings.GOROD_TILE_ATTRIBUTION}
