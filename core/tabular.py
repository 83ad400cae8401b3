"""Reading an uploaded table, CSV or XLSX, within bounds, with problems told in French.

`read_table(content, limits=...)` returns the filled rows of every sheet (a CSV is one sheet),
each with its number as the user's spreadsheet shows it; `find_header` then finds the row that
names the expected columns (`Columns`), whatever their accents, case and spacing. Anything that
stops the reading raises `FileRejected`, whose `error` says why and what to do, with a row
number when there is one. The imports that use it (the register, a webinar's participants) add
their own rules on top.

CSV: UTF-8, UTF-8 with BOM, UTF-16 with BOM (Teams), else Windows-1252 (which reads Latin-1
text the same: the two differ only on bytes that are control characters in Latin-1). A file
converted twice ("Ã©" for "é") is refused. The separator is `;`, `,` or a tab: the one under
which a row of the first ones best looks like the header the caller expects (`header_score`),
then the one that splits it into the most filled cells. `csv.Sniffer` is not used: it guesses
among every punctuation sign and quote, fails on a file of one column, and knows nothing of the
expected header; the records themselves are always split by the standard `csv` module.

XLSX: openpyxl in read-only mode (rows streamed, the declared dimension not trusted), after a
census of the package: one pass of expat (no tree, DTDs refused) over every part counts the
elements, cells and shared strings openpyxl would parse and reads the merged ranges, which a
read-only sheet does not know. Merged cells are accepted in the header area only, and on a
bounded number of cells; each cell of a merged range reads the value of its top-left cell.

Bounds (`Limits`): file size; characters of a CSV record, counted before `csv` splits it; rows,
columns and cells; an XLSX's unzipped size, parts, elements, shared strings, merged cells and
sheets. Each is checked as the reading goes and the first one exceeded stops it, so that the
work done before a refusal is at most one row (or one XML element) beyond a bound; `Work`
counts it, in units that do not depend on the machine. The imports set their bounds from what
they need and what a row costs them afterwards (docs/performance.md).
"""

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.parsers import expat

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from core.text import fold

MB = 1024 * 1024
SEPARATORS = (";", ",", "\t")
DATE_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class Limits:
    """What one import accepts. The header is looked for in the first `header_rows` filled rows,
    and merged cells are accepted in the first `header_rows` rows only."""

    max_bytes: int
    max_rows: int  # below the header area: the file may have `header_rows + max_rows` rows
    max_columns: int
    max_cells: int  # rows × columns, each row counted up to its last cell
    header_rows: int = 10
    max_row_chars: int = 64 * 1024  # a CSV record (two cells of Excel's longest: 32,767)
    max_merged_cells: int = 1_000
    max_unzipped_bytes: int = 30 * MB
    max_sheets: int = 50
    max_parts: int = 1_000  # files inside an XLSX (a zip)

    @property
    def max_row_number(self):
        return self.header_rows + self.max_rows

    @property
    def max_xml_elements(self):
        """An XLSX cell is 2 to 4 elements (c, v or is/t), a shared string 2 (si, t), rich text
        a few more; styles, theme and the rest of the package some thousands."""
        return 8 * self.max_cells + 200_000


@dataclass
class Work:
    """What reading a file cost so far, counted in units that do not depend on the machine."""

    rows: int = 0  # CSV records, or sheet rows (empty ones between filled ones included)
    cells: int = 0  # CSV fields, or sheet cells up to the last one of each row
    xml_elements: int = 0  # elements of an XLSX package counted before openpyxl reads it


# --- Problems ------------------------------------------------------------------------------


@dataclass
class CellError:
    """One problem, where the user will find it: row as numbered in the file, column name."""

    row: int | None
    column: str | None
    message: str

    def __post_init__(self):
        self.message = self.message[:1].upper() + self.message[1:]

    def __str__(self):
        if self.row is None:
            return self.message
        where = f"Ligne {self.row}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


class FileRejected(Exception):
    """The file as a whole cannot be read; the message (French) says why and what to do."""

    def __init__(self, message, row=None):
        super().__init__(message)
        self.error = CellError(row, None, message)
        self.work: Work | None = None  # set by `read_table`


def number_fr(value: int) -> str:
    """20000 -> "20 000" (a narrow no-break space, as French typography wants)."""
    return f"{value:,}".replace(",", "\u202f")


def _megabytes(size):
    return f"{size / MB:.0f}" if size % MB == 0 else f"{size / MB:.1f}".replace(".", ",")


# --- Tables --------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as the spreadsheet (or a text editor, for a CSV) shows it
    cells: list  # str for a CSV; str, int, float, bool, datetime or None for an XLSX
    merged_from: dict[int, int] = field(default_factory=dict)  # position -> first row merged


@dataclass
class Sheet:
    title: str
    rows: list[Row]  # the filled rows only: a gap in the numbers is an empty row


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    sheets: list[Sheet]
    limits: Limits
    work: Work
    encoding: str | None = None  # of a CSV
    separator: str | None = None  # of a CSV


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def file_format(content: bytes) -> str:
    """ "xlsx" for a zip (XLSX, or ODS told apart when read), "xls" for an Excel 97-2003 file,
    "csv" for anything else."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def read_table(
    content: bytes,
    *,
    limits: Limits,
    formats: Collection[str] = ("csv", "xlsx"),
    header_score: Callable[[list[str]], object] | None = None,
) -> Table:
    """The filled rows of a CSV or XLSX file; raises `FileRejected` (French) when it cannot be
    read or exceeds `limits`, as soon as it is known.

    `header_score(cells)`, for a CSV, says how much a row looks like the expected header (a
    number, or a tuple): it chooses the separator.
    """
    work = Work()
    try:
        if len(content) > limits.max_bytes:
            raise FileRejected(f"Le fichier dépasse {_megabytes(limits.max_bytes)} Mo.")
        kind = file_format(content)
        if kind == "xls":
            target = "au format .xlsx ou CSV" if "xlsx" in formats else "au format CSV"
            raise FileRejected(
                "Les fichiers Excel 97-2003 (.xls) ne sont pas pris en charge : enregistrez le "
                f"fichier {target}."
            )
        if kind not in formats:
            raise FileRejected(
                "Ce fichier est un classeur Excel : enregistrez-le au format CSV depuis votre "
                "tableur."
            )
        if kind == "xlsx":
            return _read_xlsx(content, limits, work)
        return _read_csv(content, limits, work, header_score)
    except FileRejected as rejected:
        rejected.work = work
        raise


# --- CSV -----------------------------------------------------------------------------------

# Sequences a UTF-8 text shows once decoded a second time as Windows-1252 ("Ã©" for "é").
_MOJIBAKE = re.compile(
    "Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€"
)


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding) of a CSV file; raises `FileRejected` for a binary or mis-encoded one."""
    if content.startswith(codecs.BOM_UTF8):
        encoding, content = "utf-8-sig", content[len(codecs.BOM_UTF8) :]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = None
    try:
        if encoding:
            text = content.decode(encoding.removesuffix("-sig"))
        else:
            try:
                text, encoding = content.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileRejected(
            f"Le fichier n'est ni en UTF-8 ni en Windows-1252 (caractère illisible à la ligne "
            f"{line}) : ouvrez-le dans votre tableur et enregistrez-le au format « CSV UTF-8 »."
        ) from error
    if "\x00" in text:
        raise FileRejected(
            "Ce fichier n'est pas un fichier CSV (il contient des données binaires) : "
            "envoyez un fichier CSV ou Excel (.xlsx)."
        )
    mojibake = _MOJIBAKE.search(text)
    if mojibake:
        line = text[: mojibake.start()].count("\n") + 1
        raise FileRejected(
            f"Le fichier semble mal encodé : « {mojibake.group()} » à la ligne {line} à la place "
            "d'une lettre accentuée. Il a sans doute été converti deux fois : repartez du "
            "fichier d'origine et enregistrez-le au format « CSV UTF-8 ».",
        )
    return text, encoding


class _RecordTooLong(Exception):
    pass


class _Lines:
    """The lines of a text, as `csv.reader` pulls them for one record after another; refuses
    a record longer than `limit` characters before `csv` splits it into cells."""

    def __init__(self, text, limit):
        self.lines = iter(io.StringIO(text, newline=""))
        self.limit = limit
        self.length = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self.lines)
        self.length += len(line)
        if self.length > self.limit:
            raise _RecordTooLong
        return line

    def records(self, reader):
        """`reader`'s records, each counted from its first line."""
        for record in reader:
            self.length = 0
            yield record


def _read_csv(content, limits, work, header_score):
    text, encoding = decode(content)
    if not text.strip():
        raise FileRejected("Le fichier est vide.")
    separator = choose_separator(text, limits, header_score)
    lines = _Lines(text, limits.max_row_chars)
    reader = csv.reader(lines, delimiter=separator, strict=True)
    rows = []
    number = 0
    try:
        for number, cells in enumerate(lines.records(reader), start=1):
            cells = _bounded(number, cells, limits, work, sheet=None)
            if any(_filled(c) for c in cells):
                rows.append(Row(number, cells))
    except _RecordTooLong:
        raise FileRejected(
            f"Plus de {number_fr(limits.max_row_chars)} caractères sur une seule ligne : un "
            "guillemet n'est pas fermé, ou ce n'est pas le bon fichier. Ouvrez-le dans votre "
            "tableur et enregistrez-le à nouveau au format CSV.",
            row=number + 1,
        ) from None
    except csv.Error as error:
        raise FileRejected(
            f"Le fichier CSV est mal formé à la ligne {number + 1} : un guillemet n'est pas "
            "fermé ou est mal placé. Ouvrez-le dans votre tableur et enregistrez-le à nouveau "
            "au format CSV.",
            row=number + 1,
        ) from error
    return Table("csv", [Sheet("CSV", rows)], limits, work, encoding=encoding, separator=separator)


def choose_separator(text: str, limits: Limits, header_score=None) -> str:
    """`;`, `,` or a tab: the one under which one of the first `limits.header_rows` records
    scores best as a header (`header_score`), then has the most filled cells; `;` on a tie."""
    best = None
    for separator in SEPARATORS:
        lines = _Lines(text, limits.max_row_chars)
        reader = csv.reader(lines, delimiter=separator)
        key = (0,)
        try:
            for number, cells in enumerate(lines.records(reader), start=1):
                if number > limits.header_rows:
                    break
                filled = sum(1 for c in cells if c.strip())
                if filled:
                    # A row too wide is scored on its first cells (the reading refuses it).
                    score = header_score(cells[: limits.max_columns]) if header_score else 0
                    key = max(key, (1, score, filled))
        except (csv.Error, _RecordTooLong):
            pass  # what comes after a malformed record is not read to choose
        if best is None or key > best[0]:
            best = (key, separator)
    return best[1]


def _bounded(number, cells, limits, work, *, sheet):
    """`cells` of row `number`, cut to `limits.max_columns` when only empty cells are beyond;
    raises `FileRejected` when the row is beyond a bound."""
    if number > limits.max_row_number:
        if sheet is None:
            raise FileRejected(
                f"Le fichier dépasse {number_fr(limits.max_rows)} lignes : découpez-le."
            )
        raise FileRejected(
            f"La feuille « {sheet} » dépasse {number_fr(limits.max_rows)} lignes : découpez-la "
            "(si elle en a moins, supprimez les lignes vides ou mises en forme sous vos données)."
        )
    work.rows += 1
    work.cells += len(cells)
    if len(cells) > limits.max_columns:
        beyond = [i for i in range(limits.max_columns, len(cells)) if _filled(cells[i])]
        if beyond:
            if sheet is None:
                raise FileRejected(
                    f"{number_fr(len(cells))} colonnes, pour {limits.max_columns} au plus : "
                    "est-ce le bon fichier ? Les colonnes doivent être séparées par « ; », "
                    "« , » ou une tabulation.",
                    row=number,
                )
            raise FileRejected(
                f"La feuille « {sheet} » a des valeurs au-delà de la colonne "
                f"{get_column_letter(limits.max_columns)} (colonne "
                f"{get_column_letter(beyond[-1] + 1)}) : {limits.max_columns} colonnes au plus. "
                "Supprimez les colonnes en trop.",
                row=number,
            )
        cells = cells[: limits.max_columns]
    if work.cells > limits.max_cells:
        raise FileRejected(
            f"Le fichier compte plus de {number_fr(limits.max_cells)} cases (lignes × "
            "colonnes) : découpez-le, ou supprimez les colonnes inutiles."
        )
    return list(cells)


# --- XLSX ----------------------------------------------------------------------------------


@dataclass
class _Census:
    """Counts of an XLSX package, made before openpyxl reads it: expat, no tree, each element
    counted as it starts; the first bound exceeded raises `FileRejected` out of the parser."""

    limits: Limits
    work: Work
    cells: int = 0
    strings: int = 0
    merged_cells: int = 0
    merged: dict[str, list[tuple[str, tuple[int, int, int, int]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def count(self, archive: zipfile.ZipFile):
        for info in archive.infolist():
            if not info.is_dir():
                self._count_part(archive, info.filename)

    def _count_part(self, archive, part):
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda name, attributes: self._element(part, name, attributes)
        parser.StartDoctypeDeclHandler = self._no_dtd  # no XLSX part has one: entity bombs do
        parser.EntityDeclHandler = self._no_dtd
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            pass  # not XML (an image, say): openpyxl cannot parse further than expat did

    def _no_dtd(self, *args):
        raise _unreadable_xlsx()

    def _element(self, part, name, attributes):
        work, limits = self.work, self.limits
        work.xml_elements += 1
        if work.xml_elements > limits.max_xml_elements:
            raise FileRejected(
                "Le fichier Excel est trop complexe (trop d'éléments) : copiez les seules données "
                "dans un nouveau classeur, ou enregistrez-le au format CSV."
            )
        local = name.rpartition(":")[2]
        if local == "c":
            self.cells += 1
            if self.cells > limits.max_cells:
                raise FileRejected(
                    f"Le classeur compte plus de {number_fr(limits.max_cells)} cases : "
                    "découpez-le, ou supprimez les feuilles et colonnes inutiles."
                )
        elif local == "si":
            self.strings += 1
            if self.strings > limits.max_cells:
                raise FileRejected(
                    f"Le classeur compte plus de {number_fr(limits.max_cells)} textes : "
                    "découpez-le, ou supprimez les feuilles inutiles."
                )
        elif local == "mergeCell":
            self._merged(part, attributes.get("ref", ""))

    def _merged(self, part, ref):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            raise _unreadable_xlsx() from None
        area = None  # whole rows or columns ("A:B", "1:2") have no bounds
        if None not in (min_col, min_row, max_col, max_row):
            area = (max_col - min_col + 1) * (max_row - min_row + 1)
            self.merged_cells += area
        if area is None or self.merged_cells > self.limits.max_merged_cells:
            size = f", {number_fr(area)} cases" if area else ""
            raise FileRejected(
                f"Cellules fusionnées trop étendues ({ref}{size}) : les cellules fusionnées ne "
                f"sont acceptées que dans l'en-tête, sur {number_fr(self.limits.max_merged_cells)}"
                " cases en tout. Défusionnez-les.",
                row=min_row,
            )
        self.merged[part].append((ref, (min_col, min_row, max_col, max_row)))


def _unreadable_xlsx():
    return FileRejected(
        "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : enregistrez-le à nouveau au "
        "format .xlsx ou CSV."
    )


def _damaged():
    return FileRejected("Le fichier Excel est endommagé : il ne peut pas être lu.")


def _read_xlsx(content, limits, work):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except Exception as error:  # zipfile raises many kinds of error on a damaged file
        raise _damaged() from error
    with archive:
        if len(infos) > limits.max_parts:
            raise FileRejected(
                f"Le fichier Excel contient trop d'éléments ({number_fr(len(infos))}) : copiez "
                "les seules données dans un nouveau classeur, ou enregistrez-le au format CSV."
            )
        try:
            ods = any(i.filename == "mimetype" for i in infos) and (
                b"opendocument" in archive.read("mimetype")[:200]
            )
        except Exception as error:
            raise _damaged() from error
        if ods:
            raise FileRejected(
                "Les fichiers OpenDocument (.ods) ne sont pas pris en charge : enregistrez le "
                "fichier au format Excel (.xlsx) ou CSV."
            )
        # The sizes a zip declares bound what `zipfile` inflates: it stops there.
        unzipped = sum(info.file_size for info in infos)
        if unzipped > limits.max_unzipped_bytes:
            raise FileRejected(
                "Le fichier Excel est trop volumineux une fois décompressé "
                f"({_megabytes(unzipped)} Mo, {_megabytes(limits.max_unzipped_bytes)} Mo au "
                "plus) : supprimez les feuilles, images et mises en forme inutiles, ou "
                "enregistrez-le au format CSV."
            )
        census = _Census(limits, work)
        try:
            census.count(archive)
        except FileRejected:
            raise
        except Exception as error:  # a bad checksum, an unknown compression, a password…
            raise _damaged() from error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "unsupported extension" and similar notices
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of error on a damaged file
            raise _unreadable_xlsx() from error
        try:
            if len(workbook.worksheets) > limits.max_sheets:
                raise FileRejected(
                    f"Le classeur compte {len(workbook.worksheets)} feuilles, pour "
                    f"{limits.max_sheets} au plus : supprimez les feuilles inutiles."
                )
            sheets = [
                _read_sheet(sheet, census.merged.get(_part_of(sheet), []), limits, work)
                for sheet in workbook.worksheets
            ]
        except FileRejected:
            raise
        except Exception as error:
            raise _unreadable_xlsx() from error
        finally:
            workbook.close()
    if not any(sheet.rows for sheet in sheets):
        raise FileRejected("Le fichier est vide.")
    return Table("xlsx", sheets, limits, work)


def _part_of(sheet) -> str:
    """The zip part a read-only sheet is read from (openpyxl keeps it, privately): its merged
    ranges, which a read-only sheet does not read, come from the census of that part."""
    return sheet._worksheet_path


def _read_sheet(sheet, merged, limits, work):
    title = sheet.title
    fills = defaultdict(list)  # row number -> [(first column, last column, top row, top column)]
    for ref, (min_col, min_row, max_col, max_row) in merged:
        if min_row > limits.header_rows:
            raise FileRejected(
                f"Feuille « {title} » : cellules fusionnées {ref} en dehors de l'en-tête (lignes "
                f"1 à {limits.header_rows}) : défusionnez-les.",
                row=min_row,
            )
        for number in range(min_row, max_row + 1):
            fills[number].append((min_col, max_col, min_row, min_col))
    tops = {}  # (row, column) of a merged range's top-left cell -> its value
    sheet.reset_dimensions()  # the dimension a file declares may be anything
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = _bounded(number, values, limits, work, sheet=title)
        merged_from = {}
        for first, last, top_row, top_col in fills.get(number, ()):
            if number == top_row:
                tops[(top_row, top_col)] = cells[top_col - 1] if top_col <= len(cells) else None
            value = tops.get((top_row, top_col))
            last = min(last, limits.max_columns)
            if last > len(cells):
                cells.extend([None] * (last - len(cells)))
            for column in range(first, last + 1):
                cells[column - 1] = value
                merged_from[column - 1] = top_row
        if any(_filled(c) for c in cells):
            rows.append(Row(number, cells, merged_from))
    return Sheet(title, rows)


# --- Headers -------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as trimmed text: integers without ".0", dates as 15/03/2024, booleans oui/non."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return str(value).strip()


def header_key(value) -> str:
    """A column name reduced to its words: "Durée (minutes)", "duree_minutes" and "DURÉE
    MINUTES" are one."""
    return re.sub(r"[^a-z0-9]+", " ", fold(cell_text(value))).strip()


@dataclass(frozen=True)
class HeaderMatch:
    positions: dict[str, int]  # expected column -> position (0 for the first) in the row
    duplicates: dict[str, list[int]]  # expected column -> positions after the first one
    unknown: list[str]  # texts of the row that name no expected column
    missing: list[str]  # expected columns the row does not name


class Columns:
    """The columns an import expects, with other spellings of them (`aliases`: spelling ->
    column); a header cell names a column when `header_key` reduces both to the same words."""

    def __init__(self, names: Iterable[str], aliases: Mapping[str, str] | None = None):
        self.names = tuple(names)
        self.lookup = {header_key(name): name for name in self.names}
        for alias, name in (aliases or {}).items():
            if name in self.names:
                self.lookup.setdefault(header_key(alias), name)

    def match(self, cells) -> HeaderMatch:
        positions, duplicates, unknown = {}, defaultdict(list), []
        for position, value in enumerate(cells):
            key = header_key(value)
            if not key:
                continue
            name = self.lookup.get(key)
            if name is None:
                unknown.append(cell_text(value))
            elif name in positions:
                duplicates[name].append(position)
            else:
                positions[name] = position
        missing = [name for name in self.names if name not in positions]
        return HeaderMatch(positions, dict(duplicates), unknown, missing)


@dataclass
class Header:
    sheet: Sheet
    index: int  # of the header row in `sheet.rows`
    match: HeaderMatch

    @property
    def row(self) -> Row:
        return self.sheet.rows[self.index]

    @property
    def data_rows(self) -> list[Row]:
        return self.sheet.rows[self.index + 1 :]


class HeaderNotFound(FileRejected):
    """No sheet has a row naming every expected column; `best` names the most of them."""

    def __init__(self, message, best: Header):
        super().__init__(message, row=best.row.number)
        self.best = best


def find_header(table: Table, columns: Columns) -> Header:
    """The first row naming every column of `columns`, among the first `header_rows` filled
    rows of each sheet in turn; raises `FileRejected` when that row names a column twice, and
    `HeaderNotFound` when there is no such row."""
    best = None
    for sheet in table.sheets:
        for index, row in enumerate(sheet.rows[: table.limits.header_rows]):
            match = columns.match(row.cells)
            if best is None or len(match.positions) > len(best.match.positions):
                best = Header(sheet, index, match)
            if match.missing:
                continue
            if match.duplicates:
                name, positions = next(iter(match.duplicates.items()))
                letters = ", ".join(
                    get_column_letter(p + 1) for p in [match.positions[name], *positions]
                )
                raise FileRejected(
                    f"La colonne « {name} » apparaît plusieurs fois dans l'en-tête (colonnes "
                    f"{letters}) : des cellules d'en-tête fusionnées sur plusieurs colonnes ? "
                    "Gardez une seule colonne de ce nom.",
                    row=row.number,
                )
            return Header(sheet, index, match)
    if best is None:
        raise FileRejected("Le fichier est vide.")
    missing = best.match.missing
    message = (
        "En-tête non reconnu : "
        + ("il manque les colonnes " if len(missing) > 1 else "il manque la colonne ")
        + ", ".join(f"« {c} »" for c in missing)
        + ". La première ligne doit contenir : "
        + " ; ".join(columns.names)
        + "."
    )
    if table.format == "xlsx":
        message += f" (Feuille « {best.sheet.title} ».)"
    raise HeaderNotFound(message, best)
