"""OpenID Connect: a resident signs in at the city's identity provider (authorization-code flow with PKCE)
and the ID token's claims say their district and date of birth.

Configuration (settings.GOROD_PB_OIDC, a dict): issuer, client_id, client_secret, and optionally
district_claim (default "district": a district slug or name), birthdate_claim (default "birthdate",
YYYY-MM-DD), scope (default "openid"), timeout (seconds, default 10), lifetime (seconds the confirmation
stays valid in the session, default 3600).

The ID token is verified here with `cryptography` (RS256 against the provider's JWKS; iss, aud, exp,
iat and nonce checked); no JWT library is needed. Only a hash of (issuer, sub), the district and the
date of birth are kept, in the server-side session, for `lifetime`."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
import urllib.request
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.utils.translation import gettext as _

from gorod.budgeting.eligibility import Credentials, Voter, parse_date
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Process
from gorod.core import clock

SESSION_FLOW = "pb_oidc_flow"
SESSION_CLAIMS = "pb_oidc"
LEEWAY = 60  # seconds of clock difference tolerated on exp/iat


class OIDCError(Refused):
    pass


def config() -> dict[str, Any]:
    conf = dict(getattr(settings, "GOROD_PB_OIDC", None) or {})
    if not conf.get("issuer") or not conf.get("client_id"):
        raise OIDCError(_("Signing in with the identity provider is not configured."))
    conf.setdefault("client_secret", "")
    conf.setdefault("district_claim", "district")
    conf.setdefault("birthdate_claim", "birthdate")
    conf.setdefault("scope", "openid")
    conf.setdefault("timeout", 10)
    conf.setdefault("lifetime", 3600)
    return conf


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _http_json(
    url: str, *, data: dict | None = None, timeout: float = 10, auth: tuple[str, str] | None = None
):
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise OIDCError(_("The identity provider gave an address we do not call."))
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})  # noqa: S310
    if auth is not None:
        basic = base64.b64encode(
            f"{urllib.parse.quote(auth[0])}:{urllib.parse.quote(auth[1])}".encode()
        ).decode()
        request.add_header("Authorization", f"Basic {basic}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            return json.loads(response.read(1_000_000))
    except (OSError, ValueError) as exc:
        raise OIDCError(_("The identity provider did not answer properly. Please try again later.")) from exc


def discover(conf: dict[str, Any]) -> dict[str, Any]:
    issuer = conf["issuer"].rstrip("/")
    doc = _http_json(issuer + "/.well-known/openid-configuration", timeout=conf["timeout"])
    if not isinstance(doc, dict) or doc.get("issuer", "").rstrip("/") != issuer:
        raise OIDCError(_("The identity provider's configuration names another issuer."))
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(doc.get(key), str):
            raise OIDCError(_("The identity provider's configuration is incomplete."))
    return doc


def begin(session, process: Process, redirect_uri: str) -> str:
    """Start a sign-in: remember state, nonce and the PKCE verifier in the session; return the URL to
    send the browser to."""
    conf = config()
    doc = discover(conf)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    flows = session.get(SESSION_FLOW, {})
    # At most a few sign-ins in flight per browser; the oldest are forgotten.
    flows = dict(list(flows.items())[-4:])
    flows[state] = {"nonce": nonce, "verifier": verifier, "process": process.pk, "redirect_uri": redirect_uri}
    session[SESSION_FLOW] = flows
    challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": conf["client_id"],
            "redirect_uri": redirect_uri,
            "scope": conf["scope"],
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    sep = "&" if "?" in doc["authorization_endpoint"] else "?"
    return f"{doc['authorization_endpoint']}{sep}{query}"


def finish(session, *, state: str, code: str) -> int:
    """Complete a sign-in from the provider's redirect: exchange the code, verify the ID token and keep
    the confirmation in the session. Returns the process id the sign-in was for."""
    flows = session.get(SESSION_FLOW, {})
    flow = flows.pop(state, None) if state else None
    session[SESSION_FLOW] = flows
    if flow is None or not code:
        raise OIDCError(_("This sign-in has expired or was not started here. Please start again."))
    conf = config()
    doc = discover(conf)
    tokens = _http_json(
        doc["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": flow["redirect_uri"],
            "code_verifier": flow["verifier"],
            "client_id": conf["client_id"],
        },
        auth=(conf["client_id"], conf["client_secret"]),
        timeout=conf["timeout"],
    )
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise OIDCError(_("The identity provider sent no identity token."))
    jwks = _http_json(doc["jwks_uri"], timeout=conf["timeout"])
    claims = verify_id_token(
        tokens["id_token"], jwks=jwks, issuer=doc["issuer"], client_id=conf["client_id"], nonce=flow["nonce"]
    )
    subject = hashlib.sha256(f"{doc['issuer']}\x1f{claims['sub']}".encode()).hexdigest()
    saved = session.get(SESSION_CLAIMS, {})
    saved[str(flow["process"])] = {
        "identity": f"oidc:{subject}",
        "district": str(claims.get(conf["district_claim"], "") or ""),
        "birthdate": str(claims.get(conf["birthdate_claim"], "") or ""),
        "until": int(clock.now().timestamp()) + int(conf["lifetime"]),
    }
    session[SESSION_CLAIMS] = saved
    return int(flow["process"])


def _public_key(jwks: Any, kid: str | None) -> rsa.RSAPublicKey:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        raise OIDCError(_("The identity provider publishes no keys."))
    for jwk in keys:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
            continue
        if kid is not None and jwk.get("kid") != kid:
            continue
        try:
            n = int.from_bytes(_b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(_b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        except (KeyError, ValueError, TypeError) as exc:
            raise OIDCError(_("The identity provider's key cannot be read.")) from exc
    raise OIDCError(_("The identity token was signed with an unknown key."))


def verify_id_token(token: str, *, jwks: Any, issuer: str, client_id: str, nonce: str) -> dict[str, Any]:
    bad = OIDCError(_("The identity token could not be verified."))
    try:
        head_b64, body_b64, sig_b64 = token.split(".")
        header = json.loads(_b64url_decode(head_b64))
        claims = json.loads(_b64url_decode(body_b64))
        signature = _b64url_decode(sig_b64)
    except (ValueError, TypeError) as exc:
        raise bad from exc
    if not isinstance(header, dict) or not isinstance(claims, dict) or header.get("alg") != "RS256":
        raise bad  # "none", HS256 with the public key as secret, and the like are never accepted
    key = _public_key(jwks, header.get("kid"))
    try:
        key.verify(signature, f"{head_b64}.{body_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise bad from exc
    now = clock.now().timestamp()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if (
        str(claims.get("iss", "")).rstrip("/") != issuer.rstrip("/")
        or client_id not in audiences
        or not isinstance(claims.get("exp"), int | float)
        or claims["exp"] + LEEWAY < now
        or (isinstance(claims.get("iat"), int | float) and claims["iat"] - LEEWAY > now)
        or claims.get("nonce") != nonce
        or not claims.get("sub")
    ):
        raise bad
    return claims


def verify(process: Process, credentials: Credentials, district) -> Voter | None:
    """The confirmation kept in this browser's session. Its identity is the provider's subject, so a
    ballot cast with it is replaced only by a later sign-in of the same subject."""
    saved = credentials.oidc
    if not saved:
        return None
    if int(saved.get("until", 0)) < clock.now().timestamp():
        raise Refused(_("Your sign-in with the identity provider has expired. Please sign in again."))
    district_id = None
    name = saved.get("district", "")
    if name:
        found = (
            process.municipality.districts.filter(slug=name).first()
            or process.municipality.districts.filter(name=name).first()
        )
        district_id = found.pk if found else None
    if district is not None and district_id != district.pk:
        # The provider vouched for this person, so telling them where they are registered gives away
        # nothing: there is no number here that a stranger could be probing.
        raise Refused(
            _("You are not registered as a resident of %(district)s.") % {"district": district.label}
        )
    return Voter(
        identity=saved["identity"],
        method="oidc",
        district_id=district_id,
        birth_date=parse_date(saved.get("birthdate", "")),
        age_attested=False,  # the provider must say the date of birth when the process has an age limit
    )
