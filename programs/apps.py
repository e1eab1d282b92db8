from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Curated records")  # the admin's heading of the app's models

    def ready(self):
        from programs.curation import admin  # noqa: F401 - registers the models with the admin
        from programs.fixtures_io.constraints import compile_constraints
        from programs.reads import read_model
        from programs.serving import checks  # noqa: F401 - registers the system checks

        # The import evaluates the models' constraints in Python: a constraint it could not
        # evaluate stops the site from starting, rather than every import failing on it later.
        for model in self.get_models():
            compile_constraints(model)
        # The read model follows the tables it reads: dropped before migrations, installed after.
        pre_migrate.connect(read_model.before_migrate, sender=self)
        post_migrate.connect(read_model.after_migrate, sender=self)
