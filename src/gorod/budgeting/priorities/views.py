"""Public pages of the priorities game: the list of games, the game (play, with a no-JavaScript
"recalculate" that renders the same bars on the server), the comparison with everyone and the Pabulib
export. Writes only through services.play_submit."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from gorod.budgeting.priorities import presenters as show
from gorod.budgeting.priorities import selectors
from gorod.budgeting.priorities.export import pabulib_text
from gorod.budgeting.priorities.models import Game
from gorod.budgeting.priorities.services import PlayInvalid, parse_action_id, play_submit, validate_selection
from gorod.city import selectors as city_selectors
from gorod.core import clock, ratelimit
from gorod.core.http import client_ip

SESSION_KEY = "priorities"


def _token(request: HttpRequest, game: Game, *, create: bool = False) -> str | None:
    tokens = request.session.get(SESSION_KEY, {})
    token = tokens.get(str(game.pk))
    if token is None and create:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = {**tokens, str(game.pk): token}
    return token


def _game_or_404(slug: str) -> Game:
    game = selectors.published_game(slug)
    if game is None:
        raise Http404(_("No such game."))
    return game


@require_GET
def game_list(request: HttpRequest) -> HttpResponse:
    city = city_selectors.default_municipality()
    if city is None:
        return render(request, "no_city.html", status=404)
    today = clock.today(ZoneInfo(city.timezone))
    games = [(g, show.status_of(g, today)) for g in selectors.published_games(city)]
    return render(request, "priorities/list.html", {"city": city, "games": games})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def game_play(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSRF check reads the body; a body Django refuses (too many fields, too large) is answered
    here with the game and a message instead of the bare error page, so it is parsed first."""
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parse now, under our handlers
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
            game = _game_or_404(slug)
            return _render_play(
                request, game, [], error=_("What the browser sent was too large. Choose again."), status=400
            )
    return _game_play(request, slug)


@csrf_protect
def _game_play(request: HttpRequest, slug: str) -> HttpResponse:
    game = _game_or_404(slug)
    if request.method == "GET":
        play = selectors.play_for(game, _token(request, game))
        chosen = [c.action_id for c in play.choices.all()] if play else []
        return _render_play(request, game, chosen, replaying=play is not None)
    posted = request.POST.getlist("action")
    if request.POST.get("intent") == "preview":
        return _preview(request, game, posted)
    # Per address, not per session: a fresh cookie is free, so the session cannot be what is counted.
    try:
        ratelimit.hit("game_play", client_ip(request))
    except ratelimit.RateLimited as exc:
        return ratelimit.too_many_requests(request, exc)
    try:
        play_submit(game=game, token=_token(request, game, create=True) or "", action_ids=posted)
    except PlayInvalid as exc:
        return _render_play(request, game, posted, error=str(exc), status=400)
    messages.success(request, _("Thank you! Your choice is saved. Here is how it compares with everyone's."))
    return redirect("priorities:results", slug=game.slug)


def _preview(request: HttpRequest, game: Game, posted: list[str]) -> HttpResponse:
    """No-JavaScript recalculation: the same checks as a submission, nothing saved."""
    b = selectors.board(game)
    try:
        validate_selection(game=game, action_ids=posted, actions=b.actions)
    except PlayInvalid as exc:
        return _render_play(request, game, posted, board=b, error=str(exc), status=400)
    return _render_play(request, game, posted, board=b, previewed=True)


def _render_play(
    request: HttpRequest,
    game: Game,
    chosen_raw: list,
    *,
    board: selectors.Board | None = None,
    error: str = "",
    status: int = 200,
    replaying: bool = False,
    previewed: bool = False,
) -> HttpResponse:
    b = board or selectors.board(game)
    # Only real, distinct actions are shown as chosen; the rest of a forged post is dropped here.
    chosen: list[int] = []
    for raw in chosen_raw[: len(b.actions) + 1]:
        pk = parse_action_id(raw)
        if pk is not None and pk in b.actions and pk not in chosen:
            chosen.append(pk)
    spent = sum(b.actions[pk].cost for pk in chosen)
    totals = b.totals(chosen)
    today = clock.today(ZoneInfo(game.municipality.timezone))
    context = {
        "city": game.municipality,
        "game": game,
        "status": show.status_of(game, today),
        "areas": show.area_rows(b, set(chosen)),
        "priorities": show.priority_rows(b, totals),
        "spent": spent,
        "left": game.coins - spent,
        "over": max(0, spent - game.coins),
        "spent_pct": min(100, round(100 * spent / game.coins)) if game.coins else 0,
        "error": error,
        "replaying": replaying,
        "previewed": previewed,
        "client": show.client_data(b),
    }
    return render(request, "priorities/play.html", context, status=status)


@require_GET
def game_results(request: HttpRequest, slug: str) -> HttpResponse:
    game = _game_or_404(slug)
    b = selectors.board(game)
    everyone = selectors.aggregate(b)
    play = selectors.play_for(game, _token(request, game))
    mine = {c.action_id for c in play.choices.all()} if play else set()
    today = clock.today(ZoneInfo(game.municipality.timezone))
    context = {
        "city": game.municipality,
        "game": game,
        "status": show.status_of(game, today),
        "play": play,
        "everyone": everyone,
        "priorities": show.priority_rows(b, b.totals(mine), average=everyone.priority_effect),
        "areas": show.coin_rows(b, mine, everyone),
        "actions": show.action_rows(b, mine, everyone),
    }
    return render(request, "priorities/results.html", context)


@require_GET
def game_export(request: HttpRequest, slug: str) -> HttpResponse:
    game = _game_or_404(slug)
    response = HttpResponse(pabulib_text(game), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{game.slug}.pb"'
    return response
