"""All writes of the budgeting app. Every function is keyword-only, runs in one transaction and raises
errors.Refused (nothing changed) for anything the person may not do or got wrong."""

from gorod.budgeting.services.ideas import idea_submit, idea_support, review_submit
from gorod.budgeting.services.implementation import milestone_add
from gorod.budgeting.services.lottery import candidate_add, lottery_commit, lottery_draw, lottery_setup
from gorod.budgeting.services.processes import (
    NewPhase,
    budget_set,
    is_frozen,
    phases_set,
    process_advance,
    process_create,
    process_update,
)
from gorod.budgeting.services.results import results_publish
from gorod.budgeting.services.voting import Cast, ballot_cast

__all__ = [
    "Cast",
    "NewPhase",
    "ballot_cast",
    "budget_set",
    "candidate_add",
    "idea_submit",
    "idea_support",
    "is_frozen",
    "lottery_commit",
    "lottery_draw",
    "lottery_setup",
    "milestone_add",
    "phases_set",
    "process_advance",
    "process_create",
    "process_update",
    "results_publish",
    "review_submit",
]
