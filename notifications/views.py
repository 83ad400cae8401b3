"""Pages of the notifications: the staff outbox, reminder rules and onboarding sequences
(/gestion/…), a person's e-mail preferences (/profil/notifications/) and the one-click
unsubscribe link of every non-essential e-mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import form_page
from core.permissions import requires

from . import onboarding, preferences, services, subscriptions
from .forms import (
    DeliveryFilter,
    PreferencesForm,
    ReminderRuleForm,
    SequenceForm,
    SequenceStepForm,
)
from .models import ESSENTIAL, Category, Delivery, ReminderRule, Sequence, SequenceStep
from .registry import REMINDER_KINDS

PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 100
RESENDABLE = {Delivery.Status.FAILED, Delivery.Status.CANCELLED}

# What an e-mail's HTML may do when staff open it: nothing but show itself (no script, no
# request to another site, no form), whatever it contains.
HTML_PREVIEW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _query_without(request, *names):
    """The query string of the page, for links that change `names` (the page, a filter)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- Outbox -------------------------------------------------------------------------------------


@requires("manage.outbox")
def outbox(request):
    # What is due or done first (newest first), then what is planned for later (soonest first).
    now = timezone.now()
    deliveries = Delivery.objects.select_related("recipient").order_by(
        Case(When(due_at__lte=now, then=0), default=1),
        Case(When(due_at__lte=now, then=F("due_at"))).desc(),
        "due_at",
        "-pk",
    )
    filterset = DeliveryFilter(request.GET or None, queryset=deliveries)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        filterset.qs_without_status()
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return render(
        request,
        "notifications/outbox.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without(request, "page"),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Delivery.Status.choices
            ],
            "status_query": _query_without(request, "page", "status"),
            "current_status": request.GET.get("status", ""),
        },
    )


@requires("manage.outbox")
def delivery_detail(request, pk):
    delivery = get_object_or_404(
        Delivery.objects.select_related("recipient", "run__sequence", "step", "reminder"),
        pk=pk,
    )
    return render(
        request,
        "notifications/delivery_detail.html",
        {"delivery": delivery, "resendable": delivery.status in RESENDABLE},
    )


@requires("manage.outbox")
def delivery_html(request, pk):
    """The HTML version, alone, under a policy that lets it do nothing but show itself."""
    delivery = get_object_or_404(Delivery.objects.only("html"), pk=pk)
    response = HttpResponse(delivery.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PREVIEW_POLICY
    return response


@require_POST
@requires("manage.outbox")
def delivery_resend(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    if delivery.status not in RESENDABLE:
        messages.error(request, "Seul un envoi en échec ou annulé peut être renvoyé.")
    else:
        services.delivery_resend(delivery=delivery)
        messages.success(request, f"L'envoi à {delivery.email} est relancé.")
    return redirect("notifications:delivery", pk=delivery.pk)


@requires("manage.outbox")
def person_timeline(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    deliveries = (
        Delivery.objects.filter(recipient=person)
        .select_related("run__sequence", "step", "reminder")
        .order_by("due_at", "pk")
    )
    page = Paginator(deliveries, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/person_timeline.html",
        {
            "person": person,
            "page": page,
            "query": "",
            "runs": person.sequence_runs.select_related("sequence").order_by("started_at"),
        },
    )


# --- Reminder rules -----------------------------------------------------------------------------

RULE_ACTIONS = {
    "deactivate": "désactivé",
    "activate": "réactivé",
    "delete": "supprimé",
}


@requires("manage.view")
def rule_list(request):
    form = ReminderRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                rule = ReminderRule.objects.create(**form.cleaned_data)
        except IntegrityError:  # The same offset added at the same moment in another tab.
            form.add_error(None, "Ce rappel existe déjà.")
        else:
            REMINDER_KINDS[rule.kind].replan()
            messages.success(
                request,
                f"Rappel {rule.label} ajouté ({REMINDER_KINDS.label(rule.kind)}) : les personnes "
                "inscrites aux événements à venir le recevront.",
            )
            return redirect("notifications:rules")
    rules = list(ReminderRule.objects.all())
    return render(
        request,
        "notifications/rules.html",
        {
            "form": form,
            "kinds": [
                (kind.label, [rule for rule in rules if rule.kind == value])
                for value, kind in REMINDER_KINDS.items()
            ],
        },
    )


@require_POST
@requires("manage.view")
def rule_action(request, pk):
    rule = get_object_or_404(ReminderRule, pk=pk)
    action = request.POST.get("action")
    if action not in RULE_ACTIONS:
        messages.error(request, "Action inconnue.")
        return redirect("notifications:rules")
    label = f"{rule.label} ({REMINDER_KINDS.label(rule.kind)})"
    if action == "delete":
        rule.delete()
    else:
        rule.is_active = action == "activate"
        rule.save(update_fields=["is_active"])
    if rule.kind in REMINDER_KINDS:
        REMINDER_KINDS[rule.kind].replan()
    messages.success(request, f"Rappel {label} {RULE_ACTIONS[action]}.")
    return redirect("notifications:rules")


# --- Onboarding sequences -----------------------------------------------------------------------


@requires("manage.view")
def sequence_list(request):
    sequences = Sequence.objects.annotate(
        step_count=Count("steps", filter=Q(steps__is_active=True), distinct=True),
        running_count=Count("runs", filter=Q(runs__stopped_at__isnull=True), distinct=True),
    )
    return render(request, "notifications/sequences.html", {"sequences": sequences})


@requires("manage.view")
def sequence_detail(request, pk):
    sequence = get_object_or_404(
        Sequence.objects.annotate(
            running_count=Count("runs", filter=Q(runs__stopped_at__isnull=True))
        ),
        pk=pk,
    )
    return render(
        request,
        "notifications/sequence_detail.html",
        {"sequence": sequence, "steps": sequence.steps.all(), "variables": _variables()},
    )


@requires("manage.view")
def sequence_edit(request, pk=None):
    sequence = get_object_or_404(Sequence, pk=pk) if pk else Sequence()
    form = SequenceForm(request.POST or None, instance=sequence)
    if request.method == "POST" and form.is_valid():
        sequence = form.save()
        onboarding.sequence_replan(sequence)
        messages.success(request, f"Séquence « {sequence} » enregistrée.")
        return redirect("notifications:sequence", pk=sequence.pk)
    return form_page(
        request,
        form,
        title=f"Modifier « {sequence} »" if sequence.pk else "Nouvelle séquence",
        back_url=reverse("notifications:sequence", args=[sequence.pk])
        if sequence.pk
        else reverse("notifications:sequences"),
    )


@requires("manage.view")
def step_edit(request, sequence_pk=None, pk=None):
    if pk:
        step = get_object_or_404(SequenceStep.objects.select_related("sequence"), pk=pk)
        sequence = step.sequence
    else:
        sequence = get_object_or_404(Sequence, pk=sequence_pk)
        step = SequenceStep(sequence=sequence)
    form = SequenceStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        step = form.save()
        onboarding.sequence_replan(sequence)
        messages.success(request, f"Étape « {step.subject} » enregistrée.")
        return redirect("notifications:sequence", pk=sequence.pk)
    return form_page(
        request,
        form,
        title=f"Modifier l'étape « {step.subject} »" if step.pk else "Nouvelle étape",
        intro=f"Séquence « {sequence} ».",
        back_url=reverse("notifications:sequence", args=[sequence.pk]),
        aside="notifications/includes/variables.html",
        variables=_variables(),
    )


@require_POST
@requires("manage.view")
def step_toggle(request, pk):
    """Retire a step (its past e-mails stay in the outbox) or bring it back."""
    step = get_object_or_404(SequenceStep.objects.select_related("sequence"), pk=pk)
    step.is_active = request.POST.get("action") == "activate"
    step.save(update_fields=["is_active"])
    onboarding.sequence_replan(step.sequence)
    verb = "remise en service" if step.is_active else "retirée"
    messages.success(request, f"Étape « {step.subject} » {verb}.")
    return redirect("notifications:sequence", pk=step.sequence_id)


def _variables():
    return onboarding.variables()


# --- A person's preferences ---------------------------------------------------------------------


@requires("profile.edit")
def preferences_edit(request):
    muted = preferences.muted_categories(request.user)
    form = PreferencesForm(
        request.POST or None,
        initial={"receive": [c.value for c in preferences.OPTIONAL if c not in muted]},
    )
    if request.method == "POST" and form.is_valid():
        subscriptions.preferences_update(user=request.user, muted=form.muted())
        messages.success(request, "Vos préférences d'envoi sont enregistrées.")
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "essential": [c.label for c in Category if c in ESSENTIAL]},
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token.
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks for confirmation; POST (the button, or a mail client's one-click) unsubscribes.
    The signed token names the person and the category: nothing else is trusted."""
    try:
        user_id, category = preferences.read_unsubscribe_token(token)
    except signing.BadSignature:
        user = None
    else:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        subscriptions.preferences_update(
            user=user, muted=preferences.muted_categories(user) | {category}
        )
        state = "done"
    else:
        state = "confirm"
    return render(
        request,
        "notifications/unsubscribe.html",
        {"state": state, "category": Category(category).label},
    )
