from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The project itself, as an app: for its system checks (tracker/checks.py)."""

    name = "tracker"

    def ready(self):
        from tracker import checks  # noqa: F401 - registers them
