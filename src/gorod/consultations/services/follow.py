"""Following a project and the mails that go to its followers and participants.

Every mail goes into the outbox (core.mail.enqueue_email) in the caller's transaction, with a key that
makes a repeat a no-op: an update mailed twice, or the final report published twice, reaches no one twice.
An e-mail follower's address is encrypted; until its owner proves it the outbox holds these mails and asks
them to confirm (notifications.addresses), so typing a stranger's address into the form sends them only
that one request."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.consultations.errors import Refused
from gorod.consultations.models import Follower, Participation, Project, Update
from gorod.core import crypto
from gorod.core.mail import enqueue_email

logger = logging.getLogger(__name__)
MAX_EMAIL = 254
_UNFOLLOW_SALT = "consultations.unfollow"


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email or len(email) > MAX_EMAIL or "\x00" in email:
        raise Refused(_("Enter a valid e-mail address."), field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(_("Enter a valid e-mail address."), field="email") from None
    return email


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@transaction.atomic
def follow_user(*, project: Project, user, language: str = "") -> Follower:
    if not (user and user.is_authenticated):
        raise Refused(_("Sign in to follow with your account, or give an e-mail address."))
    follower, _created = Follower.objects.get_or_create(
        project=project, user=user, defaults={"language": _language(language)}
    )
    return follower


@transaction.atomic
def follow_by_email(*, project: Project, email: str, language: str = "") -> Follower:
    """Idempotent: the same address twice is one follower (found by its hash; the address itself is never
    compared in clear). The welcome mail is what the outbox holds until the address is confirmed."""
    email = _clean_email(email)
    email_hash = crypto.lookup_hash(email)
    existing = Follower.objects.filter(project=project, user=None, email_hash=email_hash).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follower = Follower.objects.create(
                project=project, email=email, email_hash=email_hash, language=_language(language)
            )
    except IntegrityError:  # the same address sent twice at once
        return Follower.objects.get(project=project, user=None, email_hash=email_hash)
    _mail(
        follower,
        template="followed",
        key=f"consult-followed|{follower.pk}",
        context={"project": project},
    )
    return follower


def unfollow_token(follower: Follower) -> str:
    """The signed id of a follower, for the link in every mail: no address in the URL."""
    return signing.dumps(follower.pk, salt=_UNFOLLOW_SALT)


@transaction.atomic
def unfollow(*, token: str) -> Project | None:
    """Remove the follower the link names; None when the link is not ours (or was used already)."""
    try:
        pk = signing.loads(token, salt=_UNFOLLOW_SALT)
    except signing.BadSignature:
        return None
    follower = Follower.objects.select_related("project").filter(pk=pk).first()
    if follower is None:
        return None
    project = follower.project
    follower.delete()
    return project


@transaction.atomic
def project_follows_forget(*, email_hash: str) -> int:
    """Delete the e-mail follows of one address (erasure; follows by account go with the account)."""
    if not email_hash:
        return 0
    deleted, _by_model = Follower.objects.filter(user=None, email_hash=email_hash).delete()
    return deleted


@transaction.atomic
def participation_record(*, project: Project, user, first_seen: datetime | None = None) -> None:
    """Modules call this when an account contributes, so the final report reaches them. `first_seen` lets
    an anonymous survey give only the day rather than the exact moment of a first contribution."""
    if user is not None and user.is_authenticated:
        defaults = {"first_seen": first_seen} if first_seen is not None else {}
        Participation.objects.get_or_create(project=project, user=user, defaults=defaults)


# --- mails ------------------------------------------------------------------------------------------
def _project_url(project: Project) -> str:
    path = reverse("consultations:project", args=[project.slug])
    return city_selectors.site_url(project.municipality_id) + path


def _mail(
    follower: Follower | None, *, template: str, key: str, context: dict, to: str = "", language: str = ""
) -> None:
    address = to or (follower.address() if follower else "")
    if not address:
        return  # an account without an address: nothing to send to
    project: Project = context["project"]
    unsubscribe = ""
    if follower is not None:
        path = reverse("consultations:unfollow", args=[unfollow_token(follower)])
        unsubscribe = city_selectors.site_url(project.municipality_id) + path
    with translation.override(_language(language or (follower.language if follower else ""))):
        full = {**context, "project_url": _project_url(project), "unfollow_url": unsubscribe}
        subject = render_to_string(f"consultations/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"consultations/email/{template}.txt", full)
    try:
        enqueue_email(
            to=address,
            subject=subject,
            body=body,
            key=key,
            municipality_id=project.municipality_id,
            unsubscribe_url=unsubscribe,
        )
    except ValidationError:  # an address that no longer validates must not stop the others
        logger.warning("project mail not enqueued: invalid address (project id=%s)", project.pk)


def notify_update(update: Update) -> int:
    """Mail one update to every follower, once each. Returns how many mails were enqueued."""
    project = update.project
    count = 0
    for follower in project.followers.select_related("user"):
        _mail(
            follower,
            template="update",
            key=f"consult-update|{update.pk}|{follower.pk}",
            context={"project": project, "update": update},
        )
        count += 1
    return count


def notify_final_report(project: Project) -> int:
    """The final report to every follower and every participant, one mail per address."""
    seen: set[str] = set()
    count = 0
    for follower in project.followers.select_related("user"):
        address = follower.address()
        if not address or crypto.lookup_hash(address) in seen:
            continue
        seen.add(crypto.lookup_hash(address))
        _mail(
            follower,
            template="final",
            key=f"consult-final|{project.pk}|{follower.pk}",
            context={"project": project},
        )
        count += 1
    for participation in project.participations.select_related("user"):
        user = participation.user
        address = getattr(user, "email_address", "") or user.email
        if not address or crypto.lookup_hash(address) in seen:
            continue
        seen.add(crypto.lookup_hash(address))
        _mail(
            None,
            to=address,
            language=getattr(user, "language", ""),
            template="final",
            key=f"consult-final|{project.pk}|user|{user.pk}",
            context={"project": project},
        )
        count += 1
    return count
