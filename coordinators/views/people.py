"""A person's profile (/profil/), and staff's review of coordinators' sign-ups."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import UserNameForm
from coordinators import selectors, services
from coordinators.forms import CoordinatorDetailsForm
from coordinators.models import CoordinatorProfile
from core.permissions import requires
from core.text import de


@requires("profile.view")
def profile(request):
    user = request.user
    coordinator = selectors.coordinator_profile_of(user)
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
            try:
                services.profile_update(
                    user=name_form.save(commit=False),
                    profile=profile_form.save(commit=False) if profile_form else None,
                    topics=list(profile_form.cleaned_data["topics"]) if profile_form else None,
                    extra=profile_form.extra_data() if profile_form else None,
                )
            except services.RegisterError as error:
                name_form.add_error(None, str(error))
            else:
                messages.success(request, "Votre profil est enregistré.")
                return redirect("profile")
    return render(
        request,
        "coordinators/profile.html",
        {
            "name_form": name_form,
            "profile_form": profile_form,
            "coordinator": coordinator,
            "editable": editable,
            "posts": selectors.person_posts(user, date.today()) if coordinator else [],
            "claims": selectors.person_pending_claims(user),
        },
    )


@requires("manage.approve_signups")
def signup_list(request):
    return render(request, "coordinators/signups.html", {"signups": selectors.signups_pending()})


@require_POST
@requires("manage.approve_signups")
def signup_review(request, pk):
    profile = get_object_or_404(CoordinatorProfile, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.signup_review(profile=profile, reviewer=request.user, approve=approve)
    except services.RegisterError as error:
        messages.error(request, str(error))
    else:
        verb = "validée" if approve else "refusée"
        messages.success(request, f"Inscription {de(str(profile.user))} {verb}.")
    return redirect("manage:signups")
