"""Writes about one person across the apps: erasing a citizen's account, the data export (which writes
its audit entry), and consents with what their withdrawal stops. Keyword-only, in a transaction.

Log lines name an account by its numeric id at most: never an e-mail, a username or an address."""

from __future__ import annotations

import logging
from typing import IO

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.accounts.models import Consent, User
from gorod.accounts.roles import needs_second_factor
from gorod.accounts.services import AccountInvalid, consent_record
from gorod.consultations import personal_data as consultation_data
from gorod.consultations.services import project_follows_forget
from gorod.core import audit
from gorod.notifications.models import Follow
from gorod.notifications.selectors import NEWS_KINDS
from gorod.notifications.services import addresses_forget, deliveries_forget
from gorod.privacy import export, parts
from gorod.privacy.selectors import account_export, addresses_of, reports_of
from gorod.reports.services import pii

logger = logging.getLogger("gorod.privacy")


def account_export_zip(*, user: User) -> IO[bytes]:
    """The person's data as a zip (privacy.export), its download written to the audit trail. The zip is
    built outside any transaction: on SQLite one would hold the write lock while photos are copied."""
    found = account_export(user)
    archive = export.write_zip(found)
    audit.record(
        action="account.export",
        actor=user,
        object_type="user",
        object_id=user.pk,
        detail={
            "reports": len(found.data["reports"]),
            "photos": len(found.photos),
            "mails": len(found.mails),
        },
    )
    return archive


@transaction.atomic
def consent_change(*, user: User, purpose: str, given: bool, language: str = "") -> Consent:
    """Give or withdraw a consent (accounts.consent_record) and apply a withdrawal at once: no report of
    theirs shows their name any more; news mails already queued for them are cancelled (and fanout
    writes no new ones: notifications checks accounts.selectors.mails_withdrawn)."""
    consent = consent_record(user=user, purpose=purpose, given=given, language=language)
    if given:
        return consent
    reports = reports_of(user)
    if purpose == Consent.Purpose.PUBLISH_NAME:
        pii.reports_hide_names(reports=reports)
    elif purpose == Consent.Purpose.MAILS:
        deliveries_forget(
            recipient_hashes=addresses_of(user),
            report_ids=list(reports.values_list("pk", flat=True)),
            kinds=NEWS_KINDS,
            pending_only=True,
        )
    return consent


@transaction.atomic
def account_erase(*, user: User, password: str) -> None:
    """Erase a citizen's account (the right to erasure): the reports stay, as public records, but lose
    every contact detail and their link to the person; follows, alerts, sign-in links and 2FA devices
    go with the account, and so does every e-mail delivery about the person, queued, held, sent or dead
    (notifications.services.deliveries_forget), and what the outbox knew of their addresses unless they
    stopped all mail to one (notifications.services.addresses_forget), all in this one transaction.
    Staff accounts are closed by a city administrator instead (their actions are part of the city's
    record). Raises PermissionDenied for staff, AccountInvalid for a wrong password."""
    if needs_second_factor(user) or user.is_superuser:
        raise PermissionDenied(_("Staff accounts are closed by a city administrator."))
    if not user.check_password(password or ""):
        logger.warning("account erasure refused: wrong password (user id=%s)", user.pk)
        raise AccountInvalid({"password": [_("Your password is not right.")]})
    user_id = user.pk
    addresses = addresses_of(user)
    report_ids = pii.reports_forget_author(reports=reports_of(user))
    mails = deliveries_forget(recipient_hashes=addresses, report_ids=report_ids)
    # What the outbox knew of these addresses goes too, except a stop: "never mail me" must outlive the
    # account (the row holds a keyed hash only).
    addresses_forget(address_hashes=addresses)
    if user.email_hash:
        # Follows made by e-mail before signing up carry the same address.
        Follow.objects.filter(user=None, email_hash=user.email_hash).delete()
        project_follows_forget(email_hash=user.email_hash)
    # Contributions to projects stay in the consultation's record without the person; votes go.
    consulted = consultation_data.erase(user)
    elsewhere = parts.erase(user)  # stories, area subscriptions (apps beside privacy)
    _forget_sign_in_attempts(user.get_username())
    audit.record(
        action="account.erase",
        actor=user,
        object_type="user",
        object_id=user_id,
        detail={"reports": len(report_ids), "mails": mails, **consulted, **elsewhere},
    )
    user.delete()
    logger.info(
        "account erased (user id=%s, reports anonymised=%s, mails deleted=%s)",
        user_id,
        len(report_ids),
        mails,
    )


def _forget_sign_in_attempts(username: str) -> None:
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
