"""Who may do what with notifications (django-rules permissions `notifications.<action>`)."""

from __future__ import annotations

import rules

from gorod.accounts.roles import is_auditor, is_city_admin, is_signed_in

# Put a dead delivery back in the queue (back office dead-letter page).
rules.add_perm("notifications.retry", is_city_admin)
# See deliveries, their state and failure reasons (never the decrypted payload in the back office lists).
rules.add_perm("notifications.view_deliveries", is_city_admin | is_auditor)
# Follow reports and keep area alerts on one's account.
rules.add_perm("notifications.subscribe", is_signed_in)
