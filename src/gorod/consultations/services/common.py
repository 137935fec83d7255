from __future__ import annotations

from django.core.exceptions import ValidationError

from gorod.consultations.errors import Refused


def full_clean(obj, exclude: list[str] | None = None) -> None:
    """Model validation with the messages turned into one Refused (field named when there is one)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        items = list(exc.message_dict.items())
        messages = [f"{m}" for _field, field_messages in items for m in field_messages]
        raise Refused(" ".join(messages), field=items[0][0] if items else "") from exc
