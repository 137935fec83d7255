"""The info app's models live in their subpackages; Django finds them here. Import lines only."""

from gorod.info.stories import rules as _story_rules  # noqa: F401  (registers the info.* permissions)
from gorod.info.stories.models import Story, StoryPhoto  # noqa: F401
