from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import clock


class BaseModel(models.Model):
    """Every domain row knows when it was created and last changed (times from core.clock)."""

    created = models.DateTimeField(_("created"), default=clock.now, editable=False, db_index=True)
    updated = models.DateTimeField(_("updated"), default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated = clock.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated"}
        super().save(*args, **kwargs)


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are history: the ORM refuses to change or delete them (a direct SQL edit is what the
    audit trail's hash chain detects)."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only")


class AuditEntry(models.Model):
    """One line of the audit trail (core.audit): who, when, what (action and object, never contact
    details) and from where. `hash` covers this line and the previous line's hash, so an edit or a
    deletion breaks the chain; `seq` numbers the lines without gaps."""

    seq = models.PositiveBigIntegerField(_("number in the chain"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # A plain number, not a foreign key: erasing an account must not rewrite the lines about it.
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    origin = models.CharField(_("from where"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash of the previous entry"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("AuditEntry rows are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("AuditEntry rows are append-only")


class AuditHead(models.Model):
    """The single row that points at the newest audit entry. Appending locks it, so entries are chained
    one at a time; comparing it with the last entry shows whether entries were cut off the end."""

    seq = models.PositiveBigIntegerField(_("entries"), default=0)
    hash = models.CharField(_("hash of the newest entry"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit trail head")
        verbose_name_plural = _("audit trail heads")

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class Counter(models.Model):
    """A running total kept in the database (core.counters), for work done by the worker that the
    metrics show: e.g. how many reports' contact details retention has purged."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    value = models.BigIntegerField(_("value"), default=0)
    updated = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Heartbeat(models.Model):
    """The last time a long-running process (the worker) said it was alive (core.heartbeat): one row per
    process, in the database so /readyz and /metrics of every app server see every worker."""

    name = models.CharField(_("process"), max_length=100, unique=True)
    at = models.DateTimeField(_("last beat"), db_index=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
