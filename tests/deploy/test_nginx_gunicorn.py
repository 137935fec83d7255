"""deploy/nginx-gorod.conf in front of a real `gorod serve` (gunicorn), as docs/deploy.md installs them:
Debian's nginx with a certificate made now, on free ports. A smoke run: the home page through TLS, a
static file with its hashed name (WhiteNoise), a photo from /media/ read by nginx itself, the redirect
to https and the upload limit. `make test` installs nginx when missing (the Makefile's nginx step)."""

from __future__ import annotations

import getpass
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import make_jpeg
from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx-gorod.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)

pytestmark = pytest.mark.skipif(
    NGINX is None or shutil.which("openssl") is None,
    reason="Debian's nginx (and openssl) are needed: `make test` installs nginx-light as root, "
    "otherwise `sudo apt-get install nginx-light`",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace_once(text: str, old: str, new: str) -> str:
    """Each value the test changes must be in the shipped file exactly once, or the test says so."""
    assert text.count(old) == 1, f"deploy/nginx-gorod.conf no longer has {old!r} once"
    return text.replace(old, new)


def database_url(tmp_path: Path) -> str:
    """A database the server processes can open, holding what this test wrote."""
    if connection.vendor == "sqlite":  # the test database lives in this process's memory: copy it
        connection.ensure_connection()
        path = tmp_path / "db.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict  # PostgreSQL: the test database itself (transactional_db committed it)
    user = quote(s.get("USER") or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
    return f"postgres://{user}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class Running:
    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], log: Path, env: dict) -> subprocess.Popen:
        proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def running():
    r = Running()
    yield r
    r.stop()


def request(port: int, method: str, path: str, *, headers=None, body=None, tls=True):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate was made a second ago, by us
    conn = (
        http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=60)
        if tls
        else http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    )
    try:
        conn.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_nginx_in_front_of_gorod_serve(transactional_db, city, tmp_path, running):
    work = tmp_path / "nginx"
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / d).mkdir(parents=True)
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    photo = make_jpeg()
    (media / "photos" / "a1b2.jpg").write_bytes(photo)
    (media / "photos" / "evil.html").write_text("<script>alert(1)</script>")
    static_root = tmp_path / "static"
    env = {k: v for k, v in os.environ.items() if k != "GOROD_TESTING"} | {
        "DATABASE_URL": database_url(tmp_path),
        "GOROD_STATIC_ROOT": str(static_root),
        "GOROD_MEDIA_ROOT": str(media),
        "GOROD_SERVE_MEDIA": "0",  # if nginx did not serve /media/, nobody would
        "GOROD_TRUSTED_PROXIES": "1",
        "GOROD_HTTPS": "1",
        "GOROD_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    gorod = [sys.executable, "-m", "gorod.cli"]
    collect = running.start([*gorod, "collectstatic", "--noinput", "-v", "0"], tmp_path / "collect.log", env)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=localhost", "-keyout", work / "key.pem", "-out", work / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    web, http_port, https_port = free_port(), free_port(), free_port()
    site = SITE.read_text()
    site = replace_once(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{web};")
    site = replace_once(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = replace_once(site, "    listen [::]:80;\n", "")
    site = replace_once(
        site, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"
    )
    site = replace_once(site, "    listen [::]:443 ssl http2;\n", "")
    site = site.replace("server_name gorod.example.org;", "server_name localhost;")
    site = replace_once(site, "/etc/ssl/gorod/fullchain.pem", str(work / "cert.pem"))
    site = replace_once(site, "/etc/ssl/gorod/privkey.pem", str(work / "key.pem"))
    site = replace_once(site, "alias /srv/gorod/var/media/;", f"alias {media}/;")
    (work / "site.conf").write_text(site)
    temp_paths = "\n".join(f"    {d}_temp_path {work / d};" for d in ("fastcgi", "uwsgi", "scgi", "proxy"))
    # As root, nginx's workers would become www-data, who cannot read pytest's private tmp directory.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/access.log;
    client_body_temp_path {work / "body"};
{temp_paths}
    include {work}/site.conf;
}}
"""
    )
    check = subprocess.run([NGINX, "-t", "-c", work / "nginx.conf"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert collect.wait(timeout=120) == 0, (tmp_path / "collect.log").read_text()
    assert (static_root / "staticfiles.json").exists()
    server = running.start(
        [*gorod, "serve", "--port", str(web), "--workers", "2"], tmp_path / "serve.log", env
    )
    nginx = running.start([NGINX, "-c", work / "nginx.conf"], work / "nginx.out", env)

    def answers() -> bool:
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        assert nginx.poll() is None, (work / "error.log").read_text()
        try:
            return request(https_port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    log_size = lambda: (tmp_path / "serve.log").stat().st_size  # noqa: E731  gunicorn logs while booting
    wait_for(answers, progress=log_size, what="gunicorn behind nginx", patience=60)

    # The home page through TLS; proxy headers say https, so Django neither redirects nor complains.
    status, headers, body = request(https_port, "GET", "/")
    assert status == 200, body[:500]
    assert headers["Server"].startswith("nginx")
    assert "Strict-Transport-Security" in headers
    html = body.decode()
    assert "Тестоград" in html

    # A static file under its hashed name, compressed, cached for a year (WhiteNoise).
    css = re.search(r"/static/gorod/css/site\.[0-9a-f]{12}\.css", html)
    assert css, "the page links its stylesheet under a hashed name"
    status, headers, body = request(https_port, "GET", css.group(0), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]

    # /media/ is read from disk by nginx (the app was told not to serve it); only images.
    status, headers, body = request(https_port, "GET", "/media/photos/a1b2.jpg")
    assert (status, body) == (200, photo)
    assert headers["Content-Type"] == "image/jpeg"
    assert request(https_port, "GET", "/media/photos/evil.html")[0] == 404

    # Plain http is sent to https.
    status, headers, _ = request(http_port, "GET", "/reports/", tls=False)
    assert status == 301 and headers["Location"] == "https://localhost/reports/"

    # The upload limit: a body over client_max_body_size is refused by nginx before gunicorn sees it;
    # one under it reaches Gorod, which answers the (empty) Open311 form itself.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # Only the headers are sent: nginx judges the announced length and answers at once.
    too_big = form | {"Content-Length": str(33 << 20)}
    status, headers, _ = request(https_port, "POST", "/open311/v2/requests.json", headers=too_big)
    assert status == 413 and headers["Server"].startswith("nginx")
    status, _, body = request(
        https_port, "POST", "/open311/v2/requests.json", headers=form, body=b"x=" + b"1" * (1 << 20)
    )
    assert status != 413 and status < 500, body[:300]
