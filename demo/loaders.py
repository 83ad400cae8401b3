"""The demo's data files (`demo/data/`), read into typed, frozen dataclasses.

The texts, names and figures of the demo are kept in YAML (and CSV for tables) so that they read
as what they are, not as code; the seed modules keep the logic (who is drawn, when, in what
order). One cached loader per file. A file that does not fit its dataclass (an unknown or missing
key, a wrong type, a value outside a model's choices, a reference to an unknown key) stops the
seeding with the file, the place in the file and what was expected.
"""

import csv
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from datetime import date, timedelta
from enum import Enum
from functools import cache
from pathlib import Path

import yaml

from accounts.models import Organisation
from agenda.models import Event
from coordinators.models import CoordinatorProfile, HandoverFile, Scheme, Tenure
from learning.models import Audience, Offer, PathwayStep
from resources.models import Resource

DATA = Path(__file__).resolve().parent / "data"


class DataError(Exception):
    """A data file that does not say what the demo needs."""


# Every record of a data file: immutable, built from keywords (a file's keys).
record = dataclass(frozen=True, kw_only=True)


# --- Reading a file into records -----------------------------------------------------------------


def _convert(value, hint, where):
    """`value`, as YAML or CSV gave it, as the type `hint`; a DataError says where it is not."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        errors = []
        for option in options:
            try:
                return _convert(value, option, where)
            except DataError as error:
                errors.append(str(error))
        raise DataError(" Ou bien : ".join(errors))
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise DataError(f"{where} : une liste est attendue, pas {value!r}.")
        item = typing.get_args(hint)[0]
        return origin(_convert(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise DataError(f"{where} : une table (clé: valeur) est attendue, pas {value!r}.")
        key_type, item = typing.get_args(hint)
        return {
            _convert(k, key_type, f"{where}.{k}"): _convert(v, item, f"{where}.{k}")
            for k, v in value.items()
        }
    if is_dataclass(hint):
        return build(hint, value, where)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in hint)
            raise DataError(f"{where} : {value!r} n'est pas l'une des valeurs {allowed}.") from None
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise DataError(f"{where} : un nombre entier est attendu, pas {value!r}.")
    if hint is date and not isinstance(value, date):
        raise DataError(f"{where} : une date AAAA-MM-JJ est attendue, pas {value!r}.")
    if hint is str and not isinstance(value, str):
        raise DataError(f"{where} : un texte est attendu, pas {value!r}.")
    if hint is bool and not isinstance(value, bool):
        raise DataError(f"{where} : true ou false est attendu, pas {value!r}.")
    return value


def build(cls, raw, where):
    """A `cls` record from the mapping `raw`: every key known, every required key there."""
    if not isinstance(raw, dict):
        raise DataError(f"{where} : une table (clé: valeur) est attendue, pas {raw!r}.")
    hints = typing.get_type_hints(cls)
    known = [f.name for f in fields(cls) if f.init]
    unknown = [str(key) for key in raw if key not in known]
    if unknown:
        raise DataError(
            f"{where} : clé inconnue « {', '.join(unknown)} » (clés possibles : "
            f"{', '.join(known)})."
        )
    values = {}
    for f in fields(cls):
        if f.name in raw:
            values[f.name] = _convert(raw[f.name], hints[f.name], f"{where}.{f.name}")
        elif f.init and f.default is MISSING and f.default_factory is MISSING:
            raise DataError(f"{where} : la clé « {f.name} » manque.")
    return cls(**values)


def read_yaml(name: str, cls):
    """The YAML file `demo/data/<name>` as a `cls` record."""
    with open(DATA / name, encoding="utf-8") as handle:
        return build(cls, yaml.safe_load(handle), f"demo/data/{name}")


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _by_key(items, where, key="key"):
    """{key: item}, refusing a key that appears twice."""
    found = {}
    for item in items:
        value = getattr(item, key)
        if value in found:
            raise DataError(f"{where} : « {value} » figure deux fois.")
        found[value] = item
    return found


def _check_known(value, known, where):
    if value not in known:
        raise DataError(f"{where} : « {value} » est inconnu (connus : {', '.join(known)}).")


# A day of the demo's calendar: a date, or a number of days before today.
Day = date | int


def day_on(day: Day, today: date) -> date:
    return today - timedelta(days=day) if isinstance(day, int) else day


# --- accounts.yaml: the partner organisations and the demo accounts of the README ----------------


@record
class OrganisationData:
    name: str
    short_name: str
    kind: Organisation.Kind
    departments: tuple[str, ...]


@record
class AccountData:
    key: str  # how the seed modules name it (newcomer, experienced, staff…)
    email: str
    first_name: str
    last_name: str
    organisation: str | None = None  # short name of one of the organisations
    superuser: bool = False
    commune: str | None = None  # a coordinator's commune (INSEE code)
    employer: str = ""
    job_title: str = ""
    can_help_with: str = ""
    looking_for: str = ""
    # The same, structured (`network.PeerProfile`): names of competencies or topics.
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    # What the directory shows of the coordinator (keys of CoordinatorProfile.DIRECTORY_FIELDS).
    directory_fields: tuple[str, ...] = ()


@record
class AccountsData:
    password: str
    organisations: tuple[OrganisationData, ...]
    accounts: tuple[AccountData, ...]

    def account(self, key) -> AccountData:
        return _by_key(self.accounts, "accounts.yaml")[key]


@cache
def accounts() -> AccountsData:
    data = read_yaml("accounts.yaml", AccountsData)
    organisations = _by_key(data.organisations, "accounts.yaml: organisations", "short_name")
    _by_key(data.accounts, "accounts.yaml: accounts", "email")
    shown = dict(CoordinatorProfile.DIRECTORY_FIELDS)
    for account in _by_key(data.accounts, "accounts.yaml: accounts").values():
        if account.organisation:
            _check_known(account.organisation, organisations, f"accounts.yaml: {account.key}")
        for name in account.directory_fields:
            _check_known(name, shown, f"accounts.yaml: {account.key}.directory_fields")
    return data


# --- register/: the figures of the register, the demo coordinators' posts, handover files --------


@record
class Weighted:
    name: str
    weight: int


@record
class PairData:
    """`count` posts each covering one scheme of each of `kinds` in one commune."""

    kinds: tuple[Scheme.Kind, ...]
    count: int


@record
class DemoScheme:
    kind: Scheme.Kind
    signed_on: date


@record
class Predecessor:
    started: Day
    ended: Day
    end_reason: Tenure.EndReason
    feminine: bool | None = None  # None: drawn as for anyone else


@record
class HandoverRef:
    texts: str  # saint_denis or sarcelles (handovers.yaml)
    author: str  # "self", or "predecessor" (the most recent one)
    written: Day


@record
class DemoCoordinator:
    """A demo coordinator of the README and the post they hold in their account's commune."""

    account: str  # key of accounts.yaml
    feminine: bool
    background: str
    diploma_level: CoordinatorProfile.DiplomaLevel
    schemes: tuple[DemoScheme, ...]
    arrival: Day
    predecessors: tuple[Predecessor, ...]  # most recent first
    handover: HandoverRef


@record
class CarrierNames:
    """Names of the structures that carry a scheme; {of} is "de Saint-Denis", "d'Aulnay…"."""

    town: str
    paris: str
    ccas: str
    association: str


@record
class JobTitles:
    feminine: str
    masculine: str
    schemes: dict[Scheme.Kind, str]  # what follows the noun for a post of one scheme


@record
class RegisterData:
    email_domain: str
    intercommunal: dict[Scheme.Kind, int]
    ended_per_kind: int
    pairs: tuple[PairData, ...]
    vacant_today: int
    unknown_today: int
    signature_years: dict[int, int]
    hospitals: dict[str, str]
    carrier_names: CarrierNames
    intercommunality_prefixes: dict[str, str]
    job_titles: JobTitles
    backgrounds: tuple[Weighted, ...]
    topics: tuple[str, ...]
    end_reasons: dict[Tenure.EndReason, int]
    demo_coordinators: tuple[DemoCoordinator, ...]
    # From dispositifs.csv: {kind: {département: number of schemes}}, kinds in generation order.
    scheme_counts: dict = field(default_factory=dict)
    # From qpv.csv: {commune code: [priority neighbourhoods]}.
    qpv: dict = field(default_factory=dict)

    @property
    def departments(self) -> list[str]:
        return list(next(iter(self.scheme_counts.values())))


@record
class HandoverTexts:
    partners: str = ""
    steering: str = ""
    diagnosis: str = ""
    action_plan: str = ""
    documents: str = ""
    ongoing_actions: str = ""
    tips: str = ""

    def sections(self, **values) -> dict[str, str]:
        """{section: text} of the sections written, {placeholders} replaced by `values`."""
        texts = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: text.format(**values) for name, text in texts.items() if text}


@record
class OtherHandovers:
    """The files a few other coordinators wrote: `common` sections, then those of a mental
    health council (CLSM) or of other schemes. {carrier_name} and {kinds} are replaced."""

    common: HandoverTexts
    mental_health: HandoverTexts
    other: HandoverTexts

    def sections(self, *, mental_health: bool, **values) -> dict[str, str]:
        variant = self.mental_health if mental_health else self.other
        return {**self.common.sections(**values), **variant.sections(**values)}


@record
class HandoversData:
    saint_denis: HandoverTexts
    sarcelles: HandoverTexts
    others: OtherHandovers

    def named(self, name) -> HandoverTexts:
        _check_known(name, ["saint_denis", "sarcelles"], "register/handovers.yaml")
        return getattr(self, name)


@cache
def handovers() -> HandoversData:
    sections = [f.name for f in fields(HandoverTexts)]
    if sections != [name for name, _label in HandoverFile.SECTIONS]:  # the file's sections
        raise DataError(f"register/handovers.yaml : les rubriques sont {HandoverFile.SECTIONS}.")
    return read_yaml("register/handovers.yaml", HandoversData)


@cache
def register() -> RegisterData:
    data = read_yaml("register/register.yaml", RegisterData)
    counts = {}
    for number, row in enumerate(read_csv("register/dispositifs.csv"), start=2):
        where = f"demo/data/register/dispositifs.csv, ligne {number}"
        kind = _convert(row.pop("type"), Scheme.Kind, where)
        try:
            counts[kind] = {code: int(n) for code, n in row.items()}
        except ValueError:
            raise DataError(f"{where} : des nombres de dispositifs sont attendus.") from None
    qpv = {}
    for row in read_csv("register/qpv.csv"):
        qpv.setdefault(row["code_insee"], []).append(row["quartier"])
    data = replace(data, scheme_counts=counts, qpv=qpv)
    backgrounds = [b.name for b in data.backgrounds]
    demo_accounts = _by_key(accounts().accounts, "accounts.yaml")
    for coordinator in data.demo_coordinators:
        where = f"register/register.yaml: demo_coordinators, {coordinator.account}"
        _check_known(coordinator.account, demo_accounts, where)
        if not demo_accounts[coordinator.account].commune:
            raise DataError(f"{where} : ce compte n'a pas de commune (accounts.yaml).")
        _check_known(coordinator.background, backgrounds, where)
        _check_known(coordinator.handover.author, ["self", "predecessor"], where)
        handovers().named(coordinator.handover.texts)
    return data


def qpv_communes() -> dict[str, str]:
    """{INSEE code: commune name} as qpv.csv names them (checked against the territories)."""
    return {row["code_insee"]: row["commune"] for row in read_csv("register/qpv.csv")}


# --- people.yaml: names, what coordinators write on their profile, guests' functions -------------


@record
class Names:
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]


@record
class Function:
    function: str
    feminine: bool


@record
class Guests(Names):
    email_domain: str
    hierarchy: tuple[Function, ...]
    elected: tuple[Function, ...]


@record
class ProfileTexts:
    help_with: tuple[str, ...]
    looking_for: tuple[str, ...]
    needs_environment: tuple[str, ...]
    needs_skills: tuple[str, ...]
    needs_peers: tuple[str, ...]


@record
class PeopleData:
    coordinators: Names
    profiles: ProfileTexts
    guests: Guests


@cache
def people() -> PeopleData:
    return read_yaml("people.yaml", PeopleData)


# --- agenda/: the year of events -----------------------------------------------------------------


def markdown(introduction, heading, items, footer=""):
    """An event's description: its introduction, a bold heading over a list, a closing line."""
    lines = [introduction, "", f"**{heading}**", "", *[f"- {item}" for item in items]]
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


@record
class EventFamily:
    """What the events of a series share."""

    organiser: str  # short name of accounts.yaml
    offer: str  # key of learning/offers.yaml: the catalogue offer they are sessions of
    audiences: tuple[Event.Audience, ...]
    capacity: int
    location: str = ""
    departments: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    heading: str = ""
    programme: tuple[str, ...] = ()


@record
class OneOffEvent(EventFamily):
    title: str
    day: int  # days from today (negative: past); moved to the nearest free working day
    introduction: str

    def description(self) -> str:
        return markdown(self.introduction, self.heading, self.programme)


@record
class Session:
    title: str
    day: int
    introduction: str
    topics: tuple[str, ...] = ()


@record
class EventSeries(EventFamily):
    sessions: tuple[Session, ...]

    def description(self, session: Session) -> str:
        return markdown(session.introduction, self.heading, self.programme)


@record
class Webinar:
    title: str
    day: int
    offer: str  # the cycle of webinars it belongs to
    topics: tuple[str, ...]
    introduction: str
    programme: tuple[str, ...]


@record
class WebinarsData:
    organiser: str
    audiences: tuple[Event.Audience, ...]
    capacity: int
    video_url: str  # {number}: the webinar's number
    heading: str
    footer: str
    sessions: tuple[Webinar, ...]

    def description(self, webinar: Webinar) -> str:
        return markdown(webinar.introduction, self.heading, webinar.programme, self.footer)


@record
class RegionalDaysData:
    regional_day: OneOffEvent
    welcome_day: OneOffEvent


@record
class VisitKind:
    article: str  # "du CLS", "de l'ASV"
    theme: str
    introduction: str
    preparation: tuple[str, ...]


@record
class SiteVisitsData(EventFamily):
    days: tuple[int, ...]
    title: str  # {article} {of_commune} : {theme}
    hosted_by: str  # {host}, {scheme}
    by_kind: dict[Scheme.Kind, VisitKind]
    places: tuple[str, ...]
    streets: tuple[str, ...]


@record
class Meeting:
    day: int
    topic: str


@record
class BoussoleData:
    name: str
    description: str
    offer: str
    organiser: str
    audiences: tuple[Event.Audience, ...]
    meeting_title: str  # {number}, {topic}
    meeting_description: str  # {number}, {count}
    room: str
    video_url: str  # {number}
    meetings: tuple[Meeting, ...]


@record
class DepartmentalData:
    matinales: EventSeries
    workshops_95: EventSeries
    renewal_93: OneOffEvent


@record
class FeedbackData:
    comments: tuple[str, ...]


@record
class AgendaData:
    webinars: WebinarsData
    days: RegionalDaysData
    site_visits: SiteVisitsData
    boussole: BoussoleData
    departmental: DepartmentalData
    feedback: FeedbackData


@cache
def agenda() -> AgendaData:
    data = AgendaData(
        webinars=read_yaml("agenda/webinars.yaml", WebinarsData),
        days=read_yaml("agenda/regional_days.yaml", RegionalDaysData),
        site_visits=read_yaml("agenda/site_visits.yaml", SiteVisitsData),
        boussole=read_yaml("agenda/boussole.yaml", BoussoleData),
        departmental=read_yaml("agenda/departmental.yaml", DepartmentalData),
        feedback=read_yaml("agenda/feedback.yaml", FeedbackData),
    )
    families = [
        ("webinars.yaml", data.webinars),
        ("regional_days.yaml", data.days.regional_day),
        ("regional_days.yaml", data.days.welcome_day),
        ("site_visits.yaml", data.site_visits),
        ("boussole.yaml", data.boussole),
        ("departmental.yaml", data.departmental.matinales),
        ("departmental.yaml", data.departmental.workshops_95),
        ("departmental.yaml", data.departmental.renewal_93),
    ]
    organisations = [o.short_name for o in accounts().organisations]
    offers = [o.key for o in learning().offers]
    for where, family in families:
        _check_known(family.organiser, organisations, f"agenda/{where}")
        if hasattr(family, "offer"):
            _check_known(family.offer, offers, f"agenda/{where}")
    for webinar in data.webinars.sessions:
        _check_known(webinar.offer, offers, f"agenda/webinars.yaml: {webinar.title}")
    return data


# --- learning/: competencies, offers, resources, pathways ----------------------------------------


@record
class CompetencyData:
    key: str
    name: str
    description: str
    levels: tuple[str, ...]  # the four levels, in plain words


@record
class DomainData:
    domain: str
    competencies: tuple[CompetencyData, ...]


@record
class OfferData:
    key: str
    title: str
    kind: Offer.Kind
    providers: tuple[str, ...]  # short names of accounts.yaml
    competencies: tuple[str, ...]  # keys of competencies.yaml
    description: str
    audiences: tuple[Audience, ...] = (Audience.ALL,)
    departments: tuple[str, ...] = ()
    permanence: Offer.Permanence = Offer.Permanence.PERMANENT


@record
class ResourceData:
    key: str
    title: str
    kind: Resource.Kind
    competencies: tuple[str, ...]
    offer: str
    summary: str
    url: str = ""


@record
class StepData:
    kind: PathwayStep.Kind
    title: str
    instructions: str = ""
    offer: str | None = None
    resource: str | None = None
    required: bool = True
    reflections: tuple[str, ...] = ()  # what coordinators wrote when they declared it done


@record
class PathwayData:
    key: str
    title: str
    audiences: tuple[Audience, ...]
    ordered: bool
    description: str
    steps: tuple[StepData, ...]


@record
class PriorLearningData:
    accepted: tuple[str, ...]  # justifications staff accepted
    review_comment: str
    pending: str  # the justification of the request still waiting for staff


@record
class _Competencies:
    domains: tuple[DomainData, ...]


@record
class _Offers:
    offers: tuple[OfferData, ...]


@record
class _Resources:
    resources: tuple[ResourceData, ...]


@record
class _Pathways:
    pathways: tuple[PathwayData, ...]
    prior_learning: PriorLearningData
    # The experienced demo coordinator's levels: {competency key: (first, six months later)}.
    experienced_levels: dict[str, tuple[int, ...]]


@record
class LearningData:
    domains: tuple[DomainData, ...]
    offers: tuple[OfferData, ...]
    resources: tuple[ResourceData, ...]
    pathways: tuple[PathwayData, ...]
    prior_learning: PriorLearningData
    experienced_levels: dict[str, tuple[int, ...]]

    @property
    def competencies(self) -> list[CompetencyData]:
        return [c for domain in self.domains for c in domain.competencies]

    def competency(self, key) -> CompetencyData:
        return _by_key(self.competencies, "learning/competencies.yaml")[key]

    def offer(self, key) -> OfferData:
        return _by_key(self.offers, "learning/offers.yaml")[key]

    def resource(self, key) -> ResourceData:
        return _by_key(self.resources, "learning/resources.yaml")[key]

    def pathway(self, key) -> PathwayData:
        return _by_key(self.pathways, "learning/pathways.yaml")[key]


@cache
def learning() -> LearningData:
    pathways = read_yaml("learning/pathways.yaml", _Pathways)
    data = LearningData(
        domains=read_yaml("learning/competencies.yaml", _Competencies).domains,
        offers=read_yaml("learning/offers.yaml", _Offers).offers,
        resources=read_yaml("learning/resources.yaml", _Resources).resources,
        pathways=pathways.pathways,
        prior_learning=pathways.prior_learning,
        experienced_levels=pathways.experienced_levels,
    )
    check_learning(data)
    return data


def check_learning(data: LearningData):
    """Every key the learning files refer to exists; a competency has four levels."""
    competencies = _by_key(data.competencies, "learning/competencies.yaml")
    for competency in data.competencies:
        if len(competency.levels) != 4:
            raise DataError(f"learning/competencies.yaml: {competency.key} a quatre niveaux.")
    organisations = [o.short_name for o in accounts().organisations]
    offers = _by_key(data.offers, "learning/offers.yaml")
    for offer in data.offers:
        for name in offer.providers:
            _check_known(name, organisations, f"learning/offers.yaml: {offer.key}")
        for key in offer.competencies:
            _check_known(key, competencies, f"learning/offers.yaml: {offer.key}")
    resources = _by_key(data.resources, "learning/resources.yaml")
    for resource in data.resources:
        _check_known(resource.offer, offers, f"learning/resources.yaml: {resource.key}")
        for key in resource.competencies:
            _check_known(key, competencies, f"learning/resources.yaml: {resource.key}")
    for pathway in _by_key(data.pathways, "learning/pathways.yaml").values():
        for step in pathway.steps:
            where = f"learning/pathways.yaml: {pathway.key}, « {step.title} »"
            if step.offer:
                _check_known(step.offer, offers, where)
            if step.resource:
                _check_known(step.resource, resources, where)
    for key, levels in data.experienced_levels.items():
        _check_known(key, competencies, "learning/pathways.yaml: experienced_levels")
        if len(levels) != 2:
            raise DataError(f"learning/pathways.yaml: experienced_levels.{key} : deux niveaux.")


# --- notifications.yaml: the welcome sequence, the webinar an hour away --------------------------


@record
class WelcomeStep:
    delay_days: int
    condition: str  # "" (always) or a condition the domains register
    subject: str
    body: str


@record
class WelcomeSequence:
    name: str
    trigger: str
    newcomers_only: bool
    steps: tuple[WelcomeStep, ...]


@record
class TourWebinar:
    title: str
    description: str
    video_url: str
    organiser: str
    starts_in_minutes: int
    duration_minutes: int


@record
class NotificationsData:
    welcome_sequence: WelcomeSequence
    tour_webinar: TourWebinar


@cache
def notifications() -> NotificationsData:
    return read_yaml("notifications.yaml", NotificationsData)


def named(model, names, where):
    """The rows of `model` called `names`, in their order; an unknown name is a DataError that
    says `where`."""
    found = {item.name: item for item in model.objects.filter(name__in=names)}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise DataError(f"{where} : inconnu·es : {', '.join(unknown)}.")
    return [found[name] for name in names]
