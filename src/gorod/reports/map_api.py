"""Map clustering endpoint (stub to be replaced by the H3 clustering implementation)."""

from django.http import JsonResponse


def clusters_json(request):
    return JsonResponse({"clusters": [], "resolution": 0, "total": 0})
