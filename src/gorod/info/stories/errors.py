from django.core.exceptions import ValidationError


class StoryInvalid(ValidationError):
    """Input a form shows next to its fields (message_dict) or as one line; nothing was written."""


class StoryConflict(Exception):
    """The story's state does not allow the change (already published, say); nothing was written."""
