"""Who may write news and planned works: city-wide staff (moderators and city administrators). Imported
by info.news.services, so the permission exists wherever a service may be called (info/rules.py, which
django-rules autodiscovers, belongs to the whole app)."""

import rules

from gorod.accounts.roles import is_city_admin, is_moderator

writes_news = is_moderator | is_city_admin

if not rules.perm_exists("info.edit_news"):
    rules.add_perm("info.edit_news", writes_news)
