from django import forms, template
from django.template.loader import render_to_string

register = template.Library()

_WIDGET_CLASSES = {
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select",
    forms.SelectMultiple: "utrecht-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


@register.simple_tag
def form_field(field):
    """Render a bound field with NL Design System markup, label, help text and errors."""
    widget = field.field.widget
    css = "utrecht-textbox utrecht-textbox--html-input"
    for kind, classes in _WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            css = classes
            break
    attrs = widget.attrs
    attrs["class"] = css + (" utrecht-textbox--invalid" if field.errors else "")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    grouped = isinstance(widget, forms.RadioSelect)  # radio buttons and checkbox lists get a fieldset
    return render_to_string("web/field.html", {"field": field, "grouped": grouped})
