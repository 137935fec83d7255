"""Twilio Programmable Messaging.

Inbound: Twilio POSTs form-encoded fields (MessageSid, From, To, Body, …) to the webhook URL configured on
the number, signed in X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + every POST parameter's name
and value, sorted by name, concatenated without separators)). The URL is the one Twilio called, so behind
a proxy set GOROD_SMS_WEBHOOK_URL to it; like Twilio's own libraries we also accept it with the default
port added or removed. Twilio retries a webhook that timed out with the same MessageSid: text-in treats
that as a replay. The answer is an empty TwiML document: replies go through the outbox, not the answer.

Outbound: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with To, From (or MessagingServiceSid)
and Body, HTTP basic auth AccountSid:AuthToken; 201 carries the message's sid."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gorod.consultations.textin.gateways import BadInbound, GatewayError, Inbound, clean_body

SIGNATURE_HEADER = "X-Twilio-Signature"
_SID = re.compile(r"^[A-Za-z0-9]{10,64}$")
# Twilio's error codes that mean "this number will not take messages from you": retrying cannot help.
_REFUSED = {21211, 21408, 21610, 21612, 21614}


def signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    payload = url + "".join(name + value for name in sorted(params) for value in sorted(set(params[name])))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def url_variants(url: str) -> list[str]:
    """The URL as given, and with the scheme's default port removed or added (Twilio may sign either)."""
    parts = urllib.parse.urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    variants = [url]
    if default is None or not parts.hostname:
        return variants
    host = parts.hostname
    if parts.port is None:
        variants.append(urllib.parse.urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    elif parts.port == default:
        variants.append(urllib.parse.urlunsplit(parts._replace(netloc=host)))
    return variants


def _auth_token() -> str:
    return getattr(settings, "GOROD_TWILIO_AUTH_TOKEN", "") or ""


class Twilio:
    name = "twilio"

    def verify(self, request: HttpRequest) -> bool:
        token = _auth_token()
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not token or not given:
            return False
        url = getattr(settings, "GOROD_SMS_WEBHOOK_URL", "") or request.build_absolute_uri()
        params = {name: request.POST.getlist(name) for name in request.POST}
        return any(
            hmac.compare_digest(signature(token, candidate, params).encode(), given.encode())
            for candidate in url_variants(url)
        )

    def parse(self, request: HttpRequest) -> Inbound:
        sid = request.POST.get("MessageSid", "")
        sender = request.POST.get("From", "")
        if not _SID.match(sid) or not sender or len(sender) > 40:
            raise BadInbound("MessageSid or From missing or malformed")
        return Inbound(
            message_id=sid,
            sender=sender,
            to=request.POST.get("To", "")[:40],
            body=clean_body(request.POST.get("Body", "")),
        )

    def acknowledge(self) -> HttpResponse:
        return HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml"
        )

    def send(self, *, to: str, body: str, key: str) -> str:
        sid = getattr(settings, "GOROD_TWILIO_ACCOUNT_SID", "") or ""
        token = _auth_token()
        if not sid or not token:
            raise GatewayError("Twilio account SID or auth token not configured")
        fields = {"To": to, "Body": body}
        service = getattr(settings, "GOROD_TWILIO_MESSAGING_SERVICE_SID", "") or ""
        if service:
            fields["MessagingServiceSid"] = service
        else:
            fields["From"] = getattr(settings, "GOROD_SMS_NUMBER", "") or ""
        base = (getattr(settings, "GOROD_TWILIO_API_URL", "") or "https://api.twilio.com").rstrip("/")
        url = f"{base}/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json"
        status, answer = post(url, fields, auth=(sid, token))
        if 200 <= status < 300:
            try:
                return str(json.loads(answer).get("sid", ""))[:64]
            except ValueError:
                return ""
        code = _error_code(answer)
        permanent = code in _REFUSED or (400 <= status < 500 and status not in (408, 429))
        # The answer's message may quote the number: keep the codes only.
        raise GatewayError(f"Twilio HTTP {status}" + (f" code {code}" if code else ""), permanent=permanent)


def _error_code(answer: bytes) -> int | None:
    try:
        code = json.loads(answer).get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None


def timeout() -> float:
    return float(getattr(settings, "GOROD_HTTP_TIMEOUT_S", 5))


def post(url: str, fields: dict[str, str], *, auth: tuple[str, str]) -> tuple[int, bytes]:
    """POST a form; returns (status, body) for any HTTP answer, GatewayError when there is none."""
    if not url.lower().startswith("https://") and not url.lower().startswith("http://127.0.0.1"):
        raise GatewayError("the Twilio API URL must be https", permanent=True)
    credentials = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "Gorod",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as answer:  # noqa: S310
            return answer.status, answer.read(100_000)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(100_000)
    except TimeoutError:
        raise GatewayError("Twilio timeout") from None
    except (urllib.error.URLError, OSError) as exc:
        raise GatewayError(f"Twilio unreachable: {type(exc).__name__}") from None
