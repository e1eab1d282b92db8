"""Give a user a curation role: `set_role USERNAME curators|editors|none`.

Guarantees: the user ends up in exactly the named role's group (`none`: in neither) and is made
staff so that they can sign in to the admin; other groups and permissions are left alone. Running
it again changes nothing and says so.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.curation.roles import ROLES, user_set_role

NO_ROLE = "none"


class Command(BaseCommand):
    help = "Make a user a curator or an editor (or neither). Curators edit; editors also publish and delete."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*ROLES, NO_ROLE])

    def handle(self, *args, username: str, role: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}; create one with createsuperuser or the admin.") from None
        if not user_set_role(user=user, role=ROLES.get(role)):
            self.stdout.write("Nothing to do.")
            return
        if role == NO_ROLE:
            self.stdout.write(self.style.SUCCESS(f"{username} now has no curation role."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{username} is now in {role}."))
