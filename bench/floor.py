"""The raw floor (issue 10): the least a Python server can do to answer the Open311 requests the bench
measures, with nothing of Django. A WSGI app on the standard library only (sqlite3 + json), run under
the same gunicorn as Gorod, reading the same SQLite file and returning the same rows and fields:

    GET /open311/v2/requests.json?service_code=a,b&status=open&start_date=..&end_date=..&page_size=N
    GET /open311/v2/requests/<id>.json
    GET /open311/v2/services.json

It answers only these (no XML, no validation beyond what the bench sends, no photos' host check), so
Gorod / floor is what the framework, the validation and the project's code cost on top of the data work.

    DATABASE=var/bench/run.sqlite3 python -m gunicorn --workers 2 bench.floor:application"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from urllib.parse import parse_qs, quote
from zoneinfo import ZoneInfo

OPEN = ("submitted", "accepted", "in_progress", "disputed", "reopened")
_local = threading.local()


def _db() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(os.environ["DATABASE"], check_same_thread=False)
        conn.execute("PRAGMA query_only=1")
    return conn


def _w3c(text: str | None, tz: ZoneInfo) -> str | None:
    """Django's SQLite datetime text (UTC) → ISO 8601 in the city's zone, whole seconds."""
    if text is None:
        return None
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).astimezone(tz).isoformat(timespec="seconds")


def _city(db: sqlite3.Connection) -> tuple[int, ZoneInfo]:
    pk, tz = db.execute("SELECT id, timezone FROM city_municipality ORDER BY id LIMIT 1").fetchone()
    return pk, ZoneInfo(tz)


def _names(db: sqlite3.Connection, table: str, muni: int, ru: bool, *extra: str) -> dict:
    cols = ", ".join(("id", "name", "name_en", *extra))
    rows = db.execute(f"SELECT {cols} FROM {table} WHERE municipality_id = ?", (muni,))
    return {r[0]: ((r[1] if ru else r[2] or r[1]), *r[3:]) for r in rows}


def requests(db: sqlite3.Connection, qs: dict, origin: str, ids: list[int] | None = None) -> list[dict]:
    muni, tz = _city(db)
    where, args = ["r.municipality_id = ?"], [muni]
    if ids:
        where.append(f"r.id IN ({', '.join('?' * len(ids))})")
        args += ids
        limit = len(ids)
    else:
        codes = qs.get("service_code", [""])[0].split(",")
        cats = db.execute(
            f"SELECT id FROM city_category WHERE municipality_id = ? AND service_code IN ({', '.join('?' * len(codes))})",  # noqa: E501
            (muni, *codes),
        ).fetchall()
        where.append(f"r.category_id IN ({', '.join('?' * len(cats))})")
        args += [c[0] for c in cats]
        if qs.get("status", [""])[0] == "open":
            where.append(f"r.status IN ({', '.join('?' * len(OPEN))})")
            args += OPEN
        for key, op in (("start_date", ">="), ("end_date", "<=")):
            if key in qs:
                when = dt.datetime.fromisoformat(qs[key][0]).astimezone(dt.UTC).replace(tzinfo=None)
                where.append(f"r.created {op} ?")
                args.append(when.isoformat(sep=" "))
        limit = int(qs.get("page_size", ["1000"])[0])
    rows = db.execute(
        "SELECT r.id, r.status, r.description, r.address, r.lat, r.lon, r.created, r.updated, r.closed_at,"
        " r.deadline, r.moderation_due, r.category_id, r.department_id FROM reports_report r"
        f" WHERE {' AND '.join(where)} ORDER BY r.created DESC, r.id DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    if not rows:
        return []
    marks = ", ".join("?" * len(rows))
    page = [r[0] for r in rows]
    photos: dict[int, list[str]] = {}
    for report, image in db.execute(
        f"SELECT report_id, image FROM reports_photo WHERE report_id IN ({marks}) AND hidden = 0"
        " ORDER BY report_id, id",
        page,
    ):
        photos.setdefault(report, []).append(f"{origin}/media/{quote(image)}")
    notes = dict(
        db.execute(
            f"SELECT report_id, public_note FROM reports_reportevent WHERE report_id IN ({marks})"
            " AND public_note <> '' AND note_state = 'published' ORDER BY report_id, at, id",
            page,
        ).fetchall()
    )
    ru = True
    categories = _names(db, "city_category", muni, ru, "service_code")
    departments = _names(db, "city_department", muni, ru)
    out = []
    for (
        pk,
        status,
        description,
        address,
        lat,
        lon,
        created,
        updated,
        closed,
        deadline,
        moderation,
        cat,
        dept,
    ) in rows:
        is_open = status in OPEN
        end_of_day = dt.datetime.combine(dt.date.fromisoformat(deadline), dt.time(23, 59, 59), tz)
        media = photos.get(pk)
        out.append(
            {
                "service_request_id": pk,
                "status": "open" if is_open else "closed",
                "status_notes": notes.get(pk),
                "service_name": categories[cat][0],
                "service_code": categories[cat][1],
                "description": description,
                "agency_responsible": departments[dept][0] if dept else None,
                "service_notice": (
                    f"Модерация до {moderation}, затем служба должна принять меры до {deadline}."
                    if is_open
                    else None
                ),
                "requested_datetime": _w3c(created, tz),
                "updated_datetime": _w3c(closed if closed and not is_open else updated, tz),
                "expected_datetime": end_of_day.isoformat(),
                "address": address or None,
                "address_id": None,
                "zipcode": None,
                "lat": lat,
                "long": lon,
                "media_url": media[0] if media else None,
            }
        )
    return out


def services(db: sqlite3.Connection) -> list[dict]:
    muni, _ = _city(db)
    rows = db.execute(
        "SELECT c.service_code, c.name, c.description, c.keywords, o.name,"
        " EXISTS (SELECT 1 FROM city_attribute a WHERE a.category_id = c.id)"
        " FROM city_category c JOIN city_objecttype o ON o.id = c.object_type_id"
        " WHERE c.municipality_id = ? AND c.active = 1 ORDER BY c.id",
        (muni,),
    )
    return [
        {
            "service_code": code,
            "service_name": name,
            "description": description or None,
            "metadata": bool(has_attributes),
            "type": "realtime",
            "keywords": keywords or None,
            "group": group,
        }
        for code, name, description, keywords, group, has_attributes in rows
    ]


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    qs = parse_qs(environ.get("QUERY_STRING", ""))
    origin = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
    db = _db()
    if path == "/open311/v2/requests.json":
        data: object = requests(db, qs, origin)
    elif path.startswith("/open311/v2/requests/") and path.endswith(".json"):
        data = requests(db, qs, origin, ids=[int(path.rsplit("/", 1)[1][:-5])])
    elif path == "/open311/v2/services.json":
        data = services(db)
    elif path == "/healthz":
        data = "ok"
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]
