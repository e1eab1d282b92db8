"""The article workspace: pages of the Source admin (Sources › a source › Article workspace).

They live under the source's admin rather than as a site-wide Tool because each is about one source:
its address, breadcrumbs and permission (changing that source) are the source's, and its change
page links to it. Reading needs `change_source`; each action also needs the permissions of what it
adds (a citation, a record of the proposal's type, a participation). Every action is a POST that
answers with a redirect back to the sentence it concerns, its outcome in a message.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from programs.curation.pages import model_page
from programs.curation.workspace import actions
from programs.curation.workspace.forms import CiteForm, CreateForm, DismissForm, LinkForm, TextForm
from programs.curation.workspace.page import MODELS, workspace
from programs.models import Organization, ParticipationRole, Program

TEMPLATE = "admin/programs/source/workspace.html"
TITLE = _("Article workspace: %(source)s")
TEXT_SAVED = _("The article's text is saved.")
CITED = _("The sentence is cited on %(record)s.")
CREATED = _("The draft %(record)s is created, citing the sentence.")
LINKED = _("%(organization)s is linked to %(program)s, citing the sentence.")
DISMISSED = _("“%(name)s” will not be proposed again for this article.")
NO_RECORD = _("There is no %(type)s “%(slug)s” (any more).")


def workspace_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<path:object_id>/workspace/", view(partial(workspace_view, model_admin)), name="programs_source_workspace"
        ),
        path(
            "<path:object_id>/workspace/<slug:action>/",
            view(partial(action_view, model_admin)),
            name="programs_source_workspace_action",
        ),
    ]


def workspace_url(source, anchor: str = "") -> str:
    return reverse("admin:programs_source_workspace", args=[source.pk]) + anchor


def editable_source(model_admin, request, object_id):
    source = model_admin.get_object(request, unquote(object_id))
    if source is None:
        raise Http404
    if not model_admin.has_change_permission(request, source):
        raise PermissionDenied
    return source


def workspace_view(model_admin, request, object_id):
    """The workspace of a source: its text annotated, or the form to give it its text."""
    source = editable_source(model_admin, request, object_id)
    form = TextForm(request.POST, request.FILES) if request.method == "POST" else TextForm()
    if request.method == "POST" and form.is_valid():
        actions.source_set_text(source=source, text=form.cleaned_data["text"], user=request.user)
        messages.success(request, TEXT_SAVED)
        return HttpResponseRedirect(workspace_url(source))
    context = {
        "source": source,
        "text_form": form,
        "page": workspace(source) if source.text else None,
        "roles": ParticipationRole.choices,
    }
    return model_page(request, model_admin, TEMPLATE, TITLE % {"source": source}, **context)


def record_of(reference: str):
    """The record a "type/slug" names, or None."""
    type_, _slash, slug = reference.partition("/")
    model = MODELS.get(type_)
    return model.objects.filter(slug=slug).first() if model else None


def cite(request, source, data) -> str:
    record = record_of(data["record"])
    if record is None:
        type_, _slash, slug = data["record"].partition("/")
        raise actions.WorkspaceError(NO_RECORD % {"type": type_, "slug": slug})
    actions.sentence_cite(
        source=source, record=record, quote=data["quote"], user=request.user, repaired=data["repaired"]
    )
    return CITED % {"record": record}


def create(request, source, data) -> str:
    sponsor = Organization.objects.filter(slug=data["sponsor"]).first() if data.get("sponsor") else None
    record = actions.record_create_draft(
        source=source,
        type_=data["type"],
        name=data["name"],
        kind=data.get("kind", ""),
        quote=data["quote"],
        repaired=data["repaired"],
        sponsor=sponsor,
        user=request.user,
    )
    return CREATED % {"record": record}


def link(request, source, data) -> str:
    program = Program.objects.filter(slug=data["program"]).first()
    organization = Organization.objects.filter(slug=data["organization"]).first()
    if program is None or organization is None:
        missing = ("program", data["program"]) if program is None else ("organization", data["organization"])
        raise actions.WorkspaceError(NO_RECORD % {"type": missing[0], "slug": missing[1]})
    actions.participation_link(
        source=source,
        program=program,
        organization=organization,
        role=data["role"],
        quote=data["quote"],
        repaired=data["repaired"],
        user=request.user,
    )
    return LINKED % {"organization": organization, "program": program}


def dismiss(request, source, data) -> str:
    actions.proposal_dismiss(source=source, key=data["key"])
    return DISMISSED % {"name": data["key"].partition(":")[2]}


@dataclass(frozen=True)
class Action:
    form: type
    run: object
    permissions: tuple[str, ...]

    def allowed(self, user, data) -> bool:
        needed = list(self.permissions)
        if self.run is create and data.get("type") in MODELS:
            needed.append(f"programs.add_{MODELS[data['type']]._meta.model_name}")
        return user.has_perms(needed)


ACTIONS = {
    "cite": Action(CiteForm, cite, ("programs.add_citation",)),
    "create": Action(CreateForm, create, ("programs.add_citation", "programs.add_participation")),
    "link": Action(LinkForm, link, ("programs.add_participation", "programs.add_citation")),
    "dismiss": Action(DismissForm, dismiss, ("programs.change_source",)),
}


def action_view(model_admin, request, object_id, action):
    """Carry out one action, then back to the workspace at its sentence with a message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    source = editable_source(model_admin, request, object_id)
    if not spec.allowed(request.user, request.POST):
        raise PermissionDenied
    form = spec.form(request.POST, text=source.text) if spec.form is not DismissForm else spec.form(request.POST)
    anchor = f"#s-{request.POST.get('sentence')}" if str(request.POST.get("sentence", "")).isdigit() else ""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(workspace_url(source, anchor))
    try:
        messages.success(request, spec.run(request, source, form.cleaned_data))
    except actions.WorkspaceError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(workspace_url(source, anchor))
