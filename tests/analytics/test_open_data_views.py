"""The /data/ page, the downloads and the DCAT catalogue."""

from __future__ import annotations

import json

import pytest

from gorod.analytics.opendata.generate import generate


@pytest.fixture
def generated(settings, tmp_path, city, file_report):
    settings.GOROD_OPEN_DATA_DIR = tmp_path / "open-data"
    file_report()
    generate(city)
    return city


@pytest.mark.parametrize(
    "language, expected",
    [("ru", ["Открытые данные", "Словарь данных", "Сообщения о проблемах", "номер сообщения"]),
     ("en", ["Open data", "Data dictionary", "Problem reports", "report number"])],
)  # fmt: skip
def test_the_page_lists_datasets_with_sizes_rows_dictionary_and_licence(
    client, generated, language, expected
):
    response = client.get("/data/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html
    assert "/data/testgrad/reports.csv" in html and "/data/testgrad/reports.geojson" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html and "CC BY 4.0" in html


def test_the_page_before_the_first_run_says_so(client, settings, tmp_path, city):
    settings.GOROD_OPEN_DATA_DIR = tmp_path / "none"
    response = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "have not been generated yet" in response.content.decode()


def test_a_download_is_an_attachment_with_caching_headers(client, generated):
    response = client.get("/data/testgrad/reports.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="testgrad-reports.csv"'
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["Last-Modified"] and response["ETag"]
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("id,service_code,")
    geo = client.get("/data/testgrad/reports.geojson")
    assert geo.status_code == 200 and geo["Content-Type"].startswith("application/geo+json")


@pytest.mark.parametrize(
    "path",
    [
        "/data/testgrad/secrets.csv",
        "/data/testgrad/manifest.json",
        "/data/testgrad/..%2F..%2Fsecret_key",
        "/data/testgrad/../gorod.sqlite3",
        "/data/testgrad/.reports.csv.tmp",
        "/data/atlantis/reports.csv",
        "/data/testgrad/reports.exe",
        "/data/testgrad/REPORTS.CSV",
    ],
)
def test_unknown_names_are_404(client, generated, path):
    assert client.get(path).status_code == 404


def test_the_catalogue_is_json_ld_with_dcat_fields(client, generated):
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    assert "@context" in data and data["@type"] == "dcat:Catalog"
    datasets = data["dcat:dataset"]
    assert {d["dct:identifier"] for d in datasets} >= {"testgrad/reports", "testgrad/performance"}
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:downloadURL"].startswith("http://testserver/data/testgrad/")
            assert distribution["dcat:mediaType"].startswith("https://www.iana.org/assignments/media-types/")
            assert distribution["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"
            assert distribution["dct:modified"]
            assert (
                client.get(distribution["dcat:downloadURL"].removeprefix("http://testserver")).status_code
                == 200
            )


def test_the_catalogue_expands_as_json_ld(client, generated):
    pyld = pytest.importorskip("pyld")
    expanded = pyld.jsonld.expand(json.loads(client.get("/data/catalog.jsonld").content))
    types = {t for node in expanded for t in node.get("@type", [])}
    assert "http://www.w3.org/ns/dcat#Catalog" in types


def test_every_page_links_to_open_data(client, city):
    assert 'href="/data/"' in client.get("/performance/").content.decode()


def test_a_client_with_the_current_file_gets_304(client, generated):
    first = client.get("/data/testgrad/reports.csv")
    again = client.get("/data/testgrad/reports.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    since = client.get("/data/testgrad/reports.csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get("/data/testgrad/reports.csv", HTTP_IF_NONE_MATCH='"0-0"')
    assert stale.status_code == 200


def test_only_get_is_allowed(client, generated):
    assert client.post("/data/testgrad/reports.csv").status_code == 405


def test_the_english_page_has_no_russian_word(client, generated):
    import re

    html = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert re.findall(r"[А-Яа-яЁё]+", main) == []
