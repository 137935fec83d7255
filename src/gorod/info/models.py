# Import lines only: each subpackage of info keeps its own models (info.news; info.stories).
from gorod.info.news.models import AreaSubscription, NewsItem, NewsPhoto, NewsTag, PlannedWork  # noqa: F401
