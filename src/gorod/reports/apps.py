from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gorod.reports"
    label = "reports"
