from allauth.account.internal.decorators import login_not_required
from allauth.account.utils import perform_login
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.permissions import requires

from . import selectors, services
from .forms import InvitationAcceptForm, InvitationForm
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
        "accounts/invitations.html",
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
