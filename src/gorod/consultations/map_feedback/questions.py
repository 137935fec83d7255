"""A map-feedback module's own questions and tags, kept in Module.settings:

    {"questions": [{"key": "q1", "label": "…", "kind": "text" | "choice", "choices": ["…"]}],
     "tags": ["…"]}

Staff write them as plain text (one question per line; `Question | option | option` makes a single
choice), parse() turns that into settings and clean_answers() checks a resident's answers against them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gorod.consultations.errors import Refused

TEXT, CHOICE = "text", "choice"
MAX_QUESTIONS = 10
MAX_TAGS = 20
MAX_LABEL = 200
MAX_ANSWER = 500


def parse(questions_text: str, tags_text: str) -> dict:
    """Staff's text → {"questions": […], "tags": […]}. Raises Refused."""
    questions: list[dict] = []
    for line in (questions_text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        choices = [p for p in parts[1:] if p]
        if len(parts) > 1 and len(choices) < 2:
            raise Refused(_("A choice question needs at least two options: %(q)s") % {"q": parts[0]})
        if any(len(p) > MAX_LABEL for p in parts):
            raise Refused(_("A question or an option is longer than %(n)d characters.") % {"n": MAX_LABEL})
        questions.append(
            {
                "key": f"q{len(questions) + 1}",
                "label": parts[0],
                "kind": CHOICE if choices else TEXT,
                "choices": choices,
            }
        )
    if len(questions) > MAX_QUESTIONS:
        raise Refused(_("A map has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    tags = list(dict.fromkeys(t.strip() for t in (tags_text or "").split(",") if t.strip()))
    if len(tags) > MAX_TAGS or any(len(t) > 60 for t in tags):
        raise Refused(_("At most %(n)d tags of up to 60 characters each.") % {"n": MAX_TAGS})
    return {"questions": questions, "tags": tags}


def as_text(settings: dict) -> tuple[str, str]:
    lines = [" | ".join([q["label"], *q.get("choices", [])]) for q in questions_of(settings)]
    return "\n".join(lines), ", ".join(tags_of(settings))


def questions_of(settings: dict) -> list[dict]:
    return list((settings or {}).get("questions") or [])


def tags_of(settings: dict) -> list[str]:
    return list((settings or {}).get("tags") or [])


def clean_answers(settings: dict, raw: dict[str, str]) -> dict[str, str]:
    """Only the module's questions, answered within bounds; a choice must be one of its options.
    Answers are optional: a pin with a sentiment alone is feedback too."""
    answers: dict[str, str] = {}
    for question in questions_of(settings):
        value = (raw.get(question["key"]) or "").strip()
        if not value:
            continue
        if question["kind"] == CHOICE and value not in question["choices"]:
            raise Refused(_("Choose one of the offered answers."), field=question["key"])
        if len(value) > MAX_ANSWER:
            raise Refused(
                _("An answer is at most %(n)d characters.") % {"n": MAX_ANSWER}, field=question["key"]
            )
        answers[question["key"]] = value
    return answers


def clean_tags(settings: dict, raw: list[str]) -> list[str]:
    offered = tags_of(settings)
    chosen = list(dict.fromkeys(t for t in raw if t))
    if any(t not in offered for t in chosen):
        raise Refused(_("Choose tags from the list."), field="tags")
    return chosen
