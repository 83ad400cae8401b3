import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import EmailAddress
from django.conf import settings
from django.shortcuts import redirect

from notifications.emails import send_email_on_commit
from notifications.models import Category

from .access import Role, access_for
from .models import User


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

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, reset…) go through the delivery log like ours."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        send_email_on_commit(
            to=email,
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            category=Category.ACCOUNT,
            recipient=User.objects.filter(email__iexact=email).first(),
            content={
                "subject": message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
                "text": message.body,
                "html": html,
            },
        )
