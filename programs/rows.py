"""List table rows: a model's row is `includes/_<model name>_row.html`, given the record under the model's name."""

from django.template.loader import render_to_string


def render_rows(model, records) -> list[str]:
    """The table rows of `records` (loaded with `for_list()`), in their order."""
    name = model._meta.model_name
    template = f"includes/_{name}_row.html"
    return [render_to_string(template, {name: record}) for record in records]
