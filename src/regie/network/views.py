"""Network pages. Thin: every query goes through :mod:`regie.network.services` with a registered
purpose; one record through the record gate."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import NETWORK, spec
from regie.audit.gate import PurposeRequired, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases.models import Case
from regie.intake.models import Theme
from regie.organisations.access import current_access

from . import graph as g
from . import patterns, services
from .ftm_export import chart_lines
from .models import AnalysisAssignment, PatternHit, SavedChart

needs_network = role_required(lambda role: NETWORK in spec(role).categories)


def _themes():
    access = current_access()
    return Theme.objects.filter(Q(organisation=None) | Q(organisation_id=access.organisation_id)).order_by("name")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _filters(params) -> g.Filters:
    kinds = params.getlist("soort") if hasattr(params, "getlist") else params.get("soort", [])
    unknown = [k for k in kinds if k not in g.KIND_LABELS]
    if unknown:
        raise ValidationError(f"Onbekende soort verbinding: {', '.join(unknown)}.")
    theme = params.get("thema") or None
    if theme is not None:
        if not str(theme).isdigit() or not _themes().filter(pk=int(theme)).exists():
            raise ValidationError("Onbekend thema.")
        theme = int(theme)
    filters = g.Filters(kinds=frozenset(kinds) if kinds else frozenset(g.KIND_LABELS),
                        date_from=services.parse_date(params.get("van"), "Vanaf"),
                        date_to=services.parse_date(params.get("tot"), "Tot en met"), theme_id=theme)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    return filters


def _number(params, name: str, default: int, label: str) -> int:
    value = params.get(name) or default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}: vul een geheel getal in.") from None


def _query(request):
    params = request.GET
    if not params.get("start"):
        raise ValidationError("Kies een subject om vanuit te beginnen.")
    g.parse_node(params["start"])
    filters = _filters(params)
    hops = _number(params, "stappen", 2, "Stappen")
    max_nodes = _number(params, "max", g.DEFAULT_NODES, "Maximum aantal knooppunten")
    return services.query_graph(current_access(), params.get("doel"), params["start"], hops=hops,
                                max_nodes=max_nodes, filters=filters, request=request)


def _hit_json(hit: PatternHit) -> dict:
    return {"id": hit.pk, "title": hit.title, "pattern": patterns.PATTERNS[hit.pattern].title if hit.pattern in patterns.PATTERNS else hit.pattern,
            "nodes": hit.nodes, "why": hit.explanation.get("waarom", ""), "details": hit.explanation.get("details", []),
            "sources": hit.explanation.get("bronnen", []), "url": reverse("network:hit_detail", args=[hit.pk])}


def _timeline(found: g.Graph) -> list[dict]:
    events = []
    for edge in found.edges.values():
        for when, what in ((edge.get("start"), "begin"), (edge.get("end"), "einde")):
            if when:
                events.append({"date": when, "text": f"{what}: {edge['explanation']}", "edge": edge["id"]})
    return sorted(events, key=lambda e: (e["date"], e["edge"]))


@needs_network
def index(request):
    access = current_access()
    # the open pattern hits name subjects: listing them is a read of the log's kind "list"
    record(AuditEntry.Action.LIST, model=PatternHit, request=request, detail={"overzicht": "netwerk"})
    return render(request, "network/index.html", {
        "assignments": AnalysisAssignment.objects.all()[:50],
        "charts": SavedChart.objects.all()[:50],
        "hits": PatternHit.objects.filter(status=PatternHit.Status.OPEN)[:100],
        "patterns": patterns.PATTERNS.values(),
        "purposes": services.purposes(access),
    })


@needs_network
@require_POST
def assignment_create(request):
    try:
        assignment = services.create_assignment(
            current_access(), title=request.POST.get("titel", ""), description=request.POST.get("omschrijving", ""),
            starts_on=services.parse_date(request.POST.get("vanaf"), "Vanaf"),
            ends_on=services.parse_date(request.POST.get("tot"), "Tot en met"), request=request)
    except ValidationError as exc:
        messages.error(request, f"De analyseopdracht is niet opgeslagen: {_errors(exc)}")
        return redirect("network:index")
    messages.success(request, f"{assignment} is geregistreerd.")
    return redirect("network:index")


@needs_network
def chart(request):
    access = current_access()
    context = {"purposes": services.purposes(access), "kinds": g.KIND_LABELS.items(),
               "themes": _themes(), "params": request.GET, "max_hops": g.MAX_HOPS}
    try:
        if request.GET.get("start"):
            g.parse_node(request.GET["start"])
        if request.GET.get("doel"):
            context["purpose"] = services.resolve_purpose(access, request.GET["doel"])
    except ValidationError as exc:
        context["error"] = _errors(exc)
        return render(request, "network/chart.html", context, status=400)
    return render(request, "network/chart.html", context)


@needs_network
def graph_data(request):
    try:
        purpose, found = _query(request)
    except ValidationError as exc:
        return JsonResponse({"fout": _errors(exc)}, status=400)
    except LookupError as exc:
        raise Http404 from exc
    access = current_access()
    return JsonResponse({
        "doel": purpose.text, "elements": found.elements(), "truncated": found.truncated,
        "hits": [_hit_json(h) for h in services.hits_for(access, found.nodes)], "timeline": _timeline(found),
    })


@needs_network
def ftm(request):
    try:
        purpose, found = _query(request)
        lines = chart_lines(current_access(), found)
    except ValidationError as exc:
        return JsonResponse({"fout": _errors(exc)}, status=400)
    except LookupError as exc:
        raise Http404 from exc
    services._log(current_access(), AuditEntry.Action.EXPORT, purpose,
                  {"formaat": "followthemoney", "entiteiten": len(lines)}, request)
    response = HttpResponse("\n".join(lines) + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="netwerk.ftm.json"'
    return response


@needs_network
@require_POST
def chart_save(request):
    try:
        data = json.loads(request.POST.get("gegevens") or "{}")
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        data = None
    back = reverse("network:chart")
    try:
        if data is None:
            raise ValidationError("De kaart kon niet worden gelezen.")
        saved = services.save_chart(
            current_access(), purpose_value=request.POST.get("doel"), title=request.POST.get("titel", ""),
            start=request.POST.get("start", ""), nodes=data.get("nodes", []), edges=data.get("edges", []),
            layout=data.get("layout"), filters=data.get("filters"), request=request)
    except ValidationError as exc:
        messages.error(request, f"De kaart is niet opgeslagen: {_errors(exc)}")
        query = {k: request.POST.get(k) for k in ("start", "doel") if request.POST.get(k)}
        return redirect(f"{back}?{urlencode(query)}" if query else back)
    messages.success(request, f"De netwerkkaart ‘{saved.title}’ is opgeslagen.")
    return redirect("network:chart_detail", pk=saved.pk)


@needs_network
def chart_detail(request, pk):
    try:
        saved = open_record(request, SavedChart.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    found = g.subgraph(access, saved.nodes)
    return render(request, "network/chart_detail.html", {
        "chart": saved, "graph": found, "elements": json.dumps(found.elements()),
        "layout": json.dumps(saved.layout), "missing": len(set(saved.nodes) - set(found.nodes)),
        "hits": services.hits_for(access, found.nodes),
        "case": Case.objects.filter(pk=saved.case_id).first() if saved.case_id else None,
    })


@needs_network
@require_POST
def pattern_run(request):
    params = {k: v for k, v in request.POST.items() if k in ("minimum", "dagen", "zorg", "start") and v}
    try:
        hits = services.run_pattern(current_access(), request.POST.get("patroon", ""), request.POST.get("doel"),
                                    params, request=request)
    except ValidationError as exc:
        messages.error(request, f"Het patroon is niet uitgevoerd: {_errors(exc)}")
        return redirect("network:index")
    except LookupError:
        messages.error(request, "Het patroon is niet uitgevoerd: het startpunt bestaat niet.")
        return redirect("network:index")
    messages.success(request, f"{len(hits)} treffer(s) klaargezet ter beoordeling. Er is geen casus of maatregel aangemaakt.")
    return redirect("network:index")


@needs_network
def hit_detail(request, pk):
    try:
        hit = open_record(request, PatternHit.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    labelled = {n: {"id": n} for n in hit.nodes}
    g.label_nodes(current_access(), labelled)
    return render(request, "network/hit_detail.html", {
        "hit": hit, "nodes": [d for d in labelled.values() if "label" in d], "hidden": sum(1 for d in labelled.values() if "label" not in d),
        "pattern": patterns.PATTERNS.get(hit.pattern), "explanation": _hit_json(hit),
    })


@needs_network
@require_POST
def hit_review(request, pk):
    try:
        hit = open_record(request, PatternHit.objects.all(), pk, action=AuditEntry.Action.UPDATE)
    except PurposeRequired as gate:
        return gate.response
    try:
        services.review_hit(current_access(), hit, request.POST.get("beoordeling", ""), request=request)
    except ValidationError as exc:
        messages.error(request, f"De beoordeling is niet opgeslagen: {_errors(exc)}")
    else:
        messages.success(request, "De treffer is beoordeeld.")
    return redirect("network:hit_detail", pk=hit.pk)
