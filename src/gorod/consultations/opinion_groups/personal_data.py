"""What opinion groups hold about a person, for the privacy app's export and erasure (found through
settings.GOROD_PERSONAL_DATA, as info.personal_data is). A person's statements and votes are theirs: the
export lists them; erasure deletes their votes and detaches their statements (the conversation keeps the
text others voted on, under no name) and asks the worker to recompute the groups without them."""

from __future__ import annotations

from typing import Any

from gorod.consultations.opinion_groups.models import Statement, StatementVote
from gorod.consultations.opinion_groups.services import request_recompute


def export(user) -> dict[str, Any]:
    return {
        "opinion_statements": [
            {"id": s.pk, "module": s.module_id, "created": s.created.isoformat(), "text": s.text}
            for s in Statement.objects.filter(author=user).order_by("created", "pk")
        ],
        "opinion_votes": [
            {"statement": v.statement_id, "vote": v.choice, "updated": v.updated.isoformat()}
            for v in StatementVote.objects.filter(user=user).order_by("statement_id")
        ],
    }


def erase(user) -> dict[str, int]:
    from gorod.consultations.models import Module

    modules = list(
        Module.objects.filter(statements__votes__user=user).distinct().select_related("phase__project")
    )
    votes, _ = StatementVote.objects.filter(user=user).delete()
    statements = Statement.objects.filter(author=user).update(author=None)
    for module in modules:
        request_recompute(module)
    return {"opinion_votes": votes, "opinion_statements_detached": statements}
