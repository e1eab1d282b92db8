from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Curated records")  # the admin's heading of the app's models

    def ready(self):
        # The import evaluates the models' constraints in Python: a constraint it could not
        # evaluate stops the site from starting, rather than every import failing on it later.
        from programs.fixtures_io.constraints import compile_constraints

        for model in self.get_models():
            compile_constraints(model)
