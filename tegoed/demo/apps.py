from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tegoed.demo"
    verbose_name = "Demo data"
