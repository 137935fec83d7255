from ninja import Router

router = Router(tags=["Open311 GeoReport v2"])
