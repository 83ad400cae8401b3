"""Pages of the notifications: the staff outbox, reminder rules and onboarding sequences
(/gestion/…), a person's e-mail preferences (/profil/notifications/) and the one-click
unsubscribe link of every non-essential e-mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import form_page
from core.permissions import requires

from . import onboarding, preferences, selectors, services, subscriptions
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
    filterset = DeliveryFilter(request.GET or None, queryset=selectors.outbox_deliveries())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without(request, "page"),
            "status_counts": selectors.delivery_status_counts(filterset.qs_without_status()),
            "status_query": _query_without(request, "page", "status"),
            "current_status": request.GET.get("status", ""),
        },
    )


@requires("manage.outbox")
def delivery_detail(request, pk):
    try:
        delivery = selectors.delivery_detail(pk)
    except Delivery.DoesNotExist as error:
        raise Http404("Envoi introuvable") from error
    return render(
        request,
        "notifications/delivery_detail.html",
        {"delivery": delivery, "resendable": selectors.delivery_is_resendable(delivery)},
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
    try:
        services.delivery_resend(delivery=delivery)
    except services.NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"L'envoi à {delivery.email} est relancé.")
    return redirect("notifications:delivery", pk=delivery.pk)


@requires("manage.outbox")
def person_timeline(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    page = Paginator(selectors.person_deliveries(person), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/person_timeline.html",
        {
            "person": person,
            "page": page,
            "query": "",
            "runs": selectors.person_sequence_runs(person),
        },
    )


# --- Reminder rules -----------------------------------------------------------------------------

RULE_ACTIONS = {
    "deactivate": "désactivé",
    "activate": "réactivé",
    "delete": "supprimé",
}


@requires("notifications.rules")
def rule_list(request):
    form = ReminderRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.reminder_rule_add(**form.cleaned_data)
        except services.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Rappel {rule.label} ajouté ({REMINDER_KINDS.label(rule.kind)}) : les personnes "
                "inscrites aux événements à venir le recevront.",
            )
            return redirect("notifications:rules")
    return render(
        request,
        "notifications/rules.html",
        {"form": form, "kinds": selectors.reminder_rules_by_kind()},
    )


@require_POST
@requires("notifications.rules")
def rule_action(request, pk):
    rule = get_object_or_404(ReminderRule, pk=pk)
    action = request.POST.get("action")
    if action not in RULE_ACTIONS:
        messages.error(request, "Action inconnue.")
        return redirect("notifications:rules")
    label = f"{rule.label} ({REMINDER_KINDS.label(rule.kind)})"
    if action == "delete":
        services.reminder_rule_delete(rule=rule)
    else:
        services.reminder_rule_set_active(rule=rule, active=action == "activate")
    messages.success(request, f"Rappel {label} {RULE_ACTIONS[action]}.")
    return redirect("notifications:rules")


# --- Onboarding sequences -----------------------------------------------------------------------


@requires("notifications.sequences")
def sequence_list(request):
    return render(
        request, "notifications/sequences.html", {"sequences": selectors.sequences_with_counts()}
    )


@requires("notifications.sequences")
def sequence_detail(request, pk):
    try:
        sequence = selectors.sequence_detail(pk)
    except Sequence.DoesNotExist as error:
        raise Http404("Séquence introuvable") from error
    return render(
        request,
        "notifications/sequence_detail.html",
        {
            "sequence": sequence,
            "steps": sequence.steps.all(),
            "variables": onboarding.variables(),
        },
    )


@requires("notifications.sequences")
def sequence_edit(request, pk=None):
    sequence = get_object_or_404(Sequence, pk=pk) if pk else Sequence()
    form = SequenceForm(request.POST or None, instance=sequence)
    if request.method == "POST" and form.is_valid():
        try:
            sequence = onboarding.sequence_save(sequence=form.save(commit=False))
        except services.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Séquence « {sequence} » enregistrée.")
            return redirect("notifications:sequence", pk=sequence.pk)
    return form_page(
        request,
        form,
        title=f"Modifier la séquence « {sequence} »" if sequence.pk else "Nouvelle séquence",
        back_url=reverse("notifications:sequence", args=[sequence.pk])
        if sequence.pk
        else reverse("notifications:sequences"),
    )


@requires("notifications.sequences")
def step_edit(request, sequence_pk=None, pk=None):
    if pk:
        step = get_object_or_404(SequenceStep.objects.select_related("sequence"), pk=pk)
        sequence = step.sequence
    else:
        sequence = get_object_or_404(Sequence, pk=sequence_pk)
        step = SequenceStep(sequence=sequence)
    form = SequenceStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            step = onboarding.sequence_step_save(step=form.save(commit=False))
        except services.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Étape « {step.subject} » enregistrée.")
            return redirect("notifications:sequence", pk=sequence.pk)
    return form_page(
        request,
        form,
        title=(
            f"Modifier l'étape « {step.subject} » (J+{step.delay_days}, {sequence})"
            if step.pk
            else f"Nouvelle étape de la séquence « {sequence} »"
        ),
        intro=f"Séquence « {sequence} ».",
        back_url=reverse("notifications:sequence", args=[sequence.pk]),
        aside="notifications/includes/variables.html",
        variables=onboarding.variables(),
    )


@require_POST
@requires("notifications.sequences")
def step_toggle(request, pk):
    """Retire a step (its past e-mails stay in the outbox) or bring it back."""
    step = get_object_or_404(SequenceStep.objects.select_related("sequence"), pk=pk)
    step = onboarding.sequence_step_set_active(
        step=step, active=request.POST.get("action") == "activate"
    )
    verb = "remise en service" if step.is_active else "retirée"
    messages.success(request, f"Étape « {step.subject} » {verb}.")
    return redirect("notifications:sequence", pk=step.sequence_id)


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


OWN_PAGE_SIZE = 30


@requires("profile.edit")
def own_emails(request):
    """The e-mails the platform plans to send the person, and those it sent them."""
    sent = Paginator(selectors.own_sent_deliveries(request.user), OWN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/own_emails.html",
        {
            "planned": onboarding.with_planned_subjects(
                request.user, selectors.own_planned_deliveries(request.user)
            ),
            "page": sent,
            "query": "",
        },
    )


@requires("profile.edit")
def own_email(request, pk):
    """One of the person's own e-mails, as it was sent (or when it will be)."""
    try:
        delivery = selectors.own_delivery(request.user, pk)
    except Delivery.DoesNotExist as error:
        raise Http404("E-mail introuvable") from error
    (delivery,) = onboarding.with_planned_subjects(request.user, [delivery])
    return render(
        request,
        "notifications/own_email.html",
        {"delivery": delivery, "html": selectors.email_html_for_page(delivery)},
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token.
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks for confirmation; POST (the button, or a mail client's one-click) unsubscribes.
    The signed token names the person and the category: nothing else is trusted. A link we did
    not sign, or an expired one, gets a page that says so; a well-signed token that is not an
    unsubscribe link's is not a page at all (404)."""
    try:
        user_id, category = preferences.read_unsubscribe_token(token)
    except preferences.UnexpectedPayload as error:
        raise Http404("Lien de désinscription inconnu") from error
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe.html", {"state": "expired"}, status=400)
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
