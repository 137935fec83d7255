"""A small HTTP client for webhooks and outbound Open311: short timeouts, no redirects followed (a POST
must not silently become a GET elsewhere), and failures reduced to a reason without personal data."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class DeliveryError(Exception):
    """A send failed. `permanent` means retrying cannot help (a 4xx answer): the delivery goes dead."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason[:300]
        self.permanent = permanent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Response:
    status: int
    body: bytes


def timeout() -> float:
    return float(getattr(settings, "GOROD_HTTP_TIMEOUT_S", 5))


def request(
    method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    """Raise DeliveryError unless the answer is 2xx."""
    if not url.lower().startswith(("http://", "https://")):
        raise DeliveryError("not an http(s) URL", permanent=True)
    # The scheme is checked just above: no file: or other handlers.
    req = urllib.request.Request(  # noqa: S310
        url, data=data, method=method, headers={"User-Agent": "Gorod", **(headers or {})}
    )
    try:
        with _opener.open(req, timeout=timeout()) as answer:
            return Response(answer.status, answer.read(1_000_000))
    except urllib.error.HTTPError as exc:
        code = exc.code
        # 408 and 429 say "later"; other 4xx say the request itself is wrong.
        permanent = 400 <= code < 500 and code not in (408, 409, 425, 429)
        raise DeliveryError(f"HTTP {code}", permanent=permanent) from None
    except TimeoutError:
        raise DeliveryError("timeout") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise DeliveryError("timeout") from None
        raise DeliveryError(f"connection failed: {type(reason).__name__}") from None
    except (ConnectionError, OSError) as exc:
        raise DeliveryError(f"connection failed: {type(exc).__name__}") from None
