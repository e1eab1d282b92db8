"""E-mail about suggestions, through Django's e-mail settings (the console by default).

- To a proposer who left an address, once: the outcome, when a reviewer closes the suggestion, in
  the language they wrote in, with the status page's address. Nothing is sent on receipt: a bot
  could otherwise make the tracker write to any address it likes.
- To the reviewers (active users with an e-mail address who may change suggestions): a digest of
  the suggestions received since the last one (`manage.py suggestions_digest`, daily from cron).

Mail is plain text: what a proposer wrote is never rendered as markup.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import Suggestion

logger = logging.getLogger(__name__)

DIGEST_LISTED = 100  # suggestions listed by name in one digest; the rest are counted


def send_outcome(suggestion: Suggestion, email: str, status_url: str) -> None:
    """Tell the proposer the outcome. A failure is logged, never raised: the decision stands."""
    with translation.override(suggestion.language):
        context = {"suggestion": suggestion, "status_url": status_url}
        subject = render_to_string("suggestions/mail/outcome_subject.txt", context).strip()
        body = render_to_string("suggestions/mail/outcome.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except Exception:  # any backend's failure (SMTP, network): logged for the operator
        logger.exception("The outcome of suggestion #%s could not be sent.", suggestion.pk)


def reviewers():
    """The users a digest goes to: active, with an address, and allowed to change suggestions."""
    permission = Permission.objects.filter(content_type__app_label="programs", codename="change_suggestion")
    allowed = Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    return get_user_model().objects.filter(allowed, is_active=True).exclude(email="").distinct().order_by("pk")


def digest(*, site_url: str, language: str, dry_run: bool = False) -> tuple[int, list[str]]:
    """Send the reviewers the suggestions no digest has listed yet, and mark them listed.

    Returns how many suggestions the digest covers and the addresses it is for (it is sent to
    them unless `dry_run`, which changes nothing). Sending and marking are one transaction: when
    the mail cannot be sent, the next digest lists the same suggestions.
    """
    with transaction.atomic():
        ids = list(Suggestion.objects.select_for_update().filter(digested_at__isnull=True).values_list("pk", flat=True))
        if not ids:
            return 0, []
        total = len(ids)
        addresses = list(reviewers().values_list("email", flat=True))
        new = Suggestion.objects.filter(pk__in=ids)
        listed = list(new.for_inbox().order_by("created_at", "id")[:DIGEST_LISTED])
        subject, body = digest_text(listed, total, site_url, language)
        if dry_run or not addresses:  # unsent: the next digest lists them
            return total, addresses
        new.update(digested_at=timezone.now())
        messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
        send_mass_mail(messages)
    return total, addresses


def digest_text(listed: list[Suggestion], total: int, site_url: str, language: str) -> tuple[str, str]:
    """The digest's subject and body, its links to the admin in `language`."""
    with translation.override(language):
        context = {
            "suggestions": [(s, site_url + reverse("admin:programs_suggestion_change", args=[s.pk])) for s in listed],
            "unlisted": total - len(listed),
            "total": total,
            "inbox_url": site_url + reverse("admin:programs_suggestion_changelist"),
        }
        subject = render_to_string("suggestions/mail/digest_subject.txt", context).strip()
        return subject, render_to_string("suggestions/mail/digest.txt", context)
