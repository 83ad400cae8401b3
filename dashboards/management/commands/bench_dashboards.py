"""The dashboard's server time at `--scale` times the demo (docs/performance.md).

`manage.py bench_dashboards --scale 10 --runs 30` works on the database it is given (never the
test database): it seeds the demo there if it is empty (`seed_demo`), then adds `scale - 1`
copies of the demo's people and activity, written with `bulk_create` and the same relations
between copies: coordinators (account, profile, what they offer and look for), schemes, posts
and tenures, events and their catalogue sessions, registrations and attendance, enrolments and
steps done, self-assessments, tutoring pairs, questions and answers, experience notes, requests
for La boussole. Copy `k` of a row is its demo row with every reference to a copied row
pointing at copy `k` of it (the staff, organisations, territories, the catalogue and the
competency framework are shared). The copies are made once: `bench-<k>.` e-mails and `[k]`
titles mark them, and a second run with the same scale only measures (`--rebuild` is not
offered: drop the database to start again). `ANALYZE` follows, as after the demo's seeding.

It then requests `/tableau-de-bord/` (and `?annee=` of the last 3 years) as staff, ARS DD 93,
CRPV 95 and the ARS head office, through Django's test client (the whole stack: middleware,
view, sections, template), `--runs` times each after one warm-up request, and prints per role
and page the median, 95th percentile and maximum server time and the number of queries.
Connections are kept between requests, as production keeps them (`CONN_MAX_AGE` 60 s),
DEBUG is off, and what is loaded before the first request is frozen out of the garbage
collector's sight, as `promosante.wsgi` does. `--no-jit` opens the connections with
PostgreSQL's JIT off (`-c jit=off` in their OPTIONS; the settings do it already,
`promosante.settings.base.tune_database`). After the pages, the time of each section's builder
alone (`dashboards.sections`, the default period, its placement included) per role, to say
where the time goes.
"""

import gc
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.utils import timezone

from accounts.access import access_for
from accounts.models import User
from agenda.models import Event, Registration
from coordinators.models import CoordinatorProfile, Post, Scheme, Tenure
from learning.models import (
    Enrolment,
    OfferSession,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from network.models import PeerProfile
from network.models.notes import ExperienceNote
from network.models.questions import Answer, Question
from network.models.tutoring import TutoringPair
from resources.models.requests import ResourceRequest

from ...forms import read_filters
from ...sections import SECTIONS, build_sections

ROLES = {
    "équipe": "equipe@demo.example.org",
    "ARS DD 93": "dd93@demo.example.org",
    "CRPV 95": "crpv95@demo.example.org",
    "ARS siège": "ars@demo.example.org",
}
MARK = "bench-{k}."  # e-mail prefix of copy k's people
COPY_TITLE = r" \[[0-9]+\]$"  # a copied scheme's or event's name ends with " [k]"


def _suffix(value, k):
    return f"{value} [{k}]"


@dataclass
class Plan:
    """A model to copy: which rows, and how its own unique texts change per copy."""

    model: type
    rows: object  # a queryset of the demo's rows
    rename: dict  # field name -> function(value, k)


def _plans():
    """What is copied: the demo's own rows (copies have `bench-<k>.` e-mails and `[k]` titles,
    and everything else hangs on them)."""
    people = User.objects.filter(coordinator_profile__isnull=False).exclude(
        email__startswith="bench-"
    )
    schemes = Scheme.objects.exclude(name__regex=COPY_TITLE)
    posts = Post.objects.filter(schemes__in=schemes).distinct()
    events = Event.objects.exclude(title__regex=COPY_TITLE)
    return [
        Plan(User, people, {"email": lambda v, k: MARK.format(k=k) + v}),
        Plan(Scheme, schemes, {"name": _suffix}),
        Plan(Post, posts, {}),
        Plan(CoordinatorProfile, CoordinatorProfile.objects.filter(user__in=people), {}),
        Plan(PeerProfile, PeerProfile.objects.filter(person__in=people), {}),
        Plan(Tenure, Tenure.objects.filter(post__in=posts), {}),
        Plan(Event, events, {"title": _suffix}),
        Plan(OfferSession, OfferSession.objects.filter(event__in=events), {}),
        Plan(Registration, Registration.objects.filter(event__in=events), {}),
        Plan(Enrolment, Enrolment.objects.filter(person__in=people), {}),
        Plan(StepCompletion, StepCompletion.objects.filter(enrolment__person__in=people), {}),
        Plan(SelfAssessment, SelfAssessment.objects.filter(person__in=people), {}),
        Plan(
            SelfAssessmentRating,
            SelfAssessmentRating.objects.filter(assessment__person__in=people),
            {},
        ),
        Plan(TutoringPair, TutoringPair.objects.filter(newcomer__in=people), {}),
        Plan(Question, Question.objects.filter(author__in=people), {}),
        Plan(Answer, Answer.objects.filter(question__author__in=people), {}),
        Plan(ExperienceNote, ExperienceNote.objects.filter(author__in=people), {}),
        Plan(ResourceRequest, ResourceRequest.objects.filter(requester__in=people), {}),
    ]


def _model_key(model):
    return model._meta.concrete_model


class Copier:
    """Copies of the demo's rows, `k` at a time: `maps[model][k]` = {demo pk: copy pk}."""

    def __init__(self, plans):
        self.planned = {_model_key(plan.model) for plan in plans}
        self.maps = {}
        self.later = []  # (model, field, copy, demo value): references to rows copied after

    def copy(self, plan, k):
        model = plan.model
        # An id is the database's, unless it is a reference (a profile's person).
        fields = [f for f in model._meta.concrete_fields if f.is_relation or not f.primary_key]
        stamped = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        demo_rows = list(plan.rows.order_by("pk"))
        copies = []
        for row in demo_rows:
            values, later = {}, []
            for f in fields:
                value = getattr(row, f.attname)
                if f.is_relation and value is not None:
                    target = _model_key(f.related_model)
                    if target in self.planned and target not in self.maps:
                        later.append((f, value))  # a row copied after this one: set then
                        value = None
                    else:
                        value = self.maps.get(target, {}).get(k, {}).get(value, value)
                elif f.name in plan.rename:
                    value = plan.rename[f.name](value, k)
                elif f.unique and f.has_default() and callable(f.default):
                    value = f.get_default()
                values[f.attname] = value
            copies.append(model(**values))
            self.later += [(model, f, copies[-1], value) for f, value in later]
        model.objects.bulk_create(copies, batch_size=1000)
        if stamped:  # auto_now(_add) fields are stamped at creation: the demo's moments back
            for copy, row in zip(copies, demo_rows, strict=True):
                for f in stamped:
                    setattr(copy, f.attname, getattr(row, f.attname))
            model.objects.bulk_update(copies, [f.attname for f in stamped], batch_size=1000)
        self.maps.setdefault(_model_key(model), {})[k] = {
            row.pk: copy.pk for row, copy in zip(demo_rows, copies, strict=True)
        }
        self._copy_many_to_many(model, k)

    def _copy_many_to_many(self, model, k):
        mapped = self.maps[_model_key(model)][k]
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if not through._meta.auto_created:
                continue
            source = m2m.m2m_field_name() + "_id"
            target = m2m.m2m_reverse_field_name() + "_id"
            target_map = self.maps.get(_model_key(m2m.related_model), {}).get(k, {})
            rows = through.objects.filter(**{f"{source}__in": list(mapped)}).values_list(
                source, target
            )
            through.objects.bulk_create(
                [through(**{source: mapped[a], target: target_map.get(b, b)}) for a, b in rows],
                batch_size=2000,
                ignore_conflicts=True,
            )

    def finish(self, k):
        """References to rows copied after the row that holds them (a question's useful
        answer)."""
        by_field = {}
        for model, f, copy, value in self.later:
            mapped = self.maps.get(_model_key(f.related_model), {}).get(k, {})
            setattr(copy, f.attname, mapped.get(value, value))
            by_field.setdefault((model, f.attname), []).append(copy)
        for (model, attname), copies in by_field.items():
            model.objects.bulk_update(copies, [attname], batch_size=1000)
        self.later = []


def build(scale, stdout):
    """Copies 1 … scale-1 of the demo, those missing. Returns the copies made."""
    done = {
        k
        for k in range(1, scale)
        if User.objects.filter(email__startswith=MARK.format(k=k)).exists()
    }
    todo = [k for k in range(1, scale) if k not in done]
    plans = _plans()
    for plan in plans:  # the demo's rows, read before any copy is written
        plan.rows = plan.model.objects.filter(pk__in=list(plan.rows.values_list("pk", flat=True)))
    copier = Copier(plans)
    for k in todo:
        started = time.perf_counter()
        with transaction.atomic():
            for plan in plans:
                copier.copy(plan, k)
            copier.finish(k)
        copier.maps = {}
        stdout.write(f"  copie {k} : {time.perf_counter() - started:.1f} s")
    if todo and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return todo


def volumes():
    return {
        "coordinateur·rices": CoordinatorProfile.objects.count(),
        "postes": Post.objects.count(),
        "prises de poste": Tenure.objects.count(),
        "événements": Event.objects.count(),
        "inscriptions": Registration.objects.count(),
        "inscriptions à des parcours": Enrolment.objects.count(),
        "étapes faites": StepCompletion.objects.count(),
        "auto-évaluations": SelfAssessment.objects.count(),
        "tutorats": TutoringPair.objects.count(),
        "questions": Question.objects.count(),
        "fiches": ExperienceNote.objects.count(),
        "demandes de documents": ResourceRequest.objects.count(),
        "besoins écrits": CoordinatorProfile.objects.exclude(
            Q(needs_environment="") & Q(needs_skills="") & Q(needs_peers="")
        ).count(),
    }


class QueryCounter:
    """Counts the SQL statements run while it wraps the connection (`execute_wrapper`)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values, share):
    """The nearest-rank percentile (`share` in 0–1) of `values`."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def measure(pages, runs, stdout):
    """[(role, page, median ms, p95 ms, max ms, queries)] for each role and page."""
    results = []
    gc.collect()
    gc.freeze()  # as `promosante.wsgi` does once the project is loaded
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts, REQUIRE_MFA=False, DEBUG=False):
        for role, email in ROLES.items():
            user = User.objects.filter(email=email).first()
            if user is None:
                raise CommandError(f"Le compte de démonstration {email} manque : seed_demo ?")
            client = Client()
            client.force_login(user)
            for page in pages:
                response = client.get(page)  # warm-up (caches, first compilation)
                if response.status_code != 200:
                    raise CommandError(f"{role} {page} : réponse {response.status_code}")
                queries = QueryCounter()
                with connection.execute_wrapper(queries):
                    client.get(page)
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    client.get(page)
                    times.append(1000 * (time.perf_counter() - started))
                row = (
                    role,
                    page,
                    statistics.median(times),
                    percentile(times, 0.95),
                    max(times),
                    queries.count,
                )
                stdout.write("  {:<10} {:<32} {:7.0f} {:7.0f} {:7.0f} {:5d}".format(*row))
                results.append(row)
    return results


def measure_sections(runs, stdout):
    """Each section's builder alone, for each role, on the dashboard's default filters."""
    for role, email in ROLES.items():
        request = RequestFactory().get("/tableau-de-bord/")
        request.user = User.objects.get(email=email)
        request.access = access_for(request.user)
        context = read_filters(request).context
        for slug, _title in SECTIONS:
            times = []
            build_sections(context, only={slug})  # warm-up
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                build_sections(context, only={slug})
            for _ in range(runs):
                started = time.perf_counter()
                build_sections(context, only={slug})
                times.append(1000 * (time.perf_counter() - started))
            stdout.write(
                f"  {role:<10} {slug:<14} {statistics.median(times):7.0f} "
                f"{max(times):7.0f} {queries.count:5d}"
            )


class Command(BaseCommand):
    help = (
        "Mesure le temps serveur du tableau de bord sur la démonstration multipliée "
        "(écrit dans la base configurée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10, help="fois la démonstration")
        parser.add_argument("--runs", type=int, default=30, help="requêtes par rôle et page")
        parser.add_argument(
            "--no-jit", action="store_true", help="sans la compilation JIT de PostgreSQL"
        )

    def handle(self, *args, scale, runs, no_jit, **options):
        if not 1 <= scale <= 50 or not 1 <= runs <= 1000:
            raise CommandError("--scale va de 1 à 50 et --runs de 1 à 1000.")
        if not User.objects.filter(email=ROLES["équipe"]).exists():
            raise CommandError("Chargez d’abord la démonstration : manage.py seed_demo.")
        made = build(scale, self.stdout)
        if made:
            self.stdout.write(f"Copies ajoutées : {', '.join(map(str, made))}")
        self.stdout.write(
            "Volumes : " + ", ".join(f"{n} {label}" for label, n in volumes().items())
        )
        if no_jit and connection.vendor != "postgresql":
            raise CommandError("--no-jit ne vaut que pour PostgreSQL.")
        if connection.in_atomic_block:  # called inside a transaction (a test): keep it
            if no_jit:
                with connection.cursor() as cursor:
                    cursor.execute("SET jit = off")
        else:
            # As in production (settings/production.py): connections kept, not one a request.
            connection.settings_dict["CONN_MAX_AGE"] = 60
            if no_jit:
                options = connection.settings_dict.setdefault("OPTIONS", {})
                options["options"] = f"{options.get('options', '')} -c jit=off".strip()
            connection.close()  # the next connection takes these settings
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                self.stdout.write(f"PostgreSQL, jit = {cursor.fetchone()[0]}")
        year = timezone.localdate().year
        pages = ["/tableau-de-bord/"] + [
            f"/tableau-de-bord/?annee={y}" for y in (year - 2, year - 1, year)
        ]
        self.stdout.write(f"{runs} requêtes par rôle et page (ms) : médiane, p95, max, requêtes")
        measure(pages, runs, self.stdout)
        self.stdout.write("Sections seules, période par défaut (ms) : médiane, max, requêtes")
        measure_sections(max(3, runs // 3), self.stdout)
