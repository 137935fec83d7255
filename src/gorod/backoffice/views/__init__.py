"""The back office's pages: thin views over backoffice.selectors (reads) and reports.services.moderation
(writes)."""
