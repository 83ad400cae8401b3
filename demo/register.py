"""Demo data of the register: schemes, coordination posts, tenures, coordinators, handover files.

`seed_register` loads a realistic register (SPEC §1): 82 CLS, 69 CLSM and 67 ASV over the 8
départements, about 200 posts of which about 20 vacant and 6 of unknown status today, and the
tenure histories (about 18 arrivals a year) that the turnover figures are computed from. Its
figures, names and texts are in `data/register/` and `data/people.yaml`.

The whole register is first planned in memory from `random.Random(SEED)` and the real communes,
then written:
- schemes and posts through the register's services (`scheme_save`, `post_save`: one
  département per scheme and per post, a handover file per post);
- the past of each post (tenures since 2010, most of them ended) as history
  (`history.tenures_record`, checked with the register's rules), with the accounts and approved
  profiles of the people who held them;
- the arrivals of the two demo coordinators through `post_arrival`, as staff record them;
- the handover files a few leavers and holders wrote through `handover_update`, dated.

Everything is looked up by a natural key before it is created: schemes by type and name, posts by
their set of schemes, people by e-mail, and a post's history is only written when the post has no
tenure yet. Running it twice, even on another day, changes nothing.

The geography (which communes, which carriers, which posts) is drawn before any date, so that it
does not depend on `today`; dates are then drawn relative to `today`.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import User
from coordinators import services as register_services
from coordinators.models import (
    Background,
    CoordinatorProfile,
    HandoverFile,
    Post,
    Scheme,
    Tenure,
    Topic,
)
from coordinators.selectors import turnover_figures
from territories.models import Commune

from . import history, loaders
from .draws import SEED, weighted_sample
from .words import commune_label, fold, of

# What a coordinator may show in the directory (fields of `CoordinatorProfile`).
DIRECTORY_CHOICES = ["email", "job", "background", "seniority", "topics", "can_help_with"]


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneInfo:
    code: str
    name: str
    department: str
    population: int
    interco: tuple | None  # (siren, name, kind) of its EPT or EPCI, the Métropole excepted

    @property
    def label(self):
        return commune_label(self.code, self.name)


@dataclass(eq=False)
class PlannedScheme:
    kind: str
    name: str
    department: str
    communes: list
    carrier_name: str
    carrier_kind: str
    main: CommuneInfo
    status: str = Scheme.Status.ACTIVE
    signed_on: date | None = None
    ends_on: date | None = None
    qpv_names: str = ""

    @property
    def key(self):
        return (self.kind, self.name)


@dataclass(eq=False)
class PlannedPerson:
    email: str
    first_name: str
    last_name: str
    feminine: bool
    background: str = ""
    diploma_level: str = ""


@dataclass(eq=False)
class PlannedTenure:
    person: PlannedPerson
    started_on: date
    ended_on: date | None = None
    end_reason: str = ""


@dataclass(eq=False)
class PlannedPost:
    schemes: list
    fte: Decimal = Decimal("1.00")
    opened_on: date | None = None
    closed_on: date | None = None
    state: str = "filled"  # today: filled, vacant or unknown (closed posts: "closed")
    status_unknown: bool = False
    tenures: list = field(default_factory=list)  # oldest first
    handover: dict | None = None
    handover_author: PlannedTenure | None = None
    handover_written_on: date | None = None
    demo: loaders.DemoCoordinator | None = None  # the demo coordinator who holds it

    @property
    def key(self):
        return frozenset(s.key for s in self.schemes)

    @property
    def main(self):
        return self.schemes[0].main


def _demo_posts():
    """[(demo coordinator, their account, [(kind, commune code)])] of data/register."""
    data = loaders.accounts()
    return [
        (coordinator, account, [(s.kind, account.commune) for s in coordinator.schemes])
        for coordinator in loaders.register().demo_coordinators
        for account in [data.account(coordinator.account)]
    ]


def _interco_names(interco):
    """(carrier name, short name for a scheme) of an intercommunality."""
    _siren, name, kind = interco
    short = name.split(" (")[0]
    if kind != "EPT":
        short = short[len(kind) + 1 :]
    if short.startswith("Communauté "):
        return short, short
    return f"{loaders.register().intercommunality_prefixes[kind]} {short}", short


def _plan_schemes(rng, communes):
    """Which communes have which scheme, carried by whom (no dates yet)."""
    data = loaders.register()
    by_department = {code: [] for code in data.departments}
    for commune in communes:
        by_department[commune.department].append(commune)
    forced = {kind: set() for kind in data.scheme_counts}  # the demo coordinators' schemes
    for _coordinator, _account, places in _demo_posts():
        for kind, code in places:
            forced[kind].add(code)
    chosen = {}  # kind -> [CommuneInfo]
    for kind, counts in data.scheme_counts.items():
        chosen[kind] = []
        for code in data.departments:
            pool = sorted(by_department[code], key=lambda c: (-c.population, c.code))[:45]
            picked = [c for c in pool if c.code in forced[kind]]
            rest = [c for c in pool if c.code not in forced[kind]]
            cls_codes = {c.code for c in chosen.get(Scheme.Kind.CLS, [])}
            weights = [
                c.population**0.9 * (2.5 if kind == Scheme.Kind.ASV and c.code in cls_codes else 1)
                for c in rest
            ]
            picked += weighted_sample(rng, rest, weights, counts[code] - len(picked))
            chosen[kind] += sorted(picked, key=lambda c: c.code)

    # Some schemes are carried by an intercommunality and cover a few more of its communes.
    all_forced = set().union(*forced.values())
    covered = {kind: {c.code for c in chosen[kind]} for kind in data.scheme_counts}
    members = {}
    for commune in communes:
        if commune.interco:
            members.setdefault(commune.interco, []).append(commune)
    schemes = []
    for kind in data.scheme_counts:
        candidates = [
            c
            for c in chosen[kind]
            if c.interco and c.code not in all_forced and c.department != "75"
        ]
        rng.shuffle(candidates)
        intercommunal, used = {}, set()
        for commune in candidates:
            if len(intercommunal) == data.intercommunal[kind]:
                break
            if commune.interco in used:
                continue
            others = [
                m
                for m in members[commune.interco]
                if m.department == commune.department and m.code not in covered[kind]
            ]
            if not others:
                continue
            others = sorted(others, key=lambda c: (-c.population, c.code))[:6]
            extra = rng.sample(others, min(len(others), rng.randint(1, 3)))
            covered[kind].update(c.code for c in extra)
            used.add(commune.interco)
            intercommunal[commune.code] = extra
        for commune in chosen[kind]:
            if commune.code in intercommunal:
                carrier, short = _interco_names(commune.interco)
                scheme = PlannedScheme(
                    kind=kind,
                    name=f"{kind} intercommunal {short}",
                    department=commune.department,
                    communes=[commune, *sorted(intercommunal[commune.code], key=lambda c: c.code)],
                    carrier_name=carrier,
                    carrier_kind=Scheme.CarrierKind.INTERCOMMUNALITY,
                    main=commune,
                )
            else:
                scheme = PlannedScheme(
                    kind=kind,
                    name=f"{kind} {commune.label}"
                    if commune.code.startswith("751")
                    else f"{kind} {of(commune.name)}",
                    department=commune.department,
                    communes=[commune],
                    carrier_name="",
                    carrier_kind=Scheme.CarrierKind.COMMUNE,
                    main=commune,
                )
                _pick_carrier(rng, scheme, forced=commune.code in all_forced)
            quarters = data.qpv.get(commune.code)
            if quarters and (kind != Scheme.Kind.CLSM or rng.random() < 0.3):
                scheme.qpv_names = "\n".join(quarters)
            schemes.append(scheme)
    return schemes


def _pick_carrier(rng, scheme, *, forced):
    names = loaders.register().carrier_names
    commune = scheme.main
    town = names.paris if commune.code.startswith("751") else names.town.format(of=of(commune.name))
    ccas = names.ccas.format(of=of(commune.name))
    roll = 1.0 if forced else rng.random()
    kind, name = Scheme.CarrierKind.COMMUNE, town
    if scheme.kind == Scheme.Kind.CLSM:
        if roll < 0.16:
            kind = Scheme.CarrierKind.HOSPITAL
            name = loaders.register().hospitals[commune.department]
        elif roll < 0.26:
            kind, name = Scheme.CarrierKind.CCAS, ccas
    elif scheme.kind == Scheme.Kind.ASV:
        if roll < 0.10:
            kind, name = Scheme.CarrierKind.CCAS, ccas
        elif roll < 0.14:
            kind = Scheme.CarrierKind.OTHER
            name = names.association.format(of=of(commune.name))
    elif roll < 0.06:
        kind, name = Scheme.CarrierKind.CCAS, ccas
    if commune.code.startswith("751") and kind == Scheme.CarrierKind.CCAS:
        kind, name = Scheme.CarrierKind.COMMUNE, town
    scheme.carrier_kind, scheme.carrier_name = kind, name


def _plan_posts(rng, schemes):
    """One post per scheme, except a few posts covering two schemes of one commune (the demo
    coordinators' posts first)."""
    by_key = {(s.kind, s.main.code): s for s in schemes}
    demo = _demo_posts()
    demo_places = {place for _, _, places in demo for place in places}
    single = {
        s.key
        for s in schemes
        if s.carrier_kind != Scheme.CarrierKind.INTERCOMMUNALITY
        and (s.kind, s.main.code) not in demo_places
    }
    posts, paired = [], set()
    for coordinator, _account, places in demo:
        if len(places) > 1:
            pair = [by_key[place] for place in places]
            paired.update(s.key for s in pair)
            posts.append(PlannedPost(schemes=pair, demo=coordinator))
    for pairing in loaders.register().pairs:
        first, second = pairing.kinds
        for _ in range(pairing.count):
            candidates = sorted(
                code
                for (kind, code), s in by_key.items()
                if kind == first
                and s.key in single - paired
                and (second, code) in by_key
                and by_key[(second, code)].key in single - paired
            )
            code = rng.choice(candidates)
            pair = [by_key[(first, code)], by_key[(second, code)]]
            paired.update(s.key for s in pair)
            posts.append(PlannedPost(schemes=pair))
    posts += [PlannedPost(schemes=[s]) for s in schemes if s.key not in paired]
    for coordinator, _account, places in demo:
        for post in posts:
            if len(places) == 1 and [(s.kind, s.main.code) for s in post.schemes] == places:
                post.demo = coordinator
    for post in posts:
        if len(post.schemes) > 1:
            post.fte = Decimal(rng.choice(["1.00", "1.00", "1.00", "0.80"]))
        else:
            post.fte = Decimal(rng.choices(["0.50", "0.60", "0.80", "1.00"], [18, 10, 22, 50])[0])
    return posts


def _day_in(rng, start, end):
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _plan_scheme_dates(rng, schemes, posts, today):
    """Signature and renewal dates and status; a few schemes of each type have ended."""
    data = loaders.register()
    years, weights = zip(*data.signature_years.items(), strict=True)
    for scheme in schemes:
        year = rng.choices(years, weights)[0]
        scheme.signed_on = min(_day_in(rng, date(year, 1, 10), date(year, 12, 15)), today)
    by_commune = {(s.kind, s.main.code): s for s in schemes}
    for coordinator, account, _places in _demo_posts():
        for scheme in coordinator.schemes:
            by_commune[(scheme.kind, account.commune)].signed_on = scheme.signed_on

    single = [p.schemes[0] for p in posts if len(p.schemes) == 1 and not p.demo]
    for kind in data.scheme_counts:
        candidates = [s for s in single if s.kind == kind]
        for scheme in rng.sample(candidates, data.ended_per_kind):
            scheme.status = Scheme.Status.ENDED
            scheme.signed_on = _day_in(rng, date(2010, 1, 10), date(2013, 12, 15))
            scheme.ends_on = _day_in(rng, date(2018, 6, 1), date(2024, 12, 31))

    renewal_floor = today - timedelta(days=240)
    for scheme in schemes:
        if scheme.status == Scheme.Status.ENDED:
            continue
        if scheme.kind == Scheme.Kind.CLS:  # 5-year contracts, renewed
            ends_on = _add_years(scheme.signed_on, 5)
            while ends_on < renewal_floor:
                ends_on = _add_years(ends_on, 5)
            scheme.ends_on = ends_on
            if ends_on < today or (ends_on < today + timedelta(days=100) and rng.random() < 0.5):
                scheme.status = Scheme.Status.RENEWING
        elif scheme.kind == Scheme.Kind.CLSM:  # a convention renewed every 3 years, or none
            if rng.random() < 0.55:
                ends_on = _add_years(scheme.signed_on, 3)
                while ends_on < today - timedelta(days=120):
                    ends_on = _add_years(ends_on, 3)
                scheme.ends_on = ends_on
                if ends_on < today:
                    scheme.status = Scheme.Status.RENEWING
        elif rng.random() < 0.8:  # ASV: the contrat de ville « Quartiers 2030 »
            scheme.ends_on = date(2030, 12, 31)
        if scheme.ends_on and scheme.ends_on < scheme.signed_on:
            scheme.ends_on = None


class _People:
    """Deterministic French names (data/people.yaml) and unique e-mails of the example domain."""

    def __init__(self, rng):
        self.rng = rng
        self.emails = set()
        self.names = loaders.people().coordinators
        data = loaders.register()
        self.domain = data.email_domain
        self.backgrounds = [b.name for b in data.backgrounds]
        self.weights = [b.weight for b in data.backgrounds]

    def new(self, *, feminine=None):
        rng = self.rng
        if feminine is None:
            feminine = rng.random() < 0.76
        first = rng.choice(self.names.female if feminine else self.names.male)
        last = rng.choice(self.names.last)
        base = f"{fold(first)}.{fold(last)}"
        email, number = f"{base}@{self.domain}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{self.domain}"
        self.emails.add(email)
        background = rng.choices(self.backgrounds, self.weights)[0]
        if background == "Infirmier·e":
            diploma = rng.choice(["bac+3", "bac+5", "bac+5"])
        elif background == "Reconversion professionnelle":
            diploma = rng.choice(["bac+2", "bac+3", "bac+5", "other"])
        else:
            diploma = rng.choices(["bac+3", "bac+5", "bac+8"], [12, 82, 6])[0]
        return PlannedPerson(email, first, last, feminine, background, diploma)


def _reason(rng):
    reasons, weights = zip(*loaders.register().end_reasons.items(), strict=True)
    return rng.choices(reasons, weights)[0]


def _gap(rng):
    """Vacancy between two coordinators: a few weeks to many months."""
    if rng.random() < 0.6:
        return timedelta(days=rng.randint(15, 110))
    return timedelta(days=rng.randint(111, 420))


def _past_length(rng):
    """Length of a finished tenure."""
    if rng.random() < 0.12:
        return timedelta(days=rng.randint(120, 540))  # left within months
    return timedelta(days=int(rng.triangular(800, 5200, 3600)))


def _chain(rng, people, post, *, end):
    """Tenures of `post` before `end` (oldest first): `end` is the day the last one ended."""
    tenures = []
    cursor = end
    opened = post.opened_on
    while True:
        start = cursor - _past_length(rng)
        if start <= opened + timedelta(days=150):
            start = opened + timedelta(days=rng.randint(0, 100))
            if start >= cursor:
                break
            tenures.append(PlannedTenure(people.new(), start, cursor, _reason(rng)))
            break
        tenures.append(PlannedTenure(people.new(), start, cursor, _reason(rng)))
        cursor = start - _gap(rng)
        if cursor <= opened + timedelta(days=60):
            break
    tenures.reverse()
    return tenures


def _current_start(rng, post, today):
    """When today's holder of a filled post arrived: many this year, some long ago."""
    opened = post.opened_on
    roll = rng.random()
    if roll < 0.40:
        start = today - timedelta(days=rng.randint(12, 355))
    elif roll < 0.66:
        start = today - timedelta(days=rng.randint(380, 4 * 365))
    elif roll < 0.74:
        start = _day_in(rng, opened, today - timedelta(days=4 * 365 + 30))
    else:  # in post since the post was created
        start = opened
    if start < opened + timedelta(days=120):
        start = min(opened + timedelta(days=rng.randint(0, 100)), today - timedelta(days=12))
    return max(start, opened)


def _plan_tenures(rng, posts, today):
    data = loaders.register()
    people = _People(rng)
    for post in posts:
        post.opened_on = min(s.signed_on for s in post.schemes)
        ended = [s for s in post.schemes if s.status == Scheme.Status.ENDED]
        if ended:
            post.closed_on = ended[0].ends_on
            post.state = "closed"

    open_posts = [p for p in posts if p.state != "closed"]
    demo = [p for p in open_posts if p.demo]
    others = [p for p in open_posts if not p.demo]
    picked = rng.sample(others, data.vacant_today + data.unknown_today)
    for post in picked[: data.vacant_today]:
        post.state = "vacant"
    for post in picked[data.vacant_today :]:
        post.state, post.status_unknown = "unknown", True

    for post in posts:
        if post.demo:
            continue
        if post.state == "closed":
            post.tenures = _chain(rng, people, post, end=post.closed_on)
            if post.tenures:
                post.tenures[-1].end_reason = Tenure.EndReason.POST_REMOVED
        elif post.state == "vacant":
            roll = rng.random()
            days = (
                rng.randint(20, 90)
                if roll < 0.4
                else rng.randint(91, 300)
                if roll < 0.85
                else rng.randint(301, 620)
            )
            post.tenures = _chain(rng, people, post, end=today - timedelta(days=days))
        elif post.state == "unknown" and rng.random() < 0.5:
            days = rng.randint(300, 900)
            post.tenures = _chain(rng, people, post, end=today - timedelta(days=days))
        else:  # filled, or unknown with a holder nobody has heard of for a while
            if post.state == "unknown":
                start = _day_in(rng, max(post.opened_on, date(2017, 1, 1)), date(2021, 12, 31))
            else:
                start = _current_start(rng, post, today)
            current = PlannedTenure(people.new(), start)
            post.tenures = [*_chain(rng, people, post, end=start - _gap(rng)), current]
    _plan_demo_posts(people, demo, today)
    _plan_moves(rng, posts, today)
    return people


def _plan_demo_posts(people, demo, today):
    """The demo coordinators' posts as data/register/register.yaml tells them."""
    for post in demo:
        coordinator = post.demo
        account = loaders.accounts().account(coordinator.account)
        holder = PlannedTenure(
            PlannedPerson(
                account.email,
                account.first_name,
                account.last_name,
                coordinator.feminine,
                coordinator.background,
                coordinator.diploma_level,
            ),
            loaders.day_on(coordinator.arrival, today),
        )
        post.tenures = [holder]
        for before in coordinator.predecessors:  # most recent first
            tenure = PlannedTenure(
                people.new(feminine=before.feminine),
                loaders.day_on(before.started, today),
                loaders.day_on(before.ended, today),
                before.end_reason,
            )
            post.tenures.insert(0, tenure)
        handover = coordinator.handover
        post.handover = loaders.handovers().named(handover.texts).sections()
        post.handover_author = holder if handover.author == "self" else post.tenures[-2]
        post.handover_written_on = loaders.day_on(handover.written, today)


def _plan_moves(rng, posts, today, count=10):
    """A few coordinators leave a post and take another one later in the same département."""
    demo_emails = {account.email for _, account, _ in _demo_posts()}
    held = {}  # e-mail -> [(start, end)]
    for post in posts:
        for tenure in post.tenures:
            held.setdefault(tenure.person.email, []).append(
                (tenure.started_on, tenure.ended_on or date.max)
            )
    finished = [
        (t, p)
        for p in posts
        for t in p.tenures
        if t.ended_on
        and t.end_reason == Tenure.EndReason.LEFT
        and t.person.email not in demo_emails
    ]
    arrivals = [  # replaced people whose only post this is; today's newcomers stay newcomers
        (t, p)
        for p in posts
        for i, t in enumerate(p.tenures)
        if i > 0
        and len(held[t.person.email]) == 1
        and t.person.email not in demo_emails
        and t.started_on < today - timedelta(days=400)
    ]
    rng.shuffle(finished)
    taken, moved = set(), 0
    for left, old_post in finished:
        if moved == count:
            break
        for arrival, new_post in arrivals:
            gap = arrival.started_on - left.ended_on
            end = arrival.ended_on or date.max
            if (
                id(arrival) in taken
                or new_post is old_post
                or new_post.schemes[0].department != old_post.schemes[0].department
                or not timedelta(days=20) <= gap <= timedelta(days=240)
                or any(s < end and arrival.started_on < e for s, e in held[left.person.email])
            ):
                continue
            held.pop(arrival.person.email, None)
            arrival.person = left.person
            held[left.person.email].append((arrival.started_on, end))
            taken.add(id(arrival))
            moved += 1
            break


def _handover_texts(post):
    scheme = post.schemes[0]
    return loaders.handovers().others.sections(
        mental_health=scheme.kind == Scheme.Kind.CLSM,
        carrier_name=scheme.carrier_name,
        kinds=" et ".join(s.kind for s in post.schemes),
    )


def plan_register(communes, today):
    """The whole register, in memory: schemes, posts and their tenures."""
    rng = random.Random(SEED)
    schemes = _plan_schemes(rng, communes)
    posts = _plan_posts(rng, schemes)
    _plan_scheme_dates(rng, schemes, posts, today)
    _plan_tenures(rng, posts, today)
    _plan_more_handovers(rng, posts, today)
    return schemes, posts


def _plan_more_handovers(rng, posts, today, count=6):
    """A few more filled handover files, written by the holder or by the person who left."""
    candidates = [p for p in posts if p.handover is None and p.state != "closed" and p.tenures]
    for post in rng.sample(candidates, count):
        author = post.tenures[-1]
        if len(post.tenures) > 1 and rng.random() < 0.5:
            author = post.tenures[-2]
        post.handover_author = author
        post.handover = _handover_texts(post)
        written_on = (author.ended_on or today) - timedelta(days=rng.randint(3, 150))
        post.handover_written_on = max(written_on, author.started_on)


# --- Writing it ------------------------------------------------------------------------------


def _communes():
    infos = []
    queryset = Commune.objects.select_related("department", "ept", "epci").order_by("code_insee")
    for commune in queryset:
        if commune.code_insee == "75056" or not commune.population:
            continue
        interco = commune.ept or commune.epci
        if interco is not None and interco.kind == "METRO":
            interco = None
        infos.append(
            CommuneInfo(
                code=commune.code_insee,
                name=commune.name,
                department=commune.department.code,
                population=commune.population,
                interco=(interco.siren, interco.name, interco.kind) if interco else None,
            )
        )
    known = {info.code: info.name for info in infos}
    for code, name in loaders.qpv_communes().items():
        if known.get(code) != name:
            raise loaders.DataError(
                f"demo/data/register/qpv.csv : la commune {code} s'appelle "
                f"« {known.get(code)} », pas « {name} »."
            )
    return infos


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _job_title(person, post):
    titles = loaders.register().job_titles
    kinds = [s.kind for s in post.schemes]
    noun = titles.feminine if person.feminine else titles.masculine
    if len(kinds) > 1:
        return f"{noun} {' et '.join(sorted(kinds))}"
    return f"{noun} {titles.schemes[kinds[0]]}"


def _write_schemes(schemes, communes):
    """{(kind, name): Scheme}: the missing schemes are created through `scheme_save`."""
    existing = {(s.kind, s.name): s for s in Scheme.objects.all()}
    for planned in schemes:
        if planned.key in existing:
            continue
        existing[planned.key] = register_services.scheme_save(
            scheme=Scheme(
                kind=planned.kind,
                name=planned.name,
                carrier_name=planned.carrier_name,
                carrier_kind=planned.carrier_kind,
                status=planned.status,
                signed_on=planned.signed_on,
                ends_on=planned.ends_on,
                qpv_names=planned.qpv_names,
            ),
            communes=[communes[c.code] for c in planned.communes],
        )
    return existing


def _write_posts(posts, schemes):
    """{set of scheme keys: Post}: the missing posts are created through `post_save` (which
    gives each one its handover file)."""
    key_of = {scheme.pk: key for key, scheme in schemes.items()}
    existing = {}
    for post in Post.objects.prefetch_related("schemes"):
        existing.setdefault(frozenset(key_of[s.pk] for s in post.schemes.all()), post)
    for planned in posts:
        if planned.key in existing:
            continue
        existing[planned.key] = register_services.post_save(
            post=Post(
                fte=planned.fte,
                opened_on=planned.opened_on,
                closed_on=planned.closed_on,
                status_unknown=planned.status_unknown,
            ),
            schemes=[schemes[s.key] for s in planned.schemes],
        )
    return existing


def _write_people(to_write, today):
    """The accounts of the people who held the posts being written, with approved profiles;
    returns {e-mail: User}. The demo accounts keep theirs (seed.py)."""
    planned_people, last_post = {}, {}  # e-mail -> person, (start, post) of their last tenure
    first_start = {}
    for post in to_write:
        for tenure in post.tenures:
            email = tenure.person.email
            planned_people.setdefault(email, tenure.person)
            latest = last_post.get(email)
            if latest is None or latest[0] <= tenure.started_on:
                last_post[email] = (tenure.started_on, post)
            first_start[email] = min(first_start.get(email, tenure.started_on), tenure.started_on)
    users = {u.email: u for u in User.objects.filter(email__in=list(planned_people))}
    # Accounts of people recorded on a post, without a password (as `accounts.services.
    # user_create` makes them), joined when they first took a post: written in one go.
    password_rng = random.Random(SEED + 1)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    new_users = []
    for email, person in planned_people.items():
        if email in users:
            continue
        secret = "".join(password_rng.choice(alphabet) for _ in range(40))
        new_users.append(
            User(
                email=email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=UNUSABLE_PASSWORD_PREFIX + secret,
                date_joined=_aware(first_start[email]),
            )
        )
    User.objects.bulk_create(new_users)
    users = {u.email: u for u in User.objects.filter(email__in=list(planned_people))}
    _write_profiles(planned_people, users, last_post, first_start, today)
    return users


def _write_profiles(planned_people, users, last_post, first_start, today):
    """Approved profiles, as `post_arrival` makes them, with what people wrote on them."""
    data = loaders.register()
    texts = loaders.people().profiles
    # The lists coordinators choose from, added as staff add them (`list_item_add`).
    backgrounds = {b.name: b for b in Background.objects.all()}
    for position, item in enumerate(data.backgrounds):
        if item.name not in backgrounds:
            backgrounds[item.name] = register_services.list_item_add(
                kind="parcours", name=item.name, position=position
            )
    topics = {t.name: t for t in Topic.objects.all()}
    for name in data.topics:
        if name not in topics:
            topics[name] = register_services.list_item_add(kind="thematiques", name=name)
    communes = {c.code_insee: c for c in Commune.objects.all()}
    profiles = {
        p.user_id: p for p in CoordinatorProfile.objects.filter(user__in=list(users.values()))
    }
    topic_rng = random.Random(SEED + 2)
    new_profiles, profile_topics = [], []
    for email, person in planned_people.items():
        user = users[email]
        _started, post = last_post[email]
        if user.pk in profiles:
            profile = profiles[user.pk]
            if profile.background_id is None and person.background:
                profile.background = backgrounds[person.background]
                profile.diploma_level = person.diploma_level
                profile.save(update_fields=["background", "diploma_level"])
            continue
        is_current = any(t.person.email == email and t.ended_on is None for t in post.tenures)
        profile = CoordinatorProfile(
            user=user,
            commune=communes[post.main.code],
            employer=post.schemes[0].carrier_name,
            job_title=_job_title(person, post),
            background=backgrounds[person.background],
            diploma_level=person.diploma_level,
            status=CoordinatorProfile.Status.APPROVED,
            reviewed_at=_aware(first_start[email], 10),
        )
        kinds = {s.kind for s in post.schemes}
        chosen = topic_rng.sample(data.topics[1:], topic_rng.randint(1, 3))
        if Scheme.Kind.CLSM in kinds:
            chosen = [data.topics[0], *chosen]
        if is_current:
            if (today - first_start[email]).days > 365:
                profile.can_help_with = topic_rng.choice(texts.help_with)
            profile.looking_for = topic_rng.choice(texts.looking_for)
            profile.needs_environment = topic_rng.choice(texts.needs_environment)
            profile.needs_skills = topic_rng.choice(texts.needs_skills)
            profile.needs_peers = topic_rng.choice(texts.needs_peers)
            if topic_rng.random() < 0.6:
                profile.directory_fields = sorted(
                    topic_rng.sample(DIRECTORY_CHOICES, topic_rng.randint(2, 5))
                )
        new_profiles.append(profile)
        profile_topics.append((user.pk, chosen))
    CoordinatorProfile.objects.bulk_create(new_profiles)
    profile_ids = dict(
        CoordinatorProfile.objects.filter(user__in=list(users.values())).values_list(
            "user_id", "pk"
        )
    )
    CoordinatorProfile.topics.through.objects.bulk_create(
        [
            CoordinatorProfile.topics.through(
                coordinatorprofile_id=profile_ids[user_id], topic_id=topics[name].pk
            )
            for user_id, names in profile_topics
            for name in names
        ]
    )


def _write_histories(to_write, posts, users):
    """The tenures of the posts being written: the past as history, then the demo
    coordinators' arrivals through `post_arrival` (no e-mail: their predecessors had left, and
    an arrival recorded months later starts no welcome sequence)."""
    prefetch_related_objects(list(posts.values()), "schemes")
    past, arrivals = [], []
    for planned in to_write:
        post = posts[planned.key]
        for tenure in planned.tenures:
            if planned.demo and tenure is planned.tenures[-1]:
                arrivals.append((post, users[tenure.person.email], tenure.started_on))
                continue
            past.append(
                Tenure(
                    post=post,
                    person=users[tenure.person.email],
                    started_on=tenure.started_on,
                    ended_on=tenure.ended_on,
                    end_reason=tenure.end_reason,
                )
            )
    history.tenures_record(past)
    for post, person, started_on in arrivals:
        register_services.post_arrival(post=post, person=person, started_on=started_on)


def _write_handovers(plans, posts, users, written):
    """Files written by a holder or a leaver (through `handover_update`, then dated), and the
    request to complete the file of a post left vacant (asked at the departure)."""
    files = {h.post_id: h for h in HandoverFile.objects.filter(post__in=list(posts.values()))}
    asked, dated = [], []
    for planned in plans:
        if id(planned) not in written:
            continue
        handover = files[posts[planned.key].pk]
        last = planned.tenures[-1] if planned.tenures else None
        if planned.handover:
            author = users[planned.handover_author.person.email]
            register_services.handover_update(
                handover=handover, author=author, data=planned.handover
            )
            dated.append((handover, _aware(planned.handover_written_on, 17)))
        elif last is not None and last.ended_on is not None and planned.state != "closed":
            asked.append((handover, last.ended_on))
    history.backdate(HandoverFile, "updated_at", dated)
    history.handover_requests_record(asked)


@transaction.atomic
def seed_register(*, today=None):
    """Idempotent: running it twice changes nothing. Returns the counts of the register."""
    today = today or timezone.localdate()
    communes = {c.code_insee: c for c in Commune.objects.all()}
    planned_schemes, planned_posts = plan_register(_communes(), today)
    schemes = _write_schemes(planned_schemes, communes)
    posts = _write_posts(planned_posts, schemes)
    # Histories, only for posts that have none yet.
    with_history = set(Tenure.objects.values_list("post_id", flat=True))
    to_write = [p for p in planned_posts if posts[p.key].pk not in with_history]
    users = _write_people(to_write, today)
    _write_histories(to_write, posts, users)
    _write_handovers(planned_posts, posts, users, {id(p) for p in to_write})
    return register_counts(today)


def register_counts(today):
    """What the register holds on `today`, in the words of the other seed functions."""
    figures = turnover_figures(date(today.year, 1, 1), today)
    return {
        "dispositifs": Scheme.objects.count(),
        "postes": figures["posts"],
        "postes pourvus": figures["filled"],
        "postes vacants": figures["vacant"],
        "postes au statut inconnu": figures["unknown"],
        "prises de poste": Tenure.objects.count(),
        "coordinateur·rices (actuel·les et ancien·nes)": CoordinatorProfile.objects.filter(
            user__tenures__isnull=False
        )
        .distinct()
        .count(),
        "dossiers de passation remplis": HandoverFile.objects.exclude(updated_at=None).count(),
    }
