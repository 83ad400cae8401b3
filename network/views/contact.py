"""A peer's page (/annuaire/<pk>/), writing to them (/annuaire/<pk>/ecrire/) and the messages
a person sent (/annuaire/messages-envoyes/)."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_safe

from accounts.access import Role
from core.permissions import requires

from ..forms.contact import ContactForm
from ..selectors import contact as selectors
from ..selectors import suggestions
from ..services import contact as services
from ..services import directory_sync

PAGE_SIZE = 20


def _why(request, entry, today):
    """Why the directory suggests this peer to a coordinator (None for other readers)."""
    if request.access.role != Role.COORDINATOR:
        return None
    seeker = suggestions.seeker_of(request.user, today)
    return suggestions.suggestion_for(request.access, seeker, entry)


@requires("directory.view")
@require_safe
def peer(request, pk):
    today = date.today()
    directory_sync(today=today)  # until the register announces its changes
    entry = selectors.peer_entry(request.access, pk)
    if entry is None:
        raise Http404("Personne n’est à cette adresse de l’annuaire.")
    can_write = request.access.can("peers.contact")
    refusal = (
        services.contact_refusal(sender=request.user, recipient=entry.person) if can_write else None
    )
    return render(
        request,
        "network/peers/peer.html",
        {
            "entry": entry,
            "today": today,
            "suggestion": _why(request, entry, today),
            "can_write": can_write,
            "refusal": refusal,
        },
    )


@requires("peers.contact")
def peer_contact(request, pk):
    directory_sync()  # a person who left a second ago gets no message
    entry = selectors.peer_entry(request.access, pk)
    recipient = entry.person if entry else selectors.former_peer(request.access, pk)
    if recipient is None:
        raise Http404("Personne n’est à cette adresse de l’annuaire.")
    refusal = services.contact_refusal(sender=request.user, recipient=recipient)
    form = ContactForm(request.POST if request.method == "POST" and not refusal else None)
    if form.is_bound and form.is_valid():
        try:
            services.contact_message_send(
                sender=request.user,
                recipient=recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except services.ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Votre message est parti. {recipient.get_full_name()} le reçoit par e-mail ; "
                "sa réponse vous arrivera directement.",
            )
            return redirect("peer", pk=recipient.pk)
    return render(
        request,
        "network/peers/contact.html",
        {
            "entry": entry,
            "recipient": recipient,
            "refusal": refusal,
            "form": form,
            "left": services.messages_left_today(request.user),
            "limit": services.DAILY_LIMIT,
        },
    )


@requires("peers.contact")
@require_safe
def sent_messages(request):
    page = Paginator(selectors.sent_messages(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "network/peers/sent.html",
        {
            "page": page,
            "query": "",
            "left": services.messages_left_today(request.user),
            "limit": services.DAILY_LIMIT,
        },
    )


urlpatterns = [
    path("<int:pk>/", peer, name="peer"),
    path("<int:pk>/ecrire/", peer_contact, name="peer_contact"),
    path("messages-envoyes/", sent_messages, name="peer_messages"),
]
