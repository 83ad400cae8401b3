"""Self-assessment (/parcours/auto-evaluation/): the form, one's own progression, and the
aggregates staff and partners see (never a group of fewer than five people, never a name)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from competencies.models import Competency
from core.permissions import requires
from learning import progress
from learning.forms.assessment import SelfAssessmentForm
from learning.pathways import PathwayError, self_assessment_submit
from learning.selectors import assessment_people, competencies_to_strengthen

LEVEL_LABELS = dict(Competency.LEVELS)

# Geometry of the progression chart (SVG user units; the chart scales to its container).
CHART_WIDTH = 760
LEVEL_WIDTH = 100  # a bar of level n is n × LEVEL_WIDTH long
AXIS_HEIGHT = 28
NAME_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
# First, previous and latest assessments; contrast ≥ 3:1 on white (WCAG 1.4.11).
SERIES_COLOURS = ["#7b8794", "#b36b00", "#0b4f8a"]


@requires("assessment.submit")
def self_assessment_new(request):
    competencies = Competency.objects.filter(is_active=True).select_related("domain")
    latest = progress.latest_assessment(request.user)
    previous = {r.competency_id: r.level for r in latest.ratings.all()} if latest else {}
    data = request.POST if request.method == "POST" else None
    form = SelfAssessmentForm(data, competencies=competencies, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            self_assessment_submit(person=request.user, levels=form.levels())
        except PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre auto-évaluation est enregistrée. Merci !")
            return redirect("self_assessment")
    return render(
        request,
        "learning/assessment/new.html",
        {"form": form, "questions": form.questions(), "latest": latest},
    )


def _series(rows):
    """The assessments the chart and the table compare: first, previous and latest."""
    if not rows:
        return []
    if len(rows) == 1:
        picked = [("Dernière", 2, rows[0])]
    elif len(rows) == 2:
        picked = [("Première", 0, rows[0]), ("Dernière", 2, rows[-1])]
    else:
        picked = [("Première", 0, rows[0]), ("Précédente", 1, rows[-2]), ("Dernière", 2, rows[-1])]
    return [
        {
            "label": label,
            "date": assessment.created_at,
            "date_label": date_format(timezone.localtime(assessment.created_at), "j F Y"),
            "colour": SERIES_COLOURS[colour],
            "levels": levels,
        }
        for label, colour, (assessment, levels) in picked
    ]


def _level_text(level):
    return f"{level} — {LEVEL_LABELS[level]}" if level else "non évaluée"


def _progression(competencies, series):
    """Rows of the table and groups of bars of the chart, computed once for both."""
    first, latest = series[0]["levels"], series[-1]["levels"]
    lines, up, same, down = [], 0, 0, 0
    y = AXIS_HEIGHT
    for competency in competencies:
        cells, bars = [], []
        for index, serie in enumerate(series):
            level = serie["levels"].get(competency.pk)
            cells.append(_level_text(level))
            bar_y = y + NAME_HEIGHT + index * (BAR_HEIGHT + BAR_GAP)
            width = (level or 0) * LEVEL_WIDTH
            bars.append(
                {
                    "y": bar_y,
                    "width": width,
                    "colour": serie["colour"],
                    "text_x": width + 6,
                    "text_y": bar_y + BAR_HEIGHT - 4,
                    "text": f"{serie['label']} : {_level_text(level)}",
                }
            )
        change = None
        if len(series) > 1 and competency.pk in first and competency.pk in latest:
            change = latest[competency.pk] - first[competency.pk]
            up, same, down = up + (change > 0), same + (change == 0), down + (change < 0)
        lines.append(
            {
                "competency": competency,
                "cells": cells,
                "change": change,
                "name_y": y + NAME_HEIGHT - 6,
                "bars": bars,
            }
        )
        y += NAME_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    return lines, {"up": up, "same": same, "down": down}, y


def _summary(series, counts, total):
    dates = ", ".join(f"{s['label'].lower()} le {s['date_label']}" for s in series)
    text = (
        f"Vos niveaux pour {total} compétence{'s' if total > 1 else ''}, de 1 (découverte) à 4 "
        f"(transmission), auto-évaluation{'s' if len(series) > 1 else ''} : {dates}."
    )
    if len(series) > 1:
        text += (
            f" En progrès sur {counts['up']}, stable sur {counts['same']}, "
            f"en baisse sur {counts['down']}."
        )
    return text + " Les mêmes données sont dans le tableau qui suit."


@requires("assessment.submit")
def self_assessment(request):
    competencies, rows = progress.assessment_history(request.user)
    series = _series(rows)
    context = {
        "count": len(rows),
        "due": progress.assessment_due(request.user),
        "series": series,
        "first_date": rows[0][0].created_at if rows else None,
        "to_strengthen": competencies_to_strengthen(request.user),
    }
    if series:
        lines, counts, height = _progression(competencies, series)
        domains = []
        for line in lines:
            if not domains or domains[-1][0].pk != line["competency"].domain_id:
                domains.append((line["competency"].domain, []))
            domains[-1][1].append(line)
        context |= {
            "lines": lines,
            "domains": domains,
            "columns": len(series) + (2 if len(series) > 1 else 1),
            "counts": counts,
            "summary": _summary(series, counts, len(competencies)),
            "chart": {
                "width": CHART_WIDTH,
                "height": height,
                "ticks": [
                    {"x": level * LEVEL_WIDTH, "label": f"niveau {level}"} for level in range(1, 5)
                ],
                "label_y": AXIS_HEIGHT - 12,
                "line_y": AXIS_HEIGHT - 6,
            },
        }
    return render(request, "learning/assessment/history.html", context)


# --- Aggregates -------------------------------------------------------------------------------


@requires("assessment.aggregates")
def self_assessment_aggregates(request):
    access = request.access
    departments = list(access.departments())
    code = request.GET.get("departement", "")
    department = next((d for d in departments if d.code == code), None)
    rows = progress.assessment_aggregates(assessment_people(access, department))
    groups = []
    for competency, average, people in rows:
        if not groups or groups[-1][0].pk != competency.domain_id:
            groups.append((competency.domain, []))
        shown = average is not None  # below MIN_GROUP, not even the number of people
        groups[-1][1].append(
            {"competency": competency, "average": average, "people": people if shown else None}
        )
    if department is not None:
        scope = department.name
    elif access.is_regional:
        scope = "Île-de-France"
    else:
        scope = ", ".join(d.name for d in departments) or "votre territoire"
    return render(
        request,
        "learning/assessment/aggregates.html",
        {
            "groups": groups,
            "departments": departments,
            "code": department.code if department else "",
            "scope": scope,
            "min_group": progress.MIN_GROUP,
            "can_filter": len(departments) > 1,
        },
    )
