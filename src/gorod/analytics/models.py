"""Analytics' models live in sub-packages; Django finds them here."""

from gorod.analytics.demand.models import DemandCounter, DemandReport
from gorod.analytics.stats.models import BallotDay, ReportDay, RollupState

__all__ = ["BallotDay", "DemandCounter", "DemandReport", "ReportDay", "RollupState"]
