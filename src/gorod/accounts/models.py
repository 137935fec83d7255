"""Accounts. A user's e-mail is personal data: it is stored encrypted (`email_encrypted`) with a keyed
look-up hash (`email_hash`); `user.email` and `user.email_address` are the decrypted value, so code written
for Django's plain `email` column keeps working without the plaintext ever reaching the database."""

from __future__ import annotations

import hashlib

import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import crypto
from gorod.core.crypto import EncryptedTextField


class GorodUserManager(UserManager):
    def get_by_email(self, email: str):
        """The account with this e-mail (any case), or None. Looked up by hash: the column is ciphertext."""
        email = (email or "").strip()
        if not email:
            return None
        return self.filter(email_hash=crypto.lookup_hash(email)).first()


class User(AbstractUser):
    """An account. Staff roles decide what the back office allows (gorod.accounts.roles, reports.rules)."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("citizen")
        MODERATOR = "moderator", _("moderator")
        EXECUTOR = "executor", _("department staff")
        DEPARTMENT_HEAD = "department_head", _("department head")
        CITY_ADMIN = "city_admin", _("city administrator")
        AUDITOR = "auditor", _("auditor")
        # An independent reviewer from outside the city's staff: sees only what an ExpertInvitation names.
        EXPERT = "expert", _("outside expert")

    # Replaces AbstractUser.email (a plain column) by the property below: defining the name on the class
    # keeps Django from adding the inherited field.
    email = property(  # type: ignore[assignment]
        lambda self: self.email_encrypted or "",
        lambda self, value: self._set_email(value),
    )
    email_encrypted = EncryptedTextField(_("e-mail address"), blank=True)
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, blank=True, db_index=True)
    email_verified = models.BooleanField(_("e-mail confirmed"), default=False)
    display_name = EncryptedTextField(_("display name"), blank=True)

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    department = models.ForeignKey(
        "city.Department", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("department")
    )
    # The city whose back office a staff member without a department works in (moderators,
    # administrators, auditors). Staff with a department work in their department's city. Never taken
    # from the host a page is asked on: a host must not open another city's back office (issue 10).
    municipality = models.ForeignKey(
        "city.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("For staff without a department; empty means the installation's default municipality."),
    )

    objects = GorodUserManager()  # type: ignore[misc]
    REQUIRED_FIELDS = []  # type: ignore[misc]  # createsuperuser must not ask for a column that does not exist

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per address: sign-in by e-mail and the e-mailed link must find exactly one.
            models.UniqueConstraint(
                fields=["email_hash"], condition=~models.Q(email_hash=""), name="user_email_hash_unique"
            )
        ]

    def _set_email(self, value: str | None) -> None:
        value = (value or "").strip()
        digest = crypto.lookup_hash(value) if value else ""
        if digest != self.email_hash:
            self.email_verified = False  # a new address has not been proven yet
        self.email_encrypted = value
        self.email_hash = digest

    @property
    def email_address(self) -> str:
        return self.email_encrypted or ""

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.get_username()

    def has_perm(self, perm: str, obj=None) -> bool:
        """Permissions declared with django-rules are answered by their predicates alone: a superuser
        (needed for Django's admin) gets no shortcut past them, so least privilege holds for everyone."""
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class SignInLink(models.Model):
    """A single-use sign-in link sent by e-mail. Only a hash of its token is kept, so a copy of the
    database lets no one sign in; `used` makes it single-use, `expires` short-lived."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sign_in_links", verbose_name=_("user")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    # The address the link was mailed to; using the link proves that address belongs to the user.
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, blank=True)
    created = models.DateTimeField(_("created"))
    expires = models.DateTimeField(_("expires"))
    used = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["user", "created"], name="signinlink_user_created")]

    def __str__(self) -> str:
        return f"sign-in link {self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        """Tokens are 256 random bits, so a plain SHA-256 is enough to make the stored value useless."""
        return hashlib.sha256(token.encode()).hexdigest()


class Consent(models.Model):
    """One answer of a person to one consent request (152-FZ art. 9, GDPR art. 7): the words they saw
    (`text`, `version`, `language`), when, and whether they gave or withdrew it. Rows are only added, so
    the history proves what was agreed to when; the newest row per purpose is the present state.
    accounts.consent holds the texts; no row for a purpose means the person was never asked."""

    class Purpose(models.TextChoices):
        PUBLISH_NAME = "publish_name", _("showing my name on my reports")
        MAILS = "mails", _("e-mails about my reports, follows and area alerts")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given = models.BooleanField(_("given"))
    version = models.CharField(_("version of the text"), max_length=20)
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["user", "purpose", "at"], name="consent_user_purpose_at")]

    def __str__(self) -> str:
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} #{self.pk}"


class ExpertInvitation(models.Model):
    """Staff asked this account to review one object (a budgeting process now; a consultation later) until
    a given time. The object is named by its content type and id, so a new kind of object needs no new
    table: accounts.invitations lists the kinds that may be named. Never deleted: revoking sets `revoked`,
    so the record of who could see what, and when, stays (the audit trail has the same)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("expert")
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name=_("kind of object")
    )
    target_id = models.PositiveBigIntegerField(_("object id"))
    valid_until = models.DateTimeField(_("valid until"))
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created = models.DateTimeField(_("created"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert invitation")
        verbose_name_plural = _("expert invitations")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["user", "target_type", "target_id"], name="invitation_user_target"),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"
