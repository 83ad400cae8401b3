"""Writes on requests for resources distributed on request (the Boussole).

A coordinator asks for printed copies (how many, where to deliver them) or for the file; the team
accepts, marks sent (with the day) or refuses (with a reason), one request or several at once,
all or nothing; the requester withdraws a request still waiting. Every refusal is a
`RequestError` whose French message is shown as it is; the requester is told of each step by
e-mail, and the team of each new request (`send_email_on_commit`, in the caller's transaction)."""

import re
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from core.text import de
from notifications.emails import send_email_on_commit
from notifications.models import Category

from ..models.requests import MAX_COPIES, ResourceRequest

State = ResourceRequest.State
Format = ResourceRequest.Format

MAX_MESSAGE = 2000
MAX_REASON = 2000
# Field: its label in messages, its length limit (the model's).
ADDRESS = {
    "recipient": ("le nom du ou de la destinataire", 150),
    "structure": ("la structure", 200),
    "street": ("l’adresse (numéro et rue)", 250),
    "postcode": ("le code postal", 5),
    "city": ("la commune", 100),
}
# A French postcode: 5 digits, from 01 to 98 (Corsica is 20…, overseas 97…, Monaco 98…).
POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
NOT_ON_REQUEST = (
    "« {title} » n’est pas diffusée sur demande : ouvrez-la directement depuis la bibliothèque."
)

ACCEPT, SEND, REFUSE = "accept", "send", "refuse"
# Action: (the states it applies to, the state it leads to). A request may be marked sent
# without being accepted first (the team accepts and posts at once).
TRANSITIONS = {
    ACCEPT: ({State.ASKED}, State.ACCEPTED),
    SEND: ({State.ASKED, State.ACCEPTED}, State.SENT),
    REFUSE: ({State.ASKED, State.ACCEPTED}, State.REFUSED),
}
ACTION_LABELS = {ACCEPT: "acceptée", SEND: "marquée envoyée", REFUSE: "refusée"}


class RequestError(Exception):
    """A request refused; the French message is shown as it is. `field`: the form field it is
    about, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _text(value, *, limit, what, field):
    value = (value or "").strip()
    if "\x00" in value:
        raise RequestError(f"{what} contient un caractère invalide : retapez-le.", field)
    if len(value) > limit:
        raise RequestError(f"{what} fait {len(value)} caractères : {limit} au plus.", field)
    return value


def _name(user):
    return user.get_full_name() or user.email


def _day(day):
    return date_format(day, "j F Y")


def _quantity(quantity):
    if quantity in (None, ""):
        raise RequestError("Indiquez le nombre d’exemplaires imprimés souhaités.", "quantity")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError) as error:
        raise RequestError(
            "Indiquez un nombre d’exemplaires (un nombre entier).", "quantity"
        ) from error
    if quantity < 1:
        raise RequestError("Demandez au moins 1 exemplaire.", "quantity")
    if quantity > MAX_COPIES:
        raise RequestError(
            f"Vous pouvez demander {MAX_COPIES} exemplaires au plus : pour davantage, écrivez à "
            f"l’équipe PromoSanté ({settings.TEAM_EMAIL}).",
            "quantity",
        )
    return quantity


def _address(fields):
    address = {}
    for field, (label, limit) in ADDRESS.items():
        value = fields.get(field)
        if field == "postcode":  # "95 200" is how some write it
            value = re.sub(r"\s", "", value or "")
        value = _text(value, limit=limit, what=label.capitalize(), field=field)
        if field != "structure" and not value:
            raise RequestError(f"Indiquez {label} pour l’envoi des exemplaires.", field)
        address[field] = value
    if not POSTCODE.match(address["postcode"]):
        raise RequestError("Le code postal s’écrit en 5 chiffres, par exemple 95200.", "postcode")
    return address


def _url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def _tell(*, to, request, subject, paragraphs, url, button, quote="", quote_label=""):
    """One e-mail about a request, to its requester (a User) or to the team (an address)."""
    person = to if isinstance(to, User) else None
    send_email_on_commit(
        to=person.email if person else to,
        recipient=person,
        template="resource_request",
        category=Category.RESOURCES,
        key=f"resource_request:{request.pk}:{request.state}",
        about=f"resource_request:{request.pk}",
        topic=f"resource:{request.resource_id}",
        topic_label=request.resource.title,
        context={
            "subject": subject,
            "greeting": person.first_name if person else "",
            "paragraphs": paragraphs,
            "quote": quote,
            "quote_label": quote_label,
            "url": url,
            "button": button,
        },
    )


@transaction.atomic
def request_create(
    *,
    resource,
    requester,
    format,
    quantity=None,
    message="",
    asked_at=None,
    notify=True,
    **address,
) -> ResourceRequest:
    """`requester` asks for `resource` (distributed on request): printed copies (`quantity`,
    1 to 50, and the delivery address: recipient, structure, street, postcode, city) or the
    file. One open request per person and resource. `notify=False` e-mails nobody (the demo's
    history), as in every write below."""
    if not resource.on_request:
        raise RequestError(NOT_ON_REQUEST.format(title=resource.title))
    if not resource.is_published:
        raise RequestError(
            f"« {resource.title} » n’est pas publiée : elle ne peut pas être demandée."
        )
    if format not in Format.values:
        raise RequestError("Choisissez des exemplaires imprimés ou le fichier numérique.", "format")
    fields = {"quantity": None, **dict.fromkeys(ADDRESS, "")}
    if format == Format.PRINTED:
        fields["quantity"] = _quantity(quantity)
        fields.update(_address(address))
    message = _text(message, limit=MAX_MESSAGE, what="Votre message", field="message")
    User.objects.select_for_update().filter(pk=requester.pk).first()  # one request at a time
    already = ResourceRequest.objects.filter(
        resource=resource, requester=requester, state__in=ResourceRequest.OPEN
    ).first()
    if already is not None:
        raise RequestError(_already_open(already))
    try:
        with transaction.atomic():
            request = ResourceRequest.objects.create(
                resource=resource,
                requester=requester,
                format=format,
                message=message,
                asked_at=asked_at or timezone.now(),
                **fields,
            )
    except IntegrityError as error:  # the same request sent twice at once
        raise RequestError(
            f"Vous avez déjà une demande en cours pour « {resource.title} »."
        ) from error
    if notify:
        _tell(
            to=settings.TEAM_EMAIL,
            request=request,
            subject=f"Demande de « {resource.title} » {de(_name(requester))}",
            paragraphs=[
                f"{_name(requester)} demande {request.what} de « {resource.title} ».",
                *(
                    ["À envoyer à : " + ", ".join(request.address_lines) + "."]
                    if request.is_printed
                    else []
                ),
            ],
            quote=message,
            quote_label=f"Message {de(_name(requester))}",
            url=_url("resource_request", request.pk),
            button="Traiter la demande",
        )
    return request


def _already_open(request):
    asked = _day(timezone.localdate(request.asked_at))
    if request.state == State.ACCEPTED:
        return (
            f"Votre demande du {asked} pour « {request.resource.title} » est déjà acceptée : "
            "l’équipe vous prévient dès l’envoi."
        )
    return (
        f"Vous avez déjà demandé « {request.resource.title} » le {asked} : attendez la réponse "
        "de l’équipe, ou retirez cette demande pour en faire une autre."
    )


@transaction.atomic
def request_withdraw(*, request, person, now=None) -> ResourceRequest:
    """The requester withdraws a request the team has not answered yet."""
    request = (
        ResourceRequest.objects.select_for_update(of=("self",))
        .select_related("resource")
        .get(pk=request.pk)
    )
    if request.requester_id != person.pk:
        raise RequestError("Cette demande n’est pas la vôtre.")
    if request.state != State.ASKED:
        raise RequestError(
            f"Cette demande est déjà {request.get_state_display().lower()} : elle ne peut plus "
            "être retirée."
        )
    request.state = State.WITHDRAWN
    request.withdrawn_at = now or timezone.now()
    request.save(update_fields=["state", "withdrawn_at", "updated_at"])
    return request


def _why_not(request, action):
    """Why `action` does not apply to `request` now (a French sentence), or None."""
    allowed, _ = TRANSITIONS[action]
    if request.state in allowed:
        return None
    who = _name(request.requester)
    if request.state == State.SENT:
        return f"la demande {de(who)} est déjà envoyée (le {_day(request.sent_on)})"
    if request.state == State.REFUSED:
        return f"la demande {de(who)} a été refusée"
    if request.state == State.WITHDRAWN:
        return f"{who} a retiré sa demande"
    return f"la demande {de(who)} est déjà acceptée"


@transaction.atomic
def requests_decide(
    *, requests, action, by, sent_on=None, reason="", today=None, now=None, notify=True
) -> list[ResourceRequest]:
    """The team accepts, marks sent (on `sent_on`, not in the future, not before the request)
    or refuses (with `reason`) the given requests: all of them, or none when one of them cannot
    take that step (the error names them). Each requester is told."""
    if action not in TRANSITIONS:
        raise RequestError(
            "Choisissez une action : accepter, marquer envoyée ou refuser.", "action"
        )
    today = today or timezone.localdate()
    now = now or timezone.now()
    if action == SEND:
        if not isinstance(sent_on, date):
            raise RequestError("Indiquez la date d’envoi.", "sent_on")
        if sent_on > today:
            raise RequestError(
                "La date d’envoi ne peut pas être dans le futur : marquez la demande envoyée le "
                "jour de l’envoi.",
                "sent_on",
            )
    if action == REFUSE:
        reason = _text(reason, limit=MAX_REASON, what="Le motif", field="reason")
        if not reason:
            raise RequestError(
                "Indiquez le motif du refus : il est envoyé à la personne qui a demandé.",
                "reason",
            )
    pks = sorted({getattr(request, "pk", request) for request in requests})
    if not pks:
        raise RequestError("Cochez au moins une demande.", "requests")
    locked = list(
        ResourceRequest.objects.select_for_update(of=("self",))
        .select_related("resource", "requester")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    if len(locked) != len(pks):
        raise RequestError("Une des demandes cochées n’existe plus : rechargez la page.")
    problems = [problem for request in locked if (problem := _why_not(request, action))]
    if action == SEND:
        problems += [
            f"la demande {de(_name(request.requester))} date du "
            f"{_day(timezone.localdate(request.asked_at))}, après la date d’envoi"
            for request in locked
            if timezone.localdate(request.asked_at) > sent_on
        ]
    if problems:
        shown = problems[:5] + ([f"et {len(problems) - 5} autres"] if len(problems) > 5 else [])
        head = "La demande n’est pas" if len(locked) == 1 else "Aucune demande n’est"
        raise RequestError(f"{head} {ACTION_LABELS[action]} : " + " ; ".join(shown) + ".")
    _, target = TRANSITIONS[action]
    for request in locked:
        request.state = target
        request.decided_by = by
        request.decided_at = now
        fields = ["state", "decided_by", "decided_at", "updated_at"]
        if action == SEND:
            request.sent_on = sent_on
            fields.append("sent_on")
        if action == REFUSE:
            request.refusal_reason = reason
            fields.append("refusal_reason")
        request.save(update_fields=fields)
        if notify:
            _tell_requester(request)
    return locked


def request_decide(
    *, request, action, by, sent_on=None, reason="", today=None, now=None, notify=True
) -> ResourceRequest:
    """One request, as `requests_decide`."""
    return requests_decide(
        requests=[request],
        action=action,
        by=by,
        sent_on=sent_on,
        reason=reason,
        today=today,
        now=now,
        notify=notify,
    )[0]


def _tell_requester(request):
    title = request.resource.title
    asked = request.what
    page = _url("resource", request.resource_id)
    digital = request.format == Format.DIGITAL
    if request.state == State.ACCEPTED:
        subject = f"Votre demande de « {title} » est acceptée"
        paragraphs = [
            f"Votre demande ({asked}) de « {title} » est acceptée."
            + (
                " Le fichier est disponible : ouvrez-le depuis la page de la ressource."
                if digital
                else " L’équipe prépare l’envoi et vous prévient dès qu’il part."
            )
        ]
        button = "Ouvrir la ressource" if digital else "Voir ma demande"
        quote = ""
    elif request.state == State.SENT:
        subject = f"« {title} » vous est envoyée"
        if digital:
            paragraphs = [
                f"Le fichier de « {title} » est à votre disposition depuis le "
                f"{_day(request.sent_on)} : ouvrez-le depuis la page de la ressource."
            ]
        else:
            copies = (
                f"Vos {asked} de « {title} » sont partis"
                if request.quantity > 1
                else f"Votre exemplaire imprimé de « {title} » est parti"
            )
            paragraphs = [
                f"{copies} par la poste le {_day(request.sent_on)}, "
                "à l’adresse : " + ", ".join(request.address_lines) + "."
            ]
        button = "Ouvrir la ressource" if digital else "Voir ma demande"
        quote = ""
    else:
        subject = f"Votre demande de « {title} » n’a pas pu être acceptée"
        paragraphs = [
            f"L’équipe PromoSanté n’a pas pu accepter votre demande ({asked}) de « {title} ».",
            "Vous pouvez faire une nouvelle demande depuis la page de la ressource, ou écrire à "
            f"l’équipe : {settings.TEAM_EMAIL}.",
        ]
        button = "Voir la ressource"
        quote = request.refusal_reason
    _tell(
        to=request.requester,
        request=request,
        subject=subject,
        paragraphs=paragraphs,
        url=page,
        button=button,
        quote=quote,
        quote_label="Motif",
    )
