"""OpenID Connect eligibility against a small provider started by the test (discovery, JWKS, token
endpoint with PKCE and client authentication), signing ID tokens with an RSA key made here."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from gorod.budgeting.eligibility import oidc
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.issuer = ""
        self.client_id, self.client_secret = "gorod", "s3cret"
        self.tamper: dict = {}  # claims or header overrides for the next token
        self.sign_with = None

    def authorize(self, url: str, claims: dict) -> tuple[str, str]:
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert q["code_challenge_method"] == "S256" and q["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q["code_challenge"],
            "nonce": q["nonce"],
            "claims": claims,
            "redirect": q["redirect_uri"],
        }
        return code, q["state"]

    def token(self, claims: dict, nonce: str) -> str:
        now = int(clock.now().timestamp())
        body = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "person-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
        }
        header = {"alg": "RS256", "kid": "k1", "typ": "JWT"}
        body.update(self.tamper.get("claims", {}))
        header.update(self.tamper.get("header", {}))
        signing = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
        key = self.sign_with or self.key
        return f"{signing}.{b64(key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256()))}"

    def jwks(self) -> dict:
        n = self.key.public_key().public_numbers()
        as_bytes = lambda v: v.to_bytes((v.bit_length() + 7) // 8, "big")  # noqa: E731
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "kid": "k1",
                    "alg": "RS256",
                    "use": "sig",
                    "n": b64(as_bytes(n.n)),
                    "e": b64(as_bytes(n.e)),
                }
            ]
        }


@pytest.fixture
def provider(settings):
    p = Provider()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _json(self, status: int, data) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/.well-known/openid-configuration":
                self._json(
                    200,
                    {
                        "issuer": p.issuer,
                        "authorization_endpoint": p.issuer + "/authorize",
                        "token_endpoint": p.issuer + "/token",
                        "jwks_uri": p.issuer + "/jwks",
                    },
                )
            elif self.path == "/jwks":
                self._json(200, p.jwks())
            else:
                self._json(404, {})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            expected = "Basic " + base64.b64encode(f"{p.client_id}:{p.client_secret}".encode()).decode()
            grant = p.codes.pop(form.get("code", ""), None)
            if self.headers.get("Authorization") != expected:
                return self._json(401, {"error": "invalid_client"})
            if grant is None or form.get("redirect_uri") != grant["redirect"]:
                return self._json(400, {"error": "invalid_grant"})
            if b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest()) != grant["challenge"]:
                return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            self._json(
                200,
                {
                    "access_token": "x",
                    "token_type": "Bearer",
                    "id_token": p.token(grant["claims"], grant["nonce"]),
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    p.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # A long timeout: the provider answers at once, only a loaded machine could make it look down.
    settings.GOROD_PB_OIDC = {
        "issuer": p.issuer,
        "client_id": p.client_id,
        "client_secret": p.client_secret,
        "timeout": 60,
    }
    yield p
    server.shutdown()
    server.server_close()


@pytest.fixture
def oidc_process(make_process, on_ballot, districts):
    process = make_process(allow_census=False, allow_oidc=True, min_age=18)
    on_ballot(process, [("1", 100, None), ("n1", 100, districts["north"])])
    return process


def sign_in(en_client, process, provider, claims):
    start = en_client.get(f"/pb/{process.slug}/oidc/")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer + "/authorize?")
    code, state = provider.authorize(start["Location"], claims)
    return en_client.get("/pb/oidc/callback/", {"code": code, "state": state}, follow=True)


def vote(en_client, process, scope="north", choice="n1"):
    return en_client.post(f"/pb/{process.slug}/vote/{scope}/", {"project": [choice]})


def test_resident_confirmed_by_the_provider_votes_in_their_district(en_client, provider, oidc_process):
    page = sign_in(en_client, oidc_process, provider, {"district": "north", "birthdate": "1990-01-01"})
    assert "confirmed you" in page.content.decode()
    assert vote(en_client, oidc_process).status_code == 302
    assert Ballot.objects.filter(process=oidc_process).count() == 1
    # Changing the ballot works while the confirmation lasts; the last one counts.
    assert vote(en_client, oidc_process).status_code == 302
    assert Ballot.objects.filter(process=oidc_process).count() == 1
    # The session keeps a hash of the subject, never the subject itself.
    saved = en_client.session[oidc.SESSION_CLAIMS][str(oidc_process.pk)]
    assert "person-1" not in json.dumps(saved)


def test_resident_of_another_district_is_refused(en_client, provider, oidc_process):
    sign_in(en_client, oidc_process, provider, {"district": "south", "birthdate": "1990-01-01"})
    response = vote(en_client, oidc_process)
    assert response.status_code == 400 and "not registered as a resident" in response.content.decode()
    assert vote(en_client, oidc_process, scope="city", choice="1").status_code == 302


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"district": "north", "birthdate": "2012-01-01"}, "age of 18"),
        ({"district": "north"}, "date of birth is needed"),
    ],
)
def test_age_is_checked_at_ballot_time(en_client, provider, oidc_process, claims, message):
    sign_in(en_client, oidc_process, provider, claims)
    response = vote(en_client, oidc_process)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"claims": {"aud": "someone-else"}},
        {"claims": {"iss": "http://evil.example"}},
        {"claims": {"exp": 1000}},
        {"claims": {"nonce": "replayed"}},
        {"header": {"alg": "none"}},
        {"header": {"kid": "unknown"}},
        {"sign_with_other_key": True},
    ],
)
def test_bad_id_tokens_are_refused(en_client, provider, oidc_process, tamper):
    if tamper.pop("sign_with_other_key", False):
        provider.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    provider.tamper = tamper
    page = sign_in(en_client, oidc_process, provider, {"district": "north", "birthdate": "1990-01-01"})
    assert "could not be verified" in page.content.decode() or "unknown key" in page.content.decode()
    assert (
        oidc.SESSION_CLAIMS not in en_client.session
        or str(oidc_process.pk) not in en_client.session[oidc.SESSION_CLAIMS]
    )
    response = vote(en_client, oidc_process)
    assert response.status_code == 400 and not Ballot.objects.exists()


def test_callback_with_a_forged_state_is_refused(en_client, provider, oidc_process):
    page = en_client.get("/pb/oidc/callback/", {"code": "x", "state": "forged"}, follow=True)
    assert "expired or was not started here" in page.content.decode()


def test_expired_confirmation_must_be_renewed(en_client, provider, oidc_process, settings):
    sign_in(en_client, oidc_process, provider, {"district": "north", "birthdate": "1990-01-01"})
    with clock.frozen(clock.now().replace(hour=23)):
        response = vote(en_client, oidc_process)
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_provider_down_is_a_clear_message(en_client, oidc_process, settings):
    settings.GOROD_PB_OIDC = {
        "issuer": "http://127.0.0.1:9",
        "client_id": "x",
        "client_secret": "y",
        "timeout": 2,
    }
    page = en_client.get(f"/pb/{oidc_process.slug}/oidc/", follow=True)
    assert "did not answer" in page.content.decode()


def test_verify_rejects_garbage_tokens():
    for token in ("", "a.b", "a.b.c", "x" * 50):
        with pytest.raises(Refused):
            oidc.verify_id_token(token, jwks={"keys": []}, issuer="i", client_id="c", nonce="n")


def test_another_subject_in_the_same_browser_cannot_replace_the_ballot(en_client, provider, oidc_process):
    """A re-vote replaces a ballot only for the same subject: a second person signing in on a shared
    computer gets a ballot of their own, and the first one stays counted."""
    claims = {"district": "north", "birthdate": "1990-01-01"}
    sign_in(en_client, oidc_process, provider, claims)
    vote(en_client, oidc_process, choice="n1")
    first = Ballot.objects.get(process=oidc_process)
    sign_in(en_client, oidc_process, provider, {**claims, "sub": "person-2"})
    assert vote(en_client, oidc_process, choice="n1").status_code == 302
    assert Ballot.objects.filter(process=oidc_process).count() == 2
    assert Ballot.objects.filter(pk=first.pk).exists()
    # The first person signing in again changes their own ballot, and only theirs.
    sign_in(en_client, oidc_process, provider, claims)
    assert vote(en_client, oidc_process, choice="n1").status_code == 302
    assert Ballot.objects.filter(process=oidc_process).count() == 2
    assert not Ballot.objects.filter(pk=first.pk).exists()


def test_a_sign_in_answer_is_accepted_once_and_only_by_the_browser_that_began_it(
    en_client, provider, oidc_process
):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    start = en_client.get(f"/pb/{oidc_process.slug}/oidc/")
    code, state = provider.authorize(start["Location"], {"district": "north", "birthdate": "1990-01-01"})
    # Another browser presenting the state (a link sent to a victim, say) is not this sign-in.
    elsewhere = client.get("/pb/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert "expired or was not started here" in elsewhere.content.decode()
    assert oidc.SESSION_CLAIMS not in client.session
    done = en_client.get("/pb/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert "confirmed you" in done.content.decode()
    replay = en_client.get("/pb/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert "expired or was not started here" in replay.content.decode()
