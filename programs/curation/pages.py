"""Pages the admin serves beside a model's change list (its deleted records): the admin's own
context, and templates extending admin/programs/model_page.html for their breadcrumbs."""

from django.template.response import TemplateResponse


def model_page(request, model_admin, template: str, title, **context) -> TemplateResponse:
    request.current_app = model_admin.admin_site.name
    context = {**model_admin.admin_site.each_context(request), "title": title, "opts": model_admin.opts, **context}
    return TemplateResponse(request, template, context)
