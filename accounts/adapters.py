from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import EmailAddress
from django.shortcuts import redirect

from .access import Role, access_for


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response:
            return response
        verified = EmailAddress.objects.filter(user=user, verified=True).exists()
        # A pending coordinator who verified their e-mail waits for staff: say so, do not log in.
        if verified and access_for(user).role == Role.PENDING:
            clear_login(request)
            return redirect("account_pending")
        return None

    def get_login_redirect_url(self, request):
        return access_for(request.user).landing_url
