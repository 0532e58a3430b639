"""The verslag (minutes) of a meeting, for the organisation that asks for it (issue 4, point 6).

The owner gets every item with its preparation and decisions. A partner at the table gets only the
items shared with it and, of each, only the field groups its convenant allows; decisions only when
"besluiten" is one of them. Items above the reader's clearance are not there at all (scoped).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from regie.organisations.access import Access

from .models import AgendaItem, Meeting
from .services import partner_view


def context(access: Access, meeting: Meeting, *, own: bool) -> dict:
    rows = []
    items = AgendaItem.objects.visible_to(access).filter(meeting=meeting).prefetch_related("decisions")
    for item in items.order_by("position", "pk"):
        snapshot = item.snapshot if own else partner_view(item, access.organisation_id)
        decisions = list(item.decisions.all()) if own or "besluiten" in snapshot else []
        rows.append({
            "id": item.pk,
            "position": item.position,
            "title": snapshot.get("titel", item.title),
            "snapshot": snapshot,
            "decisions": [
                {
                    "kind": d.get_kind_display(),
                    "detail": d.get_detail_display() if d.detail else "",
                    "text": d.text,
                    "reason": d.reason,
                    "owner": (d.owner.display_name if d.owner_id else "") if own else "",
                    "organisation": str(d.owner_organisation or ""),
                    "deadline": d.deadline,
                }
                for d in decisions
            ],
        })
    return {
        "meeting": meeting,
        "forum": meeting.forum.name,
        "starts_at": timezone.localtime(meeting.starts_at),
        "rows": rows,
        "own": own,
        "reader": access.organisation_name,
        "made_at": timezone.localtime(),
    }


def render_html(ctx: dict) -> str:
    return render_to_string("meetings/minutes.html", ctx)
