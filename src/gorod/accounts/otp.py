"""What the 2FA set-up page shows: the otpauth:// URI as an inline SVG QR code (no image request, no
script: the CSP allows neither from elsewhere) and the secret as text for typing in by hand."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as authenticator apps ask for it."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """SVG markup made by segno from the device's URI: only paths and the escaped title, no user text."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="otp-qr", title=title)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 (segno output, escaped title)
