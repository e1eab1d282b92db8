"""The sitemap: every published record's page, in both languages, for search engines."""

from django.contrib.sitemaps import Sitemap

from programs.models import Organization, Person, Program, Project, Source


class PublishedSitemap(Sitemap):
    """Published records of one model, each with its Chinese and English address."""

    model = None
    limit = 5000
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


def sitemap_for(model):
    return type(f"{model.__name__}Sitemap", (PublishedSitemap,), {"model": model})


SITEMAPS = {
    "programs": sitemap_for(Program),
    "organizations": sitemap_for(Organization),
    "people": sitemap_for(Person),
    "projects": sitemap_for(Project),
    "sources": sitemap_for(Source),
}
