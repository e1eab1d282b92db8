"""Pages the admin serves beside a model's change list (the data check, fixture import, matching
names, deleted records): the admin's own context, and templates extending
admin/programs/model_page.html for their breadcrumbs."""

from django.template.response import TemplateResponse
from django.urls import path


def model_page(request, model_admin, template: str, title, **context) -> TemplateResponse:
    request.current_app = model_admin.admin_site.name
    context = {**model_admin.admin_site.each_context(request), "title": title, "opts": model_admin.opts, **context}
    return TemplateResponse(request, template, context)


def model_page_url(model_admin, route: str, view, name: str):
    """The URL pattern of `view(request, model_admin)`, behind the admin's sign-in."""
    return path(route, model_admin.admin_site.admin_view(lambda request: view(request, model_admin)), name=name)
