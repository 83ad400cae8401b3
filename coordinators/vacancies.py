"""Vacancies (offres de postes vacants): published from a vacant post of the register, public
while open, so that a post is filled sooner (recruiting faster is one answer to turnover).

- Who publishes (`may_publish_vacancy`, on top of the `vacancies.publish` permission): the team,
  for any post; a coordinator, for a post they hold or held within the last 90 days and whose
  departure is recorded (they publish for their employer, to shorten the vacancy). The same
  people change and close it. Everyone, visitors included, reads the open ones: nothing of the
  people who held the post, only the contact the publisher chose to show.
- Which posts (`publish_refusal`): a post vacant today, or whose holder's departure is
  recorded; never a filled post, a post of unknown status, a post where an arrival is already
  planned, or a post of an ended scheme. One open vacancy per post (a database constraint).
- Closing: `post_arrival` closes the open vacancy of the post in its transaction
  (`vacancy_close_for_arrival`); its publisher or the team close it by hand
  (`vacancy_close`); a vacancy stops being listed the day after its closing date by the
  selectors' filter on dates, so no daily task is needed; its row is marked closed (expired)
  when a new vacancy is published on the post.
"""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.access import TEAM, Role
from territories.models import Department

from .models import Post, Scheme, Tenure, Vacancy
from .selectors import POST_FILLED, POST_UNKNOWN, posts_at

# A coordinator who left a post publishes its vacancy within this many days of leaving.
PUBLISHER_DAYS = 90
# Bounds of what a publisher types.
FTE_MIN, FTE_MAX = Decimal("0.1"), Decimal("1")
OPEN_AT_MOST_DAYS = 365
DEFAULT_OPEN_DAYS = 30
TITLE_MAX, TEXT_MAX, DESCRIPTION_MAX, URL_MAX = 200, 200, 10_000, 500


class VacancyError(Exception):
    """A vacancy the register refuses; the message (French) is shown to the person."""


# --- Who may publish, and on which posts ---------------------------------------------------------


def _left_within(person_id, post, today):
    """Tenures of `person_id` on `post` whose departure is recorded and not older than 90 days
    (a departure announced for a later day counts: they publish before leaving)."""
    since = today - timedelta(days=PUBLISHER_DAYS)
    return Tenure.objects.filter(
        post=post, person_id=person_id, ended_on__isnull=False, ended_on__gte=since
    )


def may_publish_vacancy(access, post, today):
    """The object check of `vacancies.publish`: the team, any post; a coordinator, a post they
    hold or held within 90 days and whose departure they announced."""
    if not access.can("vacancies.publish"):
        return False
    if access.role in TEAM:
        return True
    if access.role != Role.COORDINATOR or access.user_id is None:
        return False
    return _left_within(access.user_id, post, today).exists()


def may_manage_vacancy(access, vacancy, today):
    """Who may change or close a vacancy: whoever may publish one on its post."""
    return may_publish_vacancy(access, vacancy.post, today)


def publish_refusal(post, today):
    """Why `post` cannot get a vacancy today (French), or None when it can: vacant today, or its
    holder's departure is recorded, with no arrival planned after."""
    current = posts_at(today).filter(pk=post.pk).first()
    if current is None:
        return (
            "Ce poste n’est pas ouvert aujourd’hui : il a été supprimé ou n’est pas encore ouvert."
        )
    if Scheme.objects.filter(posts=post, status=Scheme.Status.ENDED).exists():
        return "Le dispositif de ce poste est terminé : on n’y recrute plus."
    if current.status_at == POST_UNKNOWN:
        return (
            "Le statut de ce poste est inconnu : indiquez d’abord s’il est occupé (en "
            "enregistrant le départ de la personne en poste, ou en modifiant le poste)."
        )
    tenures = Tenure.objects.filter(post=post)
    if current.status_at == POST_FILLED:
        holding = tenures.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )
        if holding.filter(ended_on__isnull=True).exists():
            return (
                "Ce poste est occupé : on publie une offre pour un poste vacant, ou dont le "
                "départ de la personne en poste est enregistré."
            )
    coming = tenures.filter(started_on__gt=today).order_by("started_on").first()
    if coming is not None:
        return (
            f"Une arrivée est déjà enregistrée sur ce poste le {coming.started_on:%d/%m/%Y} : "
            "il n’est plus à pourvoir."
        )
    return None


# --- Reads ---------------------------------------------------------------------------------------


def _of(name):
    """ "du CLS de Saint-Denis", "de l’ASV d’Aubervilliers": how a job title names a scheme."""
    return f"de l’{name}" if name[:1].upper() in "AEIOUYÉÈH" else f"du {name}"


def default_title(schemes):
    """What people call the job, from its post's schemes (not an internal number):
    "Coordinateur·rice du CLSM de Sarcelles", "… du CLS de Saint-Denis et de l’ASV de
    Saint-Denis"."""
    names = [_of(scheme.name) for scheme in schemes]
    if not names:
        return "Coordinateur·rice santé"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"Coordinateur·rice {joined}"[:TITLE_MAX]


def vacancy_defaults(post, today):
    """The publishing form's initial values: the post's FTE, its schemes' name and carrier, a
    commune they cover, a month to apply; the text and contact of the post's last vacancy, if
    it had one (republishing is then quick)."""
    schemes = sorted(post.schemes.all(), key=lambda scheme: scheme.name)
    first = schemes[0] if schemes else None
    commune = first.communes.order_by("folded_name").first() if first else None
    initial = {
        "title": default_title(schemes),
        "fte": post.fte,
        "employer": first.carrier_name if first else "",
        "commune": commune,
        "closes_on": today + timedelta(days=DEFAULT_OPEN_DAYS),
    }
    last = Vacancy.objects.filter(post=post).order_by("-published_at").first()
    if last is not None:
        for name in ("title", "description", "employer", "commune"):
            initial[name] = getattr(last, name)
        initial.update(
            contact_name=last.contact_name,
            contact_email=last.contact_email,
            contact_url=last.contact_url,
        )
    return initial


def open_vacancy_of(post):
    """The post's open vacancy (listed, or past its closing date), or None."""
    return Vacancy.objects.filter(post=post, status=Vacancy.Status.OPEN).first()


def is_listed(vacancy, today):
    """Open and its closing date not passed: on the public list."""
    return vacancy.status == Vacancy.Status.OPEN and vacancy.closes_on >= today


def closed_reason(vacancy, today):
    """(since when, why) the public list no longer shows a vacancy, or None while it does. A
    vacancy left open past its closing date stopped the day after it; one whose post found a
    holder by another way than `post_arrival` (an import of the register) or was removed stopped
    then."""
    if vacancy.status == Vacancy.Status.CLOSED:
        return vacancy.closed_on, vacancy.get_close_reason_display()
    if vacancy.closes_on < today:
        return vacancy.closes_on + timedelta(days=1), Vacancy.CloseReason.EXPIRED.label
    holder = Tenure.objects.filter(post_id=vacancy.post_id, ended_on__isnull=True).first()
    if holder is not None:  # never before it was published (a departure cancelled since)
        published_on = timezone.localtime(vacancy.published_at).date()
        return max(holder.started_on, published_on), Vacancy.CloseReason.FILLED.label
    closed_on = vacancy.post.closed_on
    if closed_on is not None and closed_on <= today:
        return closed_on, "le poste a été supprimé"
    return None


def _listed(today):
    """Open, closing date not passed, on a post still open that nobody holds for good (a holder
    who announced their departure leaves it listed)."""
    return (
        Vacancy.objects.filter(status=Vacancy.Status.OPEN, closes_on__gte=today)
        .filter(Q(post__closed_on__isnull=True) | Q(post__closed_on__gt=today))
        # NOT EXISTS, an anti-join: NOT IN over every open tenure may run as a subplan per row
        # on PostgreSQL (minutes at 2,000 vacancies).
        .exclude(Exists(Tenure.objects.filter(post=OuterRef("post"), ended_on__isnull=True)))
    )


def open_vacancies(today, *, department=None, kind=None):
    """The public list: open vacancies whose closing date has not passed, on posts still open,
    newest first, optionally of a département (by the workplace's) and a scheme type. Each with
    its commune and département, and its post's schemes (`post.schemes.all`, prefetched)."""
    vacancies = _listed(today)
    if department is not None:
        vacancies = vacancies.filter(commune__department=department)
    if kind:
        vacancies = vacancies.filter(
            Exists(Post.schemes.through.objects.filter(post=OuterRef("post"), scheme__kind=kind))
        )
    return (
        vacancies.select_related("commune__department")
        .prefetch_related(
            Prefetch("post__schemes", queryset=Scheme.objects.order_by("name")),
        )
        .order_by("-published_at", "-pk")
    )


def vacancy_page(pk):
    """A vacancy for its page, open or not, or None."""
    return (
        Vacancy.objects.select_related("commune__department", "post")
        .prefetch_related(Prefetch("post__schemes", queryset=Scheme.objects.order_by("name")))
        .filter(pk=pk)
        .first()
    )


def list_departments():
    """The départements of the list's filter."""
    return Department.objects.order_by("code")


def post_vacancy_facts(access, posts, today):
    """For a register page's posts (annotated by `posts_at`): {post id: (its listed vacancy or
    None, whether `access` may publish one now)}, in three queries whatever their number. One
    may publish on a post of one's own (`may_publish_vacancy`) with no listed vacancy, whose
    status is known, with no holder staying and no arrival planned (`publish_refusal`, which
    the publishing page checks in full)."""
    posts = list(posts)
    ids = [post.pk for post in posts]
    listed = {vacancy.post_id: vacancy for vacancy in _listed(today).filter(post_id__in=ids)}
    if not access.can("vacancies.publish"):
        mine = set()
    elif access.role in TEAM:
        mine = set(ids)
    else:
        since = today - timedelta(days=PUBLISHER_DAYS)
        mine = set(
            Tenure.objects.filter(
                post_id__in=ids,
                person_id=access.user_id,
                ended_on__isnull=False,
                ended_on__gte=since,
            ).values_list("post_id", flat=True)
        )
    blocked = set()
    if mine:
        staying = Q(ended_on__isnull=True, started_on__lte=today) | Q(started_on__gt=today)
        blocked = set(
            Tenure.objects.filter(staying, post_id__in=mine).values_list("post_id", flat=True)
        )
    return {
        post.pk: (
            listed.get(post.pk),
            post.pk in mine
            and post.pk not in blocked
            and post.pk not in listed
            and post.status_at != POST_UNKNOWN,
        )
        for post in posts
    }


# --- Writes --------------------------------------------------------------------------------------


def _text(value, label, limit, *, required=True):
    if not isinstance(value, str):
        raise VacancyError(f"« {label} » : un texte est attendu.")
    value = value.strip()
    if required and not value:
        raise VacancyError(f"Indiquez {label}.")
    if len(value) > limit:
        raise VacancyError(f"« {label[0].upper()}{label[1:]} » fait au plus {limit} caractères.")
    return value


def _checked(*, post, fields, today):
    """The fields of a vacancy as typed, checked (VacancyError in French otherwise)."""
    data = {
        "title": _text(fields.get("title"), "l’intitulé de l’offre", TITLE_MAX),
        "description": _text(fields.get("description"), "la description du poste", DESCRIPTION_MAX),
        "employer": _text(fields.get("employer"), "l’employeur", TEXT_MAX),
        "contact_name": _text(fields.get("contact_name"), "le nom du contact", TEXT_MAX),
        "contact_email": _text(
            fields.get("contact_email") or "", "l’adresse e-mail", TEXT_MAX, required=False
        ),
        "contact_url": _text(
            fields.get("contact_url") or "", "l’adresse web", URL_MAX, required=False
        ),
    }
    fte = fields.get("fte")
    try:
        fte = Decimal(str(fte)).quantize(Decimal("0.01"))
    except Exception as error:
        raise VacancyError("Indiquez le temps de travail en ETP, entre 0,1 et 1.") from error
    if not fte.is_finite() or not FTE_MIN <= fte <= FTE_MAX:
        raise VacancyError("Le temps de travail est compris entre 0,1 et 1 ETP.")
    data["fte"] = fte
    if not data["contact_email"] and not data["contact_url"]:
        raise VacancyError(
            "Indiquez comment candidater : une adresse e-mail ou une adresse web (ou les deux)."
        )
    if data["contact_email"]:
        try:
            validate_email(data["contact_email"])
        except ValidationError as error:
            raise VacancyError("Saisissez une adresse e-mail valide pour candidater.") from error
    if data["contact_url"]:
        parts = urlsplit(data["contact_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise VacancyError("L’adresse web pour candidater commence par https:// ou http://.")
    commune = fields.get("commune")
    if commune is None:
        raise VacancyError("Indiquez la commune du lieu de travail.")
    departments = dict(
        Scheme.objects.filter(posts=post).values_list("department_id", "department__code")
    )
    if departments and commune.department_id not in departments:
        codes = ", ".join(sorted(set(departments.values())))
        raise VacancyError(f"Le lieu de travail est une commune du département du poste ({codes}).")
    data["commune"] = commune
    closes_on = fields.get("closes_on")
    if not isinstance(closes_on, date):
        raise VacancyError("Indiquez la date limite de candidature.")
    if closes_on < today:
        raise VacancyError(
            "La date limite de candidature est passée : choisissez aujourd’hui ou une date à venir."
        )
    if closes_on > today + timedelta(days=OPEN_AT_MOST_DAYS):
        raise VacancyError(
            "Une offre reste publiée un an au plus : choisissez une date limite plus proche."
        )
    data["closes_on"] = closes_on
    return data


FIELDS = (
    "title",
    "description",
    "fte",
    "employer",
    "commune",
    "contact_name",
    "contact_email",
    "contact_url",
    "closes_on",
)


@transaction.atomic
def vacancy_publish(*, post, by, today=None, at=None, **fields) -> Vacancy:
    """Publish a vacancy for `post` (`fields`: those of `FIELDS`), by `by`. Refused in French if
    the post is not to fill (`publish_refusal`), if it already has an open vacancy, or if a
    field is wrong; nothing is saved then. An open vacancy of the post whose closing date has
    passed is closed first (expired). `today` and `at` (now by default) date it as it happened
    (the demo's history)."""
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    post = Post.objects.select_for_update().get(pk=post.pk)
    refusal = publish_refusal(post, today)
    if refusal:
        raise VacancyError(refusal)
    data = _checked(post=post, fields=fields, today=today)
    current = Vacancy.objects.filter(post=post, status=Vacancy.Status.OPEN).first()
    if current is not None:
        if current.closes_on >= today:
            raise VacancyError(
                "Une offre est déjà publiée pour ce poste : modifiez-la plutôt que d’en publier "
                "une autre."
            )
        _close(current, on=current.closes_on + timedelta(days=1), reason="expired")
    try:
        with transaction.atomic():
            return Vacancy.objects.create(post=post, published_by=by, published_at=at, **data)
    except IntegrityError as error:  # published at the same moment by someone else
        raise VacancyError(
            "Une offre vient d’être publiée pour ce poste par quelqu’un d’autre : rechargez la "
            "page."
        ) from error


@transaction.atomic
def vacancy_update(*, vacancy, today=None, **fields) -> Vacancy:
    """Change an open vacancy (its text, contact, closing date: a later date lists it again)."""
    today = today or timezone.localdate()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.OPEN:
        raise VacancyError("Cette offre est close : publiez-en une nouvelle depuis le poste.")
    data = _checked(post=vacancy.post, fields=fields, today=today)
    for name, value in data.items():
        setattr(vacancy, name, value)
    vacancy.save(update_fields=list(data))
    return vacancy


def _close(vacancy, *, on, reason):
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.closed_on = on
    vacancy.close_reason = reason
    vacancy.save(update_fields=["status", "closed_on", "close_reason"])
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy, today=None) -> Vacancy:
    """Close a vacancy by hand (the post found someone elsewhere, or is no longer to fill)."""
    today = today or timezone.localdate()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.OPEN:
        raise VacancyError(f"Cette offre est déjà close (le {vacancy.closed_on:%d/%m/%Y}).")
    return _close(vacancy, on=today, reason=Vacancy.CloseReason.BY_HAND)


def vacancy_close_for_arrival(*, post, started_on, today=None) -> Vacancy | None:
    """An arrival is recorded on `post`: its open vacancy, if any, is closed (filled), in the
    arrival's transaction. Closed on the arrival's day when it is recorded afterwards (never
    before the vacancy was published), today when it is recorded ahead."""
    today = today or timezone.localdate()
    vacancy = Vacancy.objects.select_for_update().filter(post=post, status="open").first()
    if vacancy is None:
        return None
    published_on = timezone.localtime(vacancy.published_at).date()
    on = min(today, max(started_on, published_on))
    return _close(vacancy, on=on, reason=Vacancy.CloseReason.FILLED)
