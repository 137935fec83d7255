"""Analytics' models live in sub-packages; Django finds them here."""

from gorod.analytics.stats.models import BallotDay, ReportDay, RollupState

__all__ = ["BallotDay", "ReportDay", "RollupState"]
