"""``{% load partners_tags %}``: the "niet interveniëren zonder overleg" banner on a record page.

``{% nizo_flags obj %}`` shows every active flag on ``obj`` (a record the page fetched through
its scoped manager, so whoever sees the page may see its flags) and, for a police partner, the
button to mark or lift. ``{% nizo_confirm flags %}`` is the confirmation checkbox for a form
that intervenes on flagged records (see :func:`regie.partners.flags.require_confirmation`).
"""

from django import template

from regie.partners import flags as nizo
from regie.partners.permissions import is_police_partner

register = template.Library()


@register.inclusion_tag("partners/_nizo_flags.html", takes_context=True)
def nizo_flags(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not nizo.is_flaggable(obj):
        return {"flags": [], "may_mark": False}
    active = nizo.active_flags(obj)
    police = is_police_partner(user)
    own_org = getattr(user, "organisation_id", None)
    return {
        "flags": [{"flag": f, "own": police and f.set_by_organisation_id == own_org} for f in active],
        "may_mark": police and not any(f.set_by_organisation_id == own_org for f in active),
        "content_type": nizo.label_of(obj),
        "object_id": obj.pk,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("partners/_nizo_confirm.html")
def nizo_confirm(flags):
    names = sorted({f.set_by_organisation.name for f in flags or []})
    return {"names": names, "field": nizo.CONFIRM_FIELD}
