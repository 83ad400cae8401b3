"""Attendance from the participants file of a webinar tool (Zoom, Teams, Webex, Livestorm…).

Staff upload the CSV the tool exports, choose which column holds what (`guess_mapping` proposes
a choice from the header), and a minimum duration to count as present. `attendance_check` is
the dry run: it reads the file, adds up each person's reconnections, matches people to the
event's registrations by e-mail (a guest recorded without one, by name) and says what an apply
would change; it writes nothing. `attendance_apply` reads the file again before any transaction
opens, then checks it under a lock on the event and saves everything or nothing, including the
people present who are neither members nor registered that staff chose to record as guests.
An event that has not started is refused before the file is read (`import_closed_reason`).
Names are the file's: first and last name when it has a column for each.

The file is read by `core.tabular`, as the register import reads its own: UTF-8, UTF-8 with
BOM, UTF-16 (Teams) and Windows-1252, files damaged by a double conversion refused, bounds on
size, rows, columns and cells (`LIMITS`) checked as it is read, errors as one French sentence
per cell with the row number a spreadsheet shows.
"""

import hashlib
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone

from core import tabular
from core.tabular import CellError, FileRejected

from . import hooks, services
from .models import Event, Feedback, Registration
from .services import EventError, check_in_open, registration_check_in

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
UNREADABLE = (
    "Le fichier n'a pas pu être lu : exportez à nouveau la liste des participants au format CSV "
    "depuis l'outil de visioconférence."
)
MAX_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 30  # Teams puts a summary section above the participants
MAX_ROWS = 10_000
# What an upload may cost (docs/performance.md). A regional webinar has a few hundred people,
# a row per connection; the tools export 5 to 40 columns: 30 on average at most.
LIMITS = tabular.Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_columns=100,
    max_cells=(HEADER_SEARCH_ROWS + MAX_ROWS) * 30,
    header_rows=HEADER_SEARCH_ROWS,
)
MAX_HEADER_LENGTH = 100  # a column name longer than this is cut: it is shown in five lists
DEFAULT_MIN_MINUTES = 30
MAX_ROW_SECONDS = 24 * 3600
# A connection that does not come near the event is a wrong file or a wrong event.
EVENT_MARGIN = timedelta(hours=6)


# --- Columns ------------------------------------------------------------------------------

FIELDS = {
    "email": "E-mail",
    "first_name": "Prénom",
    "name": "Nom",
    "joined": "Heure d'arrivée",
    "left": "Heure de départ",
    "duration": "Durée",
}


def _key(header) -> str:
    """A header reduced to lower-case words: "Durée (minutes)" -> "duree minutes"."""
    return tabular.header_key(header)


# Header spellings of French and English exports (Zoom, Teams, Webex, Livestorm, Google Meet),
# compared once reduced by `_key`.
HEADER_NAMES = {
    "email": {
        "e mail",
        "email",
        "mail",
        "courriel",
        "adresse e mail",
        "adresse email",
        "adresse mail",
        "adresse electronique",
        "adresse de messagerie",
        "e mail de l utilisateur",
        "e mail du participant",
        "user email",
        "email address",
        "participant email",
        "attendee email",
        "e mail de l invite",
    },
    "first_name": {
        "prenom",
        "prenoms",
        "first name",
        "firstname",
        "given name",
        "prenom du participant",
        "prenom de l invite",
        "participant first name",
        "attendee first name",
    },
    "name": {
        "nom",
        "name",
        "nom de famille",
        "last name",
        "lastname",
        "surname",
        "family name",
        "participant last name",
        "attendee last name",
        "nom complet",
        "full name",
        "name original name",
        "nom nom d origine",
        "nom du participant",
        "participant name",
        "participant",
        "display name",
        "nom d affichage",
        "nom et prenom",
        "prenom et nom",
        "prenom nom",
        "user name",
        "attendee name",
    },
    "joined": {
        "heure d arrivee",
        "arrivee",
        "heure d entree",
        "heure de connexion",
        "connexion",
        "premiere connexion",
        "heure de participation",
        "date et heure d arrivee",
        "join time",
        "first join",
        "first join time",
        "joined",
        "joined at",
        "time joined",
        "join",
    },
    "left": {
        "heure de depart",
        "depart",
        "heure de sortie",
        "sortie",
        "heure de deconnexion",
        "deconnexion",
        "derniere deconnexion",
        "date et heure de depart",
        "leave time",
        "last leave",
        "last leave time",
        "left",
        "left at",
        "time exited",
        "leave",
    },
    "duration": {
        "duree",
        "duree minutes",
        "duree en minutes",
        "duree min",
        "duree de participation",
        "duree de connexion",
        "duree dans la reunion",
        "temps de connexion",
        "temps de presence",
        "duration",
        "duration minutes",
        "attendance duration",
        "in meeting duration",
        "time in session",
        "time in session minutes",
    },
}


def _looks_like(field_name, key) -> bool:
    """Looser guess, when no header is spelt exactly as expected."""
    words = key.split()
    if field_name == "email":
        return any("mail" in w for w in words) or "courriel" in words
    if field_name == "first_name":
        return "prenom" in words or ("first" in words and "name" in words)
    if field_name == "name":
        if {"first", "given", "prenom", "prenoms"} & set(words):
            return False
        return bool(words) and (words[0] in ("nom", "name") or "name" in words)
    if field_name == "left":
        return any(w in ("leave", "left", "depart", "sortie", "deconnexion", "exit") for w in words)
    if field_name == "joined":
        return any(w in ("join", "joined", "arrivee", "entree", "connexion") for w in words)
    if field_name == "duration":
        return any(w in ("duree", "duration") for w in words)
    return False


def guess_mapping(headers) -> dict[str, str]:
    """{field: header} for the columns recognised in `headers`; fields not found are left out."""
    keys = [(header, _key(header)) for header in headers]
    mapping, used = {}, set()
    for exact in (True, False):
        # "left" before "joined": "déconnexion" must not be read as a "connexion".
        for field_name in ("email", "first_name", "name", "left", "joined", "duration"):
            if field_name in mapping:
                continue
            for header, key in keys:
                if header in used:
                    continue
                if key in HEADER_NAMES[field_name] if exact else _looks_like(field_name, key):
                    mapping[field_name] = header
                    used.add(header)
                    break
    return {name: mapping[name] for name in FIELDS if name in mapping}


def mapping_errors(mapping, headers) -> list[CellError]:
    """What is wrong with a column mapping chosen by staff, in French."""
    errors = []
    chosen = {name: column for name, column in mapping.items() if column and name in FIELDS}
    for name, column in chosen.items():
        if column not in headers:
            errors.append(
                CellError(
                    None,
                    column,
                    f"la colonne « {column} » choisie pour « {FIELDS[name]} » n'existe pas dans "
                    f"le fichier. Colonnes du fichier : {' ; '.join(headers)}.",
                )
            )
    by_column = defaultdict(list)
    for name, column in chosen.items():
        by_column[column].append(FIELDS[name])
    for column, names in by_column.items():
        if len(names) > 1:
            errors.append(
                CellError(
                    None,
                    column,
                    f"la colonne « {column} » est choisie plusieurs fois "
                    f"({', '.join(f'« {n} »' for n in names)}) : une colonne par information.",
                )
            )
    if not chosen.get("email"):
        errors.append(CellError(None, None, "choisissez la colonne de l'adresse e-mail."))
    has_times = chosen.get("joined") and chosen.get("left")
    if not has_times and not chosen.get("duration"):
        errors.append(
            CellError(
                None,
                None,
                "choisissez la colonne de la durée, ou celles de l'heure d'arrivée et de l'heure "
                "de départ.",
            )
        )
    return errors


# --- Reading the file ---------------------------------------------------------------------


@dataclass
class ParticipantsFile:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    header_row: int
    notes: list[str] = field(default_factory=list)


def _header_score(cells):
    known = set().union(*HEADER_NAMES.values())
    return (sum(1 for c in cells if _key(c) in known), len([c for c in cells if c.strip()]))


def _unique_headers(cells):
    headers, seen = [], defaultdict(int)
    for position, cell in enumerate(cells, start=1):
        name = cell or f"Colonne {position}"
        if len(name) > MAX_HEADER_LENGTH:
            name = name[: MAX_HEADER_LENGTH - 1] + "…"
        seen[name] += 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return headers


def read_participants(content: bytes) -> ParticipantsFile:
    """The header and data rows of a participants CSV; raises `FileRejected` in French."""
    if len(content) > MAX_BYTES:
        raise FileRejected(f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo.")
    if tabular.file_format(content) != "csv":
        raise FileRejected(
            "Ce fichier est un classeur Excel : enregistrez-le au format CSV depuis votre tableur "
            "(ou exportez la liste des participants en CSV depuis l'outil de visioconférence)."
        )
    table = tabular.read_table(content, limits=LIMITS, formats=("csv",), header_score=_header_score)
    rows = [(row.number, [c.strip() for c in row.cells]) for row in table.sheets[0].rows]
    best = None  # ((known headers, filled cells), header number, cells)
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        score = _header_score(cells)
        if best is None or score > best[0]:
            best = (score, number, cells)
    if best is None or best[0][1] < 2:
        raise FileRejected(
            "La ligne d'en-tête n'a pas été trouvée : le fichier doit être un CSV dont une ligne "
            "nomme les colonnes (e-mail, nom, heures d'arrivée et de départ ou durée), séparées "
            "par « ; », « , » ou une tabulation."
        )
    _score, header_row, cells = best
    participants = ParticipantsFile(headers=_unique_headers(cells), rows=[], header_row=header_row)
    previous = header_row
    for number, row in rows:
        if number <= header_row:
            continue
        blank_before, previous = number > previous + 1, number
        filled_cells = [c for c in row if c]
        if blank_before and len(filled_cells) == 1 and "@" not in filled_cells[0]:
            # A new section after a blank line (Teams: "3. Activités pendant la réunion").
            participants.notes.append(
                f"La lecture s'arrête à la ligne {number} : une autre partie du fichier commence "
                f"(« {filled_cells[0]} »)."
            )
            break
        participants.rows.append((number, row))
    return participants


# --- Times and durations ------------------------------------------------------------------

_DATETIME = re.compile(
    r"""^(?:
        (?:(?P<y>\d{4})[-/.](?P<ym>\d{1,2})[-/.](?P<yd>\d{1,2})
          |(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{4}|\d{2}))
        (?:[ T]+|,\s*|\s+[àa]\s+)
    )?
    (?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?
    \s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?(?![A-Za-z]))?
    \s*(?P<zone>.*)$""",
    re.VERBOSE,
)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
_AMPM = re.compile(r"\d\s*[AaPp]\.?\s?[Mm]\.?(\s|$)")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
NAMED_ZONES = {
    "z": UTC,
    "utc": UTC,
    "gmt": UTC,
    "cet": timezone(timedelta(hours=1)),
    "cest": timezone(timedelta(hours=2)),
    "heure de paris": PARIS,
    "heure d europe centrale": PARIS,
}
TIME_FORMATS_HELP = (
    "formats reconnus : 22/11/2026 14:03, 2026-11-22 14:03:00, 11/22/2026 02:03:00 PM, avec ou "
    "sans fuseau horaire (+01:00, UTC, Z)"
)


class _Unreadable(ValueError):
    """A cell that cannot be read; the message (French) says why."""


def _zone(text):
    text = text.strip().strip("()[]").strip()
    if not text:
        return None
    named = NAMED_ZONES.get(_key(text))
    if named is not None:
        return named
    offset = _OFFSET.match(text)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise _Unreadable(f"décalage horaire « {text} » impossible")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    if "/" in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise _Unreadable(f"fuseau horaire « {text} » non reconnu")


def date_order(values) -> str | None:
    """ "dmy" (French), "mdy" (American), or None when the column mixes both.

    A day above 12 tells; without one, an AM/PM time means an American export (Zoom in
    English), otherwise the French order is assumed.
    """
    day_first = month_first = False
    for value in values:
        found = _DAY_MONTH.match(value)
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(2))
        day_first |= first > 12
        month_first |= second > 12
    if day_first and month_first:
        return None
    if day_first:
        return "dmy"
    if month_first or any(_AMPM.search(v) for v in values):
        return "mdy"
    return "dmy"


def parse_datetime(text, *, order="dmy", default_date=None) -> datetime:
    """An aware datetime (UTC) from a webinar tool's cell; naive times are Europe/Paris."""
    found = _DATETIME.match(text.strip())
    if not found:
        raise _Unreadable(
            f"« {text} » n'est pas une date et une heure reconnues ({TIME_FORMATS_HELP})"
        )
    parts = found.groupdict()
    if parts["y"]:
        year, month, day = int(parts["y"]), int(parts["ym"]), int(parts["yd"])
    elif parts["a"]:
        first, second = int(parts["a"]), int(parts["b"])
        if first > 12:
            this_order = "dmy"
        elif second > 12:
            this_order = "mdy"
        elif order is None:
            raise _Unreadable(
                f"« {text} » : date ambiguë, le fichier mélange jour/mois et mois/jour"
            )
        else:
            this_order = order
        day, month = (first, second) if this_order == "dmy" else (second, first)
        year = int(parts["c"])
        if year < 100:
            year += 2000
    elif default_date is not None:
        year, month, day = default_date.year, default_date.month, default_date.day
    else:
        raise _Unreadable(f"« {text} » : la date manque ({TIME_FORMATS_HELP})")
    hour, minute = int(parts["hour"]), int(parts["minute"])
    second = int(parts["second"] or 0)
    if parts["ampm"]:
        if not 1 <= hour <= 12:
            raise _Unreadable(f"« {text} » : heure {hour} impossible avec AM/PM")
        pm = parts["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    zone = _zone(parts["zone"]) or PARIS
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError as error:
        raise _Unreadable(f"« {text} » n'est pas une date valide") from error
    # Arithmetic between two datetimes of one zone ignores its clock changes: work in UTC.
    return local.astimezone(UTC)


_UNITS = {
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "heure": 3600,
    "heures": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "mn": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "seconde": 1,
    "secondes": 1,
}
_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION_PARTS = re.compile(rf"({_NUMBER})\s*([a-z]+)\.?")
_DURATION_UNITS = re.compile(rf"^(?:\s*{_NUMBER}\s*[a-z]+\.?)+\s*$")
_HOURS_MINUTES = re.compile(r"^(\d+)\s*h\s*(\d{1,2})$")
DURATION_FORMATS_HELP = "formats reconnus : 65 (minutes), 65 min, 1:05:30, 1 h 05, 1h 5m 30s"


def parse_duration(text) -> int:
    """Seconds, from minutes ("65", "65,5"), "1:05:30", "1:05", "65 min", "1 h 05", "1h 5m 30s"."""
    value = re.sub(r"\s+", " ", text.strip().lower())
    if ":" in value:
        value = value.replace(" ", "")
    if re.fullmatch(_NUMBER, value):
        return round(float(value.replace(",", ".")) * 60)
    clock = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", value)
    if clock:
        hours, minutes, seconds = int(clock.group(1)), int(clock.group(2)), clock.group(3)
        if minutes > 59 or (seconds and int(seconds) > 59):
            raise _Unreadable(f"« {text} » n'est pas une durée valide ({DURATION_FORMATS_HELP})")
        return hours * 3600 + minutes * 60 + int(seconds or 0)
    hours_minutes = _HOURS_MINUTES.match(value)
    if hours_minutes:
        return int(hours_minutes.group(1)) * 3600 + int(hours_minutes.group(2)) * 60
    if _DURATION_UNITS.match(value):
        total = 0.0
        for number, unit in _DURATION_PARTS.findall(value):
            if unit not in _UNITS:
                break
            total += float(number.replace(",", ".")) * _UNITS[unit]
        else:
            return round(total)
    raise _Unreadable(f"« {text} » n'est pas une durée reconnue ({DURATION_FORMATS_HELP})")


# --- The dry run --------------------------------------------------------------------------


@dataclass
class Attendee:
    """A person of the file: their rows added up (reconnections)."""

    email: str
    name: str  # as the file says it: first and last name (or the name column alone)
    first_name: str = ""
    last_name: str = ""
    key: str = ""  # the same from one dry run to the next: the e-mail, or the name
    rows: list[int] = field(default_factory=list)
    intervals: list[tuple[datetime, datetime]] = field(default_factory=list)
    seconds_from_durations: int = 0
    registration: Registration | None = None
    user: object = None
    minutes: int = 0
    present: bool = False

    @property
    def seconds(self):
        """Connected time; overlapping connections (two devices at once) count once."""
        total, end = 0, None
        for start, stop in sorted(self.intervals):
            if end is not None and start < end:
                start = end
            if stop > start:
                total += (stop - start).total_seconds()
            end = stop if end is None else max(end, stop)
        return int(total) + self.seconds_from_durations

    @property
    def label(self):
        return self.name or self.email

    @property
    def names(self):
        """(first name, last name) to record a guest: the file's columns, or when it has one
        name column, its first word and the rest ("Jean-Pierre De La Tour")."""
        if self.first_name or self.last_name:
            return self.first_name, self.last_name
        first, _space, rest = self.name.partition(" ")
        return (first, rest) if rest else ("", first)


@dataclass
class Change:
    registration: Registration
    attended: bool
    minutes: int | None
    attendee: Attendee | None = None

    @property
    def changed(self):
        registration = self.registration
        return (registration.attended, registration.attendance_minutes) != (
            self.attended,
            self.minutes,
        )


@dataclass
class AttendanceReport:
    event: Event
    min_minutes: int
    rows_read: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matched: list[Change] = field(default_factory=list)
    missing: list[Change] = field(default_factory=list)  # registered, not in the file
    kept: list[Registration] = field(default_factory=list)  # checked in on site, not in the file
    unregistered: list[Attendee] = field(default_factory=list)  # platform users
    unknown: list[Attendee] = field(default_factory=list)  # neither account nor registration
    add_unregistered: bool = False
    guests: list[Attendee] = field(default_factory=list)  # unknown, recorded as guests present
    applied: bool = False
    stale: bool = False  # the registrations changed since the dry run

    @property
    def ok(self):
        return not self.errors

    @property
    def to_add(self):
        if not self.add_unregistered:
            return []
        return [attendee for attendee in self.unregistered if attendee.present]

    @property
    def guest_candidates(self):
        """People of the file who are neither members nor registered, present long enough:
        staff may record them as guests present."""
        return [attendee for attendee in self.unknown if attendee.present]

    @property
    def present_count(self):
        return sum(1 for change in self.matched if change.attended)

    @property
    def absent_count(self):
        return len(self.matched) - self.present_count

    @property
    def changes(self):
        return [change for change in self.matched + self.missing if change.changed]

    @property
    def digest(self):
        """What an apply would write: the apply refuses if it differs from the dry run's."""
        plan = {
            "changes": sorted((c.registration.pk, c.attended, c.minutes) for c in self.changes),
            "add": sorted((a.user.pk, a.minutes) for a in self.to_add),
        }
        return hashlib.sha256(json.dumps(plan).encode()).hexdigest()


def default_min_minutes(event) -> int:
    """30 minutes, or half the event when it lasts less than an hour."""
    length = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return max(1, min(DEFAULT_MIN_MINUTES, length // 2))


def _email_of(text):
    """The address in "jean@x.fr", "mailto:jean@x.fr" or "Jean Dupont <jean@x.fr>"."""
    bracketed = re.search(r"<([^<>]+)>", text)
    if bracketed:
        text = bracketed.group(1)
    text = text.strip().removeprefix("mailto:").strip().lower()
    return text


def _read_rows(participants, mapping, event, report):
    """Attendees of the file, keyed by e-mail (or by name when a row has no e-mail)."""
    position = {name: participants.headers.index(column) for name, column in mapping.items()}
    use_times = "joined" in position and "left" in position
    unused = ("duration",) if use_times else ("joined", "left")
    for name in unused:
        if name in position:
            report.notes.append(
                f"La colonne « {mapping[name]} » n'est pas utilisée : le temps de connexion est "
                + (
                    "calculé à partir des heures d'arrivée et de départ."
                    if use_times
                    else "lu dans la colonne de la durée."
                )
            )

    def cell(cells, name):
        index = position.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    time_values = [
        cell(cells, name) for _, cells in participants.rows for name in ("joined", "left")
    ]
    order = date_order([v for v in time_values if v])
    if order == "mdy" and any(_DAY_MONTH.match(v) for v in time_values if v):
        report.notes.append("Dates lues au format américain : mois/jour/année.")
    event_day = django_timezone.localtime(event.starts_at, PARIS).date()
    window = (event.starts_at - EVENT_MARGIN, event.ends_at + EVENT_MARGIN)

    attendees = {}
    seen = {}  # identical rows: counted once, reported once
    duplicates = defaultdict(list)
    for number, cells in participants.rows:
        report.rows_read += 1
        signature = tuple(cells[: len(participants.headers)])
        if signature in seen:
            duplicates[seen[signature]].append(number)
            continue
        seen[signature] = number
        errors = []
        raw_email, first_name, last_name = (
            cell(cells, "email"),
            cell(cells, "first_name"),
            cell(cells, "name"),
        )
        name = f"{first_name} {last_name}".strip()
        email = _email_of(raw_email)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    CellError(
                        number,
                        mapping["email"],
                        f"« {raw_email} » n'est pas une adresse e-mail valide.",
                    )
                )
        elif not name:
            errors.append(
                CellError(
                    number,
                    mapping["email"],
                    "ni adresse e-mail ni nom : la ligne ne dit pas de qui il s'agit.",
                )
            )
        interval, seconds = None, 0
        if use_times:
            moments = {}
            for name_of_time in ("joined", "left"):
                value = cell(cells, name_of_time)
                if not value:
                    errors.append(CellError(number, mapping[name_of_time], "case vide."))
                    continue
                try:
                    moments[name_of_time] = parse_datetime(
                        value, order=order, default_date=event_day
                    )
                except _Unreadable as error:
                    errors.append(CellError(number, mapping[name_of_time], f"{error}."))
            if len(moments) == 2:
                joined, left = moments["joined"], moments["left"]
                if left < joined:
                    errors.append(
                        CellError(
                            number,
                            mapping["left"],
                            f"départ ({_local(left)}) avant l'arrivée ({_local(joined)}).",
                        )
                    )
                elif left - joined > timedelta(seconds=MAX_ROW_SECONDS):
                    errors.append(
                        CellError(number, mapping["left"], "connexion de plus de 24 heures.")
                    )
                elif left < window[0] or joined > window[1]:
                    errors.append(
                        CellError(
                            number,
                            mapping["joined"],
                            f"connexion le {_local(joined)}, loin de l'événement (le "
                            f"{_local(event.starts_at)}) : est-ce le bon fichier, le bon "
                            "événement ?",
                        )
                    )
                else:
                    interval = (joined, left)
        else:
            value = cell(cells, "duration")
            if not value:
                errors.append(CellError(number, mapping["duration"], "case vide."))
            else:
                try:
                    seconds = parse_duration(value)
                except _Unreadable as error:
                    errors.append(CellError(number, mapping["duration"], f"{error}."))
                else:
                    if seconds > MAX_ROW_SECONDS:
                        errors.append(
                            CellError(number, mapping["duration"], "durée de plus de 24 heures.")
                        )
        if errors:
            report.errors.extend(errors)
            continue
        key = email or f"nom:{_key(name)}"
        attendee = attendees.setdefault(key, Attendee(email=email, name=name, key=key))
        if not attendee.name:
            attendee.name = name
        if "first_name" in position and not (attendee.first_name or attendee.last_name):
            attendee.first_name, attendee.last_name = first_name, last_name
        attendee.rows.append(number)
        if interval:
            attendee.intervals.append(interval)
        attendee.seconds_from_durations += seconds
    for first, others in duplicates.items():
        numbers = [str(n) for n in others]
        where = (
            f"à la ligne {numbers[0]}"
            if len(numbers) == 1
            else f"aux lignes {', '.join(numbers[:-1])} et {numbers[-1]}"
        )
        report.warnings.append(CellError(first, None, f"répétée {where} : comptée une seule fois."))
    return list(attendees.values())


def _local(moment):
    return f"{django_timezone.localtime(moment, PARIS):%d/%m/%Y à %H:%M}"


def _users_by_email(emails):
    """{lower-case e-mail: user} over accounts' main and secondary (allauth) addresses."""
    if not emails:
        return {}
    secondary = dict(
        EmailAddress.objects.annotate(lower=Lower("email"))
        .filter(lower__in=emails)
        .values_list("lower", "user_id")
    )
    users = get_user_model().objects.annotate(lower=Lower("email"))
    users = {u.pk: u for u in users.filter(Q(lower__in=emails) | Q(pk__in=secondary.values()))}
    found = {user.lower: user for user in users.values()}
    for email, user_id in secondary.items():
        if user_id in users:
            found.setdefault(email, users[user_id])
    return found


def _match(attendees, event, report, absent_missing):
    registrations = list(
        event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("person")
    )
    by_person = {r.person_id: r for r in registrations if r.person_id}
    by_guest_email = {r.email.lower(): r for r in registrations if not r.person_id and r.email}
    # A guest recorded without an e-mail (a phone line, say) is known by name.
    by_guest_name = {
        f"nom:{_key(r.display_name)}": r for r in registrations if not r.person_id and not r.email
    }
    users = _users_by_email({a.email for a in attendees if a.email})

    grouped = {}  # one person may appear under two of their addresses
    for attendee in attendees:
        user = users.get(attendee.email) if attendee.email else None
        registration = by_person.get(user.pk) if user else None
        if registration is None and attendee.email:
            registration = by_guest_email.get(attendee.email)
        elif registration is None:
            registration = by_guest_name.get(attendee.key)
        if registration is not None:
            key = ("registration", registration.pk)
        elif user is not None:
            key = ("user", user.pk)
        else:
            key = ("other", attendee.email or attendee.name)
        if key in grouped:
            kept = grouped[key]
            kept.rows += attendee.rows
            kept.intervals += attendee.intervals
            kept.seconds_from_durations += attendee.seconds_from_durations
            continue
        attendee.registration, attendee.user = registration, user
        grouped[key] = attendee

    for attendee in grouped.values():
        attendee.minutes = attendee.seconds // 60
        attendee.present = attendee.minutes >= report.min_minutes
        if attendee.registration is not None:
            report.matched.append(
                Change(attendee.registration, attendee.present, attendee.minutes, attendee)
            )
        elif attendee.user is not None:
            report.unregistered.append(attendee)
        else:
            report.unknown.append(attendee)
    matched = {change.registration.pk for change in report.matched}
    for registration in registrations:
        if registration.pk in matched or registration.status not in Registration.SEATED:
            continue
        if registration.attended:
            report.kept.append(registration)
        elif absent_missing:
            report.missing.append(Change(registration, False, 0))
    report.matched.sort(key=lambda c: c.registration.display_name.lower())
    report.missing.sort(key=lambda c: c.registration.display_name.lower())
    report.kept.sort(key=lambda r: r.display_name.lower())
    report.unregistered.sort(key=lambda a: a.label.lower())
    report.unknown.sort(key=lambda a: a.label.lower())


def import_closed_reason(event, now=None) -> str | None:
    """Why the participants of `event` cannot be imported yet (a French sentence), or None."""
    if event.is_cancelled:
        return "Cet événement est annulé : les présences ne sont pas relevées."
    if event.starts_at > (now or django_timezone.now()):
        return (
            f"L'événement n'a pas encore commencé (il commence le {_local(event.starts_at)}) : "
            "importez la liste des participants une fois qu'il a eu lieu."
        )
    return None


def _parse(*, event, content, mapping, min_minutes, report):
    """The file read into attendees, or None with `report.errors` saying why. Reads no row of
    the database: it runs before any transaction opens (a long upload holds no lock)."""
    try:
        participants = read_participants(content)
    except FileRejected as rejected:
        report.errors.append(rejected.error)
        return None
    except Exception:  # an untrusted file must never end in a server error
        logger.exception("Unreadable participants file (event %s)", event.pk)
        report.errors.append(CellError(None, None, UNREADABLE))
        return None
    report.notes += participants.notes
    report.errors += mapping_errors(mapping, participants.headers)
    if report.errors:
        return None
    if min_minutes < 1:
        report.errors.append(
            CellError(None, None, "la durée minimale doit être d'au moins 1 minute.")
        )
        return None
    attendees = _read_rows(participants, mapping, event, report)
    if not participants.rows:
        report.errors.append(CellError(None, None, "le fichier ne contient aucun participant."))
    report.errors.sort(key=lambda e: e.row or 0)
    return None if report.errors else attendees


def attendance_check(
    *,
    event,
    content: bytes,
    mapping: dict,
    min_minutes: int,
    add_unregistered: bool = False,
    absent_missing: bool = True,
) -> AttendanceReport:
    """The dry run: what the file says and what an apply would change. Writes nothing."""
    report = AttendanceReport(
        event=event, min_minutes=min_minutes, add_unregistered=add_unregistered
    )
    closed = import_closed_reason(event)
    if closed:
        report.errors.append(CellError(None, None, closed))
        return report
    mapping = {name: column for name, column in mapping.items() if column}
    attendees = _parse(
        event=event, content=content, mapping=mapping, min_minutes=min_minutes, report=report
    )
    if attendees is not None:
        _match(attendees, event, report, absent_missing)
    return report


# --- The apply ----------------------------------------------------------------------------


def attendance_apply(
    *,
    event,
    content: bytes,
    mapping: dict,
    min_minutes: int,
    add_unregistered: bool = False,
    absent_missing: bool = True,
    guests=(),
    expected_digest: str | None = None,
) -> AttendanceReport:
    """Read the file (outside any transaction), then check it again under a lock on the event
    and save everything or nothing: attendance, members added after the fact, and the people
    of the file chosen in `guests` (keys of `report.guest_candidates`) recorded as guests
    present.

    When `expected_digest` is given and the registrations changed since the dry run (someone
    checked in, a registration was cancelled), or a chosen guest is no longer unknown, nothing
    is saved and the report is `stale`.
    """
    report = AttendanceReport(
        event=event, min_minutes=min_minutes, add_unregistered=add_unregistered
    )
    mapping = {name: column for name, column in mapping.items() if column}
    closed = import_closed_reason(event)
    if closed:
        raise EventError(closed)
    attendees = _parse(
        event=event, content=content, mapping=mapping, min_minutes=min_minutes, report=report
    )
    if attendees is None:
        return report
    parsed_for = (event.starts_at, event.ends_at)
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            closed = import_closed_reason(event)
            if closed:
                raise EventError(closed)
            if (event.starts_at, event.ends_at) != parsed_for:  # moved meanwhile: read again
                report = AttendanceReport(
                    event=event, min_minutes=min_minutes, add_unregistered=add_unregistered
                )
                attendees = _parse(
                    event=event,
                    content=content,
                    mapping=mapping,
                    min_minutes=min_minutes,
                    report=report,
                )
                if attendees is None:
                    return report
            report.event = event
            _match(attendees, event, report, absent_missing)
            candidates = {attendee.key: attendee for attendee in report.guest_candidates}
            report.guests = [candidates[key] for key in dict.fromkeys(guests) if key in candidates]
            chosen_gone = len(report.guests) != len(set(guests))
            if chosen_gone or (expected_digest is not None and report.digest != expected_digest):
                report.guests = []
                report.stale = True
                return report
            _save(event, report)
            report.applied = True
            return report
    except IntegrityError as error:  # a registration created meanwhile, say
        raise EventError(
            "L'enregistrement a échoué (les inscriptions ont changé pendant l'import) : rien n'a "
            "été enregistré. Vérifiez le fichier à nouveau."
        ) from error


def _save(event, report):
    changes = report.changes
    for change in changes:
        change.registration.attended = change.attended
        change.registration.attendance_minutes = change.minutes
    Registration.objects.bulk_update(
        [change.registration for change in changes],
        ["attended", "attendance_minutes"],
        batch_size=500,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                person=attendee.user,
                status=Registration.Status.CONFIRMED,
                attended=True,
                attendance_minutes=attendee.minutes,
            )
            for attendee in report.to_add
        ],
        batch_size=500,
    )
    for attendee in report.guests:
        first_name, last_name = attendee.names
        guest = services.registration_record(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=attendee.email,
            status=Registration.Status.CONFIRMED,
            attended=True,
        )
        guest.attendance_minutes = attendee.minutes
        guest.save(update_fields=["attendance_minutes"])
    for change in changes:
        if not change.attended:
            hooks.attendance_undone.send(registration=change.registration)
    hooks.attendance_recorded.send(
        registrations=Registration.objects.filter(event=event, attended=True).select_related(
            "event"
        )
    )


# --- Check-in on site ---------------------------------------------------------------------


def registration_mark_attendance(*, registration, present: bool, today: date | None = None):
    """Staff tap on the check-in page: `registration_check_in`, refused where it makes no sense."""
    event = registration.event
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est annulée.")
    if event.is_cancelled:
        raise EventError("Cet événement est annulé.")
    if present and not check_in_open(event, today):
        raise EventError("Le pointage ouvre le jour de l'événement.")
    return registration_check_in(registration=registration, present=present)


# --- Reads for the staff pages ------------------------------------------------------------


def event_attendance_counts(event) -> dict[str, int]:
    """Registered, waitlisted, cancelled, attended, no-show, excused, still to check in (one
    query). A no-show is a seated person recorded absent who had not excused themselves."""
    active = ~Q(status=Registration.Status.CANCELLED)
    seated = Q(status__in=Registration.SEATED)
    counts = event.registrations.aggregate(
        n_registered=Count("pk", filter=seated),
        n_waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        n_cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
        n_attended=Count("pk", filter=active & Q(attended=True)),
        n_no_show=Count("pk", filter=seated & Q(attended=False, excused=False)),
        n_excused=Count("pk", filter=active & Q(excused=True) & ~Q(attended=True)),
        n_unrecorded=Count("pk", filter=seated & Q(attended__isnull=True, excused=False)),
    )
    return {name.removeprefix("n_"): value for name, value in counts.items()}


def check_in_list(event, search=""):
    """The event's registrations (not cancelled) by name; every word of `search` must match
    a first name, a last name or an e-mail."""
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .matching(search)
        .by_name()
    )


def feedback_summary(event) -> dict:
    """Count and averages of the event's feedback (one query) and its comments (one query),
    without names."""
    feedback = Feedback.objects.filter(registration__event=event)
    summary = feedback.aggregate(
        count=Count("pk"), satisfaction=Avg("satisfaction"), usefulness=Avg("usefulness")
    )
    summary["comments"] = list(
        feedback.exclude(comment="").order_by("-created_at").values_list("comment", flat=True)
    )
    return summary
