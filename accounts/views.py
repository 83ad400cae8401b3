from datetime import date

from allauth.account.internal.decorators import login_not_required
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coordinators import selectors as register
from coordinators.forms import CoordinatorDetailsForm
from coordinators.models import CoordinatorProfile, PostClaim

from . import selectors, services
from .access import requires
from .forms import InvitationAcceptForm, InvitationForm, UserNameForm
from .models import Invitation


@login_not_required
def invitation_accept(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("organisation").first()
    if invitation is None:
        raise Http404("Invitation inconnue")
    try:
        services.invitation_check(invitation)
    except services.AccountError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410
        )
    form = InvitationAcceptForm(
        request.POST or None,
        invitation=invitation,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.AccountError as error:
            return render(
                request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410
            )
        return perform_login(request, user, email_verification="none")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_not_required
def pending(request):
    return render(request, "accounts/pending.html")


@requires("profile.view")
def profile(request):
    user = request.user
    coordinator = (
        CoordinatorProfile.objects.filter(user=user).select_related("commune__department").first()
    )
    editable = request.access.can("profile.edit")
    name_form = UserNameForm(request.POST or None, instance=user, prefix="user")
    profile_form = (
        CoordinatorDetailsForm(request.POST or None, instance=coordinator, prefix="profile")
        if coordinator and editable
        else None
    )
    if request.method == "POST" and editable:
        forms = [f for f in (name_form, profile_form) if f is not None]
        if all(f.is_valid() for f in forms):
            with transaction.atomic():
                for f in forms:
                    f.save()
            messages.success(request, "Votre profil est enregistré.")
            return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "name_form": name_form,
            "profile_form": profile_form,
            "coordinator": coordinator,
            "editable": editable,
            "posts": register.person_posts(user, date.today()) if coordinator else [],
            "claims": PostClaim.objects.filter(person=user, status=PostClaim.Status.PENDING)
            .select_related("post")
            .prefetch_related("post__schemes"),
        },
    )


@requires("manage.view")
def manage_index(request):
    return render(
        request,
        "manage/index.html",
        {
            "counts": selectors.people_counts(),
            "pending": selectors.signups_pending()[:5],
            "invitation_days": settings.INVITATION_VALIDITY_DAYS,
        },
    )


@requires("manage.invite")
def invitation_list(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            invited_by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
        return redirect("manage:invitations")
    return render(
        request,
        "manage/invitations.html",
        {"form": form, "invitations": selectors.invitations_recent()},
    )


@require_POST
@requires("manage.invite")
def invitation_action(request, pk, action):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        if action == "resend":
            services.invitation_resend(invitation=invitation, request=request)
            messages.success(request, f"Invitation renvoyée à {invitation.email}.")
        else:
            services.invitation_revoke(invitation=invitation)
            messages.success(request, f"Invitation à {invitation.email} annulée.")
    except services.AccountError as error:
        messages.error(request, str(error))
    return redirect("manage:invitations")


@requires("manage.approve_signups")
def signup_list(request):
    return render(request, "manage/signups.html", {"signups": selectors.signups_pending()})


@require_POST
@requires("manage.approve_signups")
def signup_review(request, pk):
    profile = get_object_or_404(CoordinatorProfile, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.signup_review(
            profile=profile, reviewer=request.user, approve=approve, request=request
        )
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        verb = "validée" if approve else "refusée"
        messages.success(request, f"Inscription de {profile.user} {verb}.")
    return redirect("manage:signups")
