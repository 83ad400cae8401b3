from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .access import access_for


class AccessMiddleware:
    """Attach `request.access`; send staff and partners without TOTP to enrol when required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: access_for(request.user))
        if self.must_enrol_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def must_enrol_mfa(self, request):
        if not settings.REQUIRE_MFA or not request.user.is_authenticated:
            return False
        # allauth's pages (enrolment, logout) and static files stay reachable.
        if request.path.startswith((reverse("account_login").rsplit("/", 2)[0], "/static/")):
            return False
        if not request.access.requires_mfa:
            return False
        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
