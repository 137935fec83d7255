"""The info app's models live in their subpackages (info.news, info.stories); Django finds them here.
Import lines only."""

from gorod.info.news.models import AreaSubscription, NewsItem, NewsPhoto, NewsTag, PlannedWork  # noqa: F401
from gorod.info.stories.models import Story, StoryPhoto  # noqa: F401
