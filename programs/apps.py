from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes")

    def ready(self):
        from programs import read_model

        pre_migrate.connect(read_model.before_migrate, sender=self)
        post_migrate.connect(read_model.after_migrate, sender=self)
