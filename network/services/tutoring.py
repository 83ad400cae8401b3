"""Writes of tutoring: a newcomer asks for a tutor (naming one or not), staff propose a pair, the
tutor accepts or declines; an active pair plans sessions (agenda events of kind "tutoring" both
are registered to, so reminders are planned), writes notes, and ends with feedback from both.

Every refusal is a `TutoringError` whose French message is shown as it is; each e-mail goes
through the notifications engine (`send_email_on_commit`), in the caller's transaction."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organisation, User
from agenda.models import Event, Registration
from agenda.services import EventError, event_cancel, event_save, registration_record
from coordinators.models import CoordinatorProfile
from core.text import de
from learning.models import Enrolment, PathwayStep, StepCompletion
from notifications.emails import send_email_on_commit
from notifications.models import ReminderRule

from ..models import PeerProfile
from ..models.tutoring import TutoringNote, TutoringPair, TutoringSession
from ..selectors.tutoring import active_pairs_count

MAX_MESSAGE = 2000
MAX_NOTE = 5000
MIN_FEEDBACK = 10
SESSION_MINUTES = range(15, 4 * 60 + 1)
# Remind both people the day before and an hour before (as migration 0005_tutoring creates).
REMINDER_RULES = [
    {"days_before": 1, "hours_before": 0, "with_video_link": False},
    {"days_before": 0, "hours_before": 1, "with_video_link": True},
]


class TutoringError(Exception):
    """Something tutoring refuses; the French message is shown as it is."""


def _text(text, *, limit, what):
    text = (text or "").strip()
    if "\x00" in text:
        raise TutoringError("Ce texte contient un caractère invalide (caractère nul) : retapez-le.")
    if len(text) > limit:
        raise TutoringError(f"{what} fait {len(text)} caractères : {limit} au plus.")
    return text


def _name(user):
    return user.get_full_name() or user.email


def _url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def _tell(*, to, subject, paragraphs, quote="", quote_by="", url, button, about, notify=True):
    """One e-mail of tutoring (a person's words, `quote`, stay text: escaped in HTML); none when
    `notify` is False (the demo's history)."""
    if not notify:
        return
    send_email_on_commit(
        to=to.email if isinstance(to, User) else to,
        recipient=to if isinstance(to, User) else None,
        template="tutoring_message",
        category="peers",
        about=about,
        topic="tutoring",
        topic_label=subject,
        context={
            "subject": subject,
            "greeting": to.first_name if isinstance(to, User) else "",
            "paragraphs": paragraphs,
            "quote": quote,
            "quote_by": quote_by,
            "url": url,
            "button": button,
        },
    )


def _locked(pair):
    return (
        TutoringPair.objects.select_for_update(of=("self",))
        .select_related("newcomer", "tutor")
        .get(pk=pair.pk)
    )


def _check_tutor(newcomer, tutor):
    """A named tutor: another coordinator, still active, who accepts newcomers and has room."""
    if tutor.pk == newcomer.pk:
        raise TutoringError("Vous ne pouvez pas être votre propre tuteur·rice.")
    profile = CoordinatorProfile.objects.filter(
        user=tutor, status=CoordinatorProfile.Status.APPROVED
    ).first()
    if profile is None or not tutor.is_active:
        raise TutoringError(f"{_name(tutor)} ne fait plus partie du réseau des coordinateur·rices.")
    # Locked: two newcomers asking (or a tutor accepting twice) at once count the same room.
    peer = PeerProfile.objects.select_for_update().filter(person=tutor).first()
    capacity = peer.tutoring_capacity if peer else 0
    if capacity == 0:
        raise TutoringError(
            f"{_name(tutor)} ne propose pas de tutorat : choisissez une autre personne."
        )
    if capacity - active_pairs_count([tutor.pk]).get(tutor.pk, 0) <= 0:
        raise TutoringError(
            f"{_name(tutor)} accompagne déjà autant de nouveaux·elles qu’il ou elle le peut : "
            "choisissez une autre personne."
        )


def _check_no_open_pair(newcomer, *, asker_is_newcomer=True):
    pair = TutoringPair.objects.filter(newcomer=newcomer, status__in=TutoringPair.OPEN).first()
    if pair is None:
        return
    if pair.status == TutoringPair.Status.ACTIVE:
        raise TutoringError(
            "Vous avez déjà un·e tuteur·rice."
            if asker_is_newcomer
            else f"{_name(newcomer)} a déjà un·e tuteur·rice."
        )
    raise TutoringError(
        "Vous avez déjà une demande de tutorat en attente."
        if asker_is_newcomer
        else f"Une demande {de(_name(newcomer))} attend déjà une réponse."
    )


def _create(**fields):
    try:
        with transaction.atomic():
            return TutoringPair.objects.create(**fields)
    except IntegrityError as error:  # the same request sent twice at once
        raise TutoringError("Vous avez déjà une demande de tutorat en attente.") from error


def _ask_tutor(pair, *, by_staff=False, notify=True):
    intro = (
        f"L’équipe PromoSanté vous propose d’accompagner {_name(pair.newcomer)}, "
        "qui a pris son poste de coordination il y a peu."
        if by_staff
        else f"{_name(pair.newcomer)}, qui a pris son poste de coordination il y a peu, "
        "vous demande de l’accompagner comme tuteur·rice."
    )
    _tell(
        to=pair.tutor,
        subject=f"Une demande de tutorat {de(_name(pair.newcomer))}",
        paragraphs=[intro, "Vous pouvez accepter ou décliner, avec un message, sur la plateforme."],
        quote=pair.message,
        quote_by=_name(pair.proposed_by) if by_staff and pair.proposed_by else _name(pair.newcomer),
        url=_url("tutoring_answer", pair.pk),
        button="Répondre à la demande",
        about=f"tutoring:{pair.pk}",
        notify=notify,
    )


@transaction.atomic
def tutoring_request(*, newcomer, tutor=None, message="", notify=True) -> TutoringPair:
    """A newcomer asks for a tutor: the one they name, or any (staff then propose someone).
    `notify=False` e-mails nobody (the demo's history), as in every write below."""
    message = _text(message, limit=MAX_MESSAGE, what="Votre message")
    User.objects.select_for_update().filter(pk=newcomer.pk).first()  # one request at a time
    _check_no_open_pair(newcomer)
    if tutor is not None:
        _check_tutor(newcomer, tutor)
    pair = _create(newcomer=newcomer, tutor=tutor, message=message)
    if tutor is not None:
        _ask_tutor(pair, notify=notify)
    else:
        _tell(
            to=settings.TEAM_EMAIL,
            subject=f"Demande de tutorat {de(_name(newcomer))}",
            paragraphs=[
                f"{_name(newcomer)} demande un·e tuteur·rice sans nommer personne : "
                "proposez-lui un·e pair expérimenté·e."
            ],
            quote=message,
            quote_by=_name(newcomer),
            url=_url("tutoring_overview"),
            button="Voir les demandes en attente",
            about=f"tutoring:{pair.pk}",
            notify=notify,
        )
    return pair


@transaction.atomic
def tutoring_propose(*, newcomer, tutor, by, message="") -> TutoringPair:
    """Staff propose a pair: to a newcomer without a tutor, or in answer to a request that
    named nobody. The tutor then accepts or declines."""
    message = _text(message, limit=MAX_MESSAGE, what="Votre message")
    User.objects.select_for_update().filter(pk=newcomer.pk).first()
    waiting = TutoringPair.objects.filter(
        newcomer=newcomer, status=TutoringPair.Status.REQUESTED, tutor__isnull=True
    ).first()
    if waiting is None:
        _check_no_open_pair(newcomer, asker_is_newcomer=False)
    _check_tutor(newcomer, tutor)
    if waiting is not None:
        pair = waiting
        pair.tutor, pair.proposed_by = tutor, by
        if message:
            pair.message = "\n\n".join(part for part in (pair.message, message) if part)
        pair.save(update_fields=["tutor", "proposed_by", "message"])
    else:
        pair = _create(newcomer=newcomer, tutor=tutor, proposed_by=by, message=message)
    _ask_tutor(pair, by_staff=True)
    _tell(
        to=newcomer,
        subject="Un tutorat vous est proposé",
        paragraphs=[
            f"L’équipe PromoSanté a proposé à {_name(tutor)} de vous accompagner comme "
            "tuteur ou tutrice. Vous serez prévenu·e de sa réponse."
        ],
        url=_url("tutoring"),
        button="Voir mon tutorat",
        about=f"tutoring:{pair.pk}",
    )
    return pair


@transaction.atomic
def tutoring_withdraw(*, pair, newcomer) -> TutoringPair:
    """The newcomer withdraws a request that waits for an answer."""
    pair = _locked(pair)
    if pair.newcomer_id != newcomer.pk:
        raise TutoringError("Cette demande n’est pas la vôtre.")
    if pair.status != TutoringPair.Status.REQUESTED:
        raise TutoringError(
            "Cette demande a déjà reçu une réponse : elle ne peut plus être retirée."
        )
    pair.status = TutoringPair.Status.WITHDRAWN
    pair.answered_at = timezone.now()
    pair.save(update_fields=["status", "answered_at"])
    return pair


@transaction.atomic
def tutoring_answer(*, pair, tutor, accept, answer="", today=None, notify=True) -> TutoringPair:
    """The tutor accepts (the pair starts today: the newcomer's pathway tutoring steps are
    done) or declines, with a message; both are told."""
    today = today or timezone.localdate()
    answer = _text(answer, limit=MAX_MESSAGE, what="Votre message")
    pair = _locked(pair)
    if pair.tutor_id != tutor.pk:
        raise TutoringError("Cette demande ne vous est pas adressée.")
    if pair.status != TutoringPair.Status.REQUESTED:
        raise TutoringError(
            f"Cette demande a déjà reçu une réponse ({pair.get_status_display().lower()})."
        )
    if not accept and not answer:
        raise TutoringError(f"Dites en une phrase à {_name(pair.newcomer)} pourquoi vous déclinez.")
    if accept:
        if TutoringPair.objects.filter(
            newcomer=pair.newcomer, status=TutoringPair.Status.ACTIVE
        ).exists():
            raise TutoringError(f"{_name(pair.newcomer)} a déjà un·e tuteur·rice.")
        _check_tutor(pair.newcomer, tutor)
    pair.status = TutoringPair.Status.ACTIVE if accept else TutoringPair.Status.DECLINED
    pair.answer = answer
    pair.answered_at = timezone.now()
    pair.started_on = today if accept else None
    pair.save(update_fields=["status", "answer", "answered_at", "started_on"])
    if accept:
        pathway_tutoring_steps_complete(pair)
        for person, other in ((pair.newcomer, pair.tutor), (pair.tutor, pair.newcomer)):
            started = (
                f"{_name(pair.tutor)} devient votre tuteur·rice"
                if person == pair.newcomer
                else f"Vous accompagnez désormais {_name(pair.newcomer)}"
            )
            _tell(
                to=person,
                subject="Votre tutorat commence",
                paragraphs=[
                    f"{started} : le tutorat commence aujourd’hui. Planifiez votre première "
                    f"séance avec {_name(other)} sur la plateforme : elle vous enverra des "
                    "rappels à tous les deux."
                ],
                quote=answer,
                quote_by=_name(pair.tutor),
                url=_url("tutoring_pair", pair.pk),
                button="Voir le tutorat",
                about=f"tutoring:{pair.pk}",
                notify=notify,
            )
    else:
        _tell(
            to=pair.newcomer,
            subject=f"{_name(pair.tutor)} ne peut pas être votre tuteur·rice",
            paragraphs=[
                f"{_name(pair.tutor)} a décliné votre demande de tutorat. "
                "Vous pouvez demander à une autre personne parmi celles que la plateforme "
                "vous suggère, ou laisser l’équipe vous proposer quelqu’un."
            ],
            quote=answer,
            quote_by=_name(pair.tutor),
            url=_url("tutoring"),
            button="Demander à quelqu’un d’autre",
            about=f"tutoring:{pair.pk}",
            notify=notify,
        )
    return pair


def pathway_tutoring_steps_complete(pair) -> int:
    """An active pair completes the tutoring steps of the newcomer's running pathways (as
    recorded attendance does, whatever the order of the steps). Returns how many."""
    steps = PathwayStep.objects.filter(
        kind=PathwayStep.Kind.TUTORING,
        retired_at__isnull=True,
        pathway__enrolments__person=pair.newcomer,
        pathway__enrolments__left_at__isnull=True,
    ).values_list("pk", "pathway_id")
    enrolments = dict(
        Enrolment.objects.filter(person=pair.newcomer, left_at__isnull=True).values_list(
            "pathway_id", "pk"
        )
    )
    started = date_format(pair.started_on, "j F Y") if pair.started_on else "aujourd’hui"
    rows = [
        StepCompletion(
            enrolment_id=enrolments[pathway_id],
            step_id=step_id,
            source=StepCompletion.Source.TUTORING,
            reflection=f"Tutorat avec {_name(pair.tutor)}, commencé le {started}.",
        )
        for step_id, pathway_id in set(steps)
        if pathway_id in enrolments
    ]
    return len(StepCompletion.objects.bulk_create(rows, ignore_conflicts=True))


def _check_member(pair, user, *, staff=False):
    if not (pair.is_member(user.pk) or staff):
        raise TutoringError("Vous ne faites pas partie de ce tutorat.")


def _organiser():
    organiser = Organisation.objects.filter(kind=Organisation.Kind.PROMOSANTE).first()
    if organiser is None:
        raise TutoringError("La plateforme n’a pas de structure PromoSanté : prévenez l’équipe.")
    return organiser


@transaction.atomic
def tutoring_session_plan(
    *, pair, by, starts_at, minutes=60, location="", video_url="", now=None, notify=True
) -> TutoringSession:
    """A session of an active pair: an agenda event of kind "tutoring", seen only by the pair
    (and staff on the pair's page), both registered so reminders are planned."""
    now = now or timezone.now()
    pair = _locked(pair)
    _check_member(pair, by)
    if pair.status != TutoringPair.Status.ACTIVE:
        raise TutoringError("Seul un tutorat en cours planifie des séances.")
    if starts_at <= now:
        raise TutoringError("Choisissez une date et une heure à venir.")
    if minutes not in SESSION_MINUTES:
        raise TutoringError("Une séance dure de 15 minutes à 4 heures.")
    location = _text(location, limit=300, what="Le lieu")
    event = Event(
        kind=Event.Kind.TUTORING,
        title=f"Tutorat : {_name(pair.newcomer)} et {_name(pair.tutor)}",
        description="Séance de tutorat entre pairs, visible des seules personnes du binôme.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        location=location,
        video_url=video_url or "",
        capacity=2,
        audiences=[Event.Audience.NEWCOMERS],
        organiser=_organiser(),
        created_by=by,
    )
    try:
        event_save(event=event, departments=[], topics=[])
        for person in (pair.newcomer, pair.tutor):
            registration_record(
                event=event,
                person=person,
                status=Registration.Status.CONFIRMED,
                recorded_by=by,
                notify=notify,
            )
    except EventError as error:
        raise TutoringError(str(error)) from error
    return TutoringSession.objects.create(pair=pair, event=event)


@transaction.atomic
def tutoring_session_cancel(*, session, by) -> TutoringSession:
    pair = _locked(session.pair)
    _check_member(pair, by)
    if session.event.is_cancelled:
        raise TutoringError("Cette séance est déjà annulée.")
    if session.event.starts_at <= timezone.now():
        raise TutoringError("Cette séance a déjà eu lieu.")
    event_cancel(event=session.event, reason=f"Annulée par {_name(by)}.")
    return session


@transaction.atomic
def tutoring_note_add(*, pair, author, text, staff=False) -> TutoringNote:
    """A note of the pair (read by the pair and staff only)."""
    pair = _locked(pair)
    _check_member(pair, author, staff=staff)
    if pair.status not in (TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED):
        raise TutoringError("Les notes s’écrivent une fois le tutorat commencé.")
    text = _text(text, limit=MAX_NOTE, what="Cette note")
    if not text:
        raise TutoringError("Écrivez la note avant de l’enregistrer.")
    return TutoringNote.objects.create(pair=pair, author=author, text=text)


@transaction.atomic
def tutoring_end(*, pair, by, feedback, today=None, notify=True) -> TutoringPair:
    """One of the pair ends the tutoring with their short feedback (the other gives theirs
    afterwards, once); upcoming sessions are cancelled and the other is told."""
    today = today or timezone.localdate()
    pair = _locked(pair)
    _check_member(pair, by)
    feedback = _text(feedback, limit=MAX_MESSAGE, what="Votre bilan")
    if len(feedback) < MIN_FEEDBACK:
        raise TutoringError(
            f"Écrivez en quelques mots ce que ce tutorat vous a apporté (au moins {MIN_FEEDBACK} "
            "caractères)."
        )
    field = "newcomer_feedback" if by.pk == pair.newcomer_id else "tutor_feedback"
    if pair.status == TutoringPair.Status.ENDED:
        if getattr(pair, field):
            raise TutoringError("Vous avez déjà donné votre bilan de ce tutorat. Merci !")
        setattr(pair, field, feedback)
        pair.save(update_fields=[field])
        return pair
    if pair.status != TutoringPair.Status.ACTIVE:
        raise TutoringError("Seul un tutorat en cours peut se terminer.")
    pair.status = TutoringPair.Status.ENDED
    pair.ended_on = today
    pair.ended_by = by
    setattr(pair, field, feedback)
    pair.save(update_fields=["status", "ended_on", "ended_by", field])
    upcoming = TutoringSession.objects.filter(
        pair=pair, event__starts_at__gt=timezone.now(), event__status=Event.Status.PUBLISHED
    ).select_related("event")
    for session in upcoming:
        event_cancel(event=session.event, reason="Le tutorat est terminé.")
    other = pair.tutor if by.pk == pair.newcomer_id else pair.newcomer
    _tell(
        to=other,
        subject="Votre tutorat est terminé",
        paragraphs=[
            f"{_name(by)} a mis fin au tutorat et a donné son bilan. Donnez le vôtre en "
            "quelques mots : il aide l’équipe à faire vivre le tutorat dans le réseau."
        ],
        url=_url("tutoring_end", pair.pk),
        button="Donner mon bilan",
        about=f"tutoring:{pair.pk}",
        notify=notify,
    )
    return pair


def reminder_rules_ensure():
    """The tutoring sessions' default reminders, if missing (a flushed database)."""
    for rule in REMINDER_RULES:
        offsets = {k: rule[k] for k in ("days_before", "hours_before")}
        ReminderRule.objects.get_or_create(
            kind=Event.Kind.TUTORING,
            **offsets,
            defaults={"with_video_link": rule["with_video_link"]},
        )
