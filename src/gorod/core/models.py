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
