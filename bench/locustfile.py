"""A St Petersburg peak for locust (bench/load.py runs it headless; issue 10, item 4).

Reads outnumber writes a hundred to one: residents look at the map, the list and report pages, city apps
poll Open311, residents look at the participatory-budgeting pages; about one request in a hundred writes:
a report filed (Open311 POST) or a ballot cast in the demo's open vote. A voter opens the ballot, ticks one
to three projects, gives a one-time voting code (printed by bench/pb_voters.py before the run; each code
is used once) and reads the receipt. The weights below are per mille of tasks. Report ids, service codes
and places come from the server itself at the start (the newest 200 reports), so the scenario runs
against any seeded database.

    uv run --frozen locust -f bench/locustfile.py --host http://127.0.0.1:8000   # web UI
Environment: GOROD_LOAD_JURISDICTION (default spb.gorod.local, the demo's main city);
GOROD_LOAD_API_KEY (an Open311 key, `gorod create_api_key`) for the report POSTs;
GOROD_LOAD_VOTERS (the JSON file of bench/pb_voters.py) for the ballots, which are skipped without it."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, events, tag, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # locust puts only bench/ on the path
from bench.pb_voters import ballot_form

SEEN: dict = {"ids": [], "points": [], "services": [], "jurisdiction": ""}
# (slug, scope, code) of every voter not yet voted: popped by the ballot task, so each code votes once.
VOTERS: list[tuple[str, str, str]] = []


@events.test_start.add_listener
def _learn_the_city(environment, **_kwargs):
    import requests

    host = environment.host.rstrip("/")
    # The demo serves two cities (seed_demo adds a small second one): Open311 is asked about one.
    SEEN["jurisdiction"] = os.environ.get("GOROD_LOAD_JURISDICTION", "spb.gorod.local")
    city = {"jurisdiction_id": SEEN["jurisdiction"]}
    discovery = requests.get(f"{host}/open311/v2/services.json", params=city, timeout=60).json()
    # Services without required attributes: a POST with no attribute[...] fields is valid for them.
    SEEN["services"] = [s["service_code"] for s in discovery if not s.get("metadata")] or [
        discovery[0]["service_code"]
    ]
    latest = requests.get(
        f"{host}/open311/v2/requests.json", params={"page_size": 200, **city}, timeout=60
    ).json()
    SEEN["ids"] = [r["service_request_id"] for r in latest] or [1]
    SEEN["points"] = [(r["lat"], r["long"]) for r in latest if r.get("lat")] or [(59.94, 30.31)]
    voters = os.environ.get("GOROD_LOAD_VOTERS")
    if voters:
        with open(voters) as f:
            data = json.load(f)
        VOTERS[:] = [(data["slug"], b["scope"], code) for b in data["ballots"] for code in b["codes"]]
        random.shuffle(VOTERS)


class Resident(HttpUser):
    # A person reads a page and looks at it a moment; the rate comes from the number of users.
    wait_time = between(0.5, 1.5)

    def _id(self):
        return random.choice(SEEN["ids"])

    @task(300)
    def map_clusters(self):
        zoom = random.choice((10, 11, 12, 13))
        self.client.get(f"/reports/map.json?zoom={zoom}", name="/reports/map.json")

    @task(120)
    def report_list(self):
        self.client.get("/reports/", name="/reports/")

    @task(200)
    def report_page(self):
        self.client.get(f"/reports/{self._id()}/", name="/reports/<id>/")

    @task(150)
    def open311_list(self):
        lat, lon = random.choice(SEEN["points"])
        box = f"{lon - 0.04},{lat - 0.02},{lon + 0.04},{lat + 0.02}"  # west,south,east,north
        self.client.get(
            f"/open311/v2/requests.json?jurisdiction_id={SEEN['jurisdiction']}&bbox={box}&page_size=100",
            name="open311 requests.json",
        )

    @task(100)
    def open311_one(self):
        self.client.get(
            f"/open311/v2/requests/{self._id()}.json?jurisdiction_id={SEEN['jurisdiction']}",
            name="open311 requests/<id>.json",
        )

    @task(60)
    def open311_services(self):
        self.client.get(
            f"/open311/v2/services.json?jurisdiction_id={SEEN['jurisdiction']}", name="open311 services.json"
        )

    @task(60)
    def budgeting(self):
        self.client.get("/pb/", name="/pb/")

    @tag("ballot")  # `locust --tags ballot`: voters only, to try the voting flow
    @task(4)
    def cast_ballot(self):
        """The ballot page, the ballot (a write), the receipt page."""
        if not os.environ.get("GOROD_LOAD_VOTERS"):
            return
        if not VOTERS:  # more ballots than bench/pb_voters.py prepared: visible, not silently skipped
            events.request.fire(
                request_type="POST", name="pb ballot", response_time=0, response_length=0,
                exception=RuntimeError("no voting code left: prepare more (bench/pb_voters.py --count)"),
            )  # fmt: skip
            return
        slug, scope, code = VOTERS.pop()
        url = f"/pb/{slug}/vote/{scope}/"
        page = self.client.get(url, name="/pb/<slug>/vote/<scope>/")
        token, projects = ballot_form(page.text)
        chosen = random.sample(projects, k=min(len(projects), random.randint(1, 3)))
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": token, "project": chosen, "code": code},
            name="pb ballot",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # Counted, the ballot's answer is a redirect to its receipt; a refusal re-shows the form (400).
            if answer.status_code == 302 and "/receipt/" in answer.headers.get("Location", ""):
                answer.success()
            else:
                answer.failure(f"ballot not cast: HTTP {answer.status_code}")
                return
        self.client.get(f"/pb/{slug}/receipt/", name="/pb/<slug>/receipt/")

    @task(6)
    def file_report(self):
        lat, lon = random.choice(SEEN["points"])  # where a report already is: inside a district
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": os.environ.get("GOROD_LOAD_API_KEY", ""),
                "jurisdiction_id": SEEN["jurisdiction"],
                "service_code": random.choice(SEEN["services"]),
                "lat": str(lat),
                "long": str(lon),
                "description": "Нагрузочный тест: яма у подъезда",
                "email": f"load{random.randrange(10**6)}@example.org",
            },
            name="open311 POST requests.json",
            catch_response=True,
        ) as answer:
            # A service out of season refuses with a 400 and its reason: an answer, not a failure.
            if answer.status_code in (200, 400):
                answer.success()
