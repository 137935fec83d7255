"""Who may do what with residents' stories (django-rules): any signed-in resident writes; moderators and
city administrators publish and hide; auditors read the moderation desk and change nothing."""

from __future__ import annotations

import rules

from gorod.accounts.roles import is_auditor, is_city_admin, is_moderator, is_signed_in

rules.add_perm("info.submit_story", is_signed_in)
rules.add_perm("info.moderate_story", is_moderator | is_city_admin)
rules.add_perm("info.view_story_desk", is_moderator | is_city_admin | is_auditor)
