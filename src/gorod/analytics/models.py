from gorod.analytics.demand.models import DemandCounter, DemandReport

__all__ = ["DemandCounter", "DemandReport"]
