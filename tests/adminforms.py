"""Reading an admin form page back into the POST data that would submit it unchanged."""

from django import forms


def form_data(response) -> dict:
    """The data of the add, change or revert form on `response`: its fields and inline formsets.

    Read-only fields are not part of it, as in a browser; tests add or override what they change.
    """
    context = response.context
    all_forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    data = {}
    for form in all_forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
                continue
            if value is None:
                value = [] if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else ""
            data[bound.html_name] = value
    return data
