"""The admin site: Django's, plus the curation tools that concern the registry as a whole (the data
check, fixture import, name matching, …).

Each tool is a `Tool`: served under the admin's address (`/admin/<route>`), behind its sign-in, to
the users its `allowed` admits (anyone else gets 403), and linked from the header of every admin
page for them. Tools are registered in programs/curation/admin.py, beside the models.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tool:
    """A page of the admin about the registry as a whole: `view(request, site)` at `route`."""

    route: str
    name: str  # the URL's name in the admin's namespace
    title: str
    view: Callable
    allowed: Callable  # allowed(user) -> bool


class CurationSite(admin.AdminSite):
    site_header = _("Partnership Program Tracker")
    site_title = _("Partnership Program Tracker")
    index_title = _("Curation")

    def __init__(self, name="admin"):
        super().__init__(name)
        self.tools: list[Tool] = []

    def register_tool(self, tool: Tool) -> None:
        self.tools.append(tool)

    def get_urls(self):
        # Before Django's own patterns, whose catch-all would read a tool's route as an app label.
        tools = [path(tool.route, self.admin_view(self.tool_view(tool)), name=tool.name) for tool in self.tools]
        return [*tools, *super().get_urls()]

    def tool_view(self, tool: Tool):
        def view(request, *args, **kwargs):
            if not tool.allowed(request.user):
                raise PermissionDenied
            request.current_app = self.name
            return tool.view(request, self, *args, **kwargs)

        return view

    def each_context(self, request):
        """Django's context of every admin page, and the tools the user may open (`curation_tools`)."""
        context = super().each_context(request)
        user = getattr(request, "user", None)
        context["curation_tools"] = [
            (tool.title, reverse(f"{self.name}:{tool.name}"))
            for tool in self.tools
            if user is not None and tool.allowed(user)
        ]
        return context

    def tool_page(self, request, template: str, title, **context) -> TemplateResponse:
        """A tool's page: the admin's context, its title, and `context`."""
        return TemplateResponse(request, template, {**self.each_context(request), "title": title, **context})
