"""The info app's permissions, found by django-rules' autodiscovery; each subpackage declares its own."""

from gorod.info.news import rules as _news  # noqa: F401
from gorod.info.stories import rules as _stories  # noqa: F401
