"""The one family of refusals every reports service raises. Whatever the kind, nothing was written.

    ReportRefused            the base: catch it to handle any refusal
    ├── ReportInvalid        the input is wrong (400); `message_dict` names the fields when it can
    ├── ReportForbidden      this person may not do this (403); also Django's PermissionDenied
    ├── ReportNotFound       what the request points at does not exist or is forged (404)
    └── ReportConflict       the report's present state does not allow it (409)

They are ValidationErrors, so `messages` (and `message_dict` when built from a dict) and `code` work as
Django's do, and a caller that already catches ValidationError keeps working. The messages are the
user-facing texts, translated when raised."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class ReportRefused(ValidationError):
    """A write to reports was refused; nothing was saved."""


class ReportInvalid(ReportRefused):
    """Input refused. Built from a dict, `message_dict` maps a field name to its messages."""


class ReportForbidden(ReportRefused, PermissionDenied):
    """The actor (or the holder of a link) may not do this to this report."""


class ReportNotFound(ReportRefused):
    """The report, event or link named does not exist here, or was forged."""


class ReportConflict(ReportRefused):
    """The workflow or the report's present state does not allow the change."""
