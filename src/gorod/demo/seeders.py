"""Demo content of the apps, added by `seed_demo` after the city, its accounts and its reports.

Each is a function `seed(*, municipality, seed: int, anchor: datetime.date, stdout) -> None` that adds its
app's demo data idempotently (running it twice leaves one copy). They run in this order: keep it, so that a
seed gives the same demo as before."""

from gorod.demo import demand, news, notifications, stats, stories
from gorod.demo.budgeting import priorities, processes
from gorod.demo.consultations import city_projects as consultation_city_projects
from gorod.demo.consultations import contributions as consultation_contributions
from gorod.demo.consultations import model_3d as consultation_model_3d
from gorod.demo.consultations import moderation as consultation_moderation
from gorod.demo.consultations import opinion_groups as consultation_opinion_groups
from gorod.demo.consultations import projects
from gorod.demo.consultations import room as consultation_room
from gorod.demo.consultations import surveys as consultation_surveys
from gorod.demo.consultations import textin as consultation_textin
from gorod.demo.reports import ratings, staff_work

EXTRA_SEEDERS = (
    staff_work.seed,
    ratings.seed,
    notifications.seed,
    processes.seed,
    priorities.seed,
    demand.seed,
    stories.seed,
    projects.seed,
    news.seed,
    consultation_contributions.seed,
    consultation_surveys.seed,
    consultation_moderation.seed,
    consultation_city_projects.seed,  # after moderation: its residents answer the "about you" questions
    consultation_room.seed,
    consultation_textin.seed,
    consultation_opinion_groups.seed,
    consultation_model_3d.seed,
    stats.seed,  # last: it counts what the others added
)
