"""The tabular-file reader: encodings, separators, XLSX, headers, and the bounds on what a file
may cost, with hostile files (the work done before a refusal is asserted, not the time)."""

import codecs
import csv
import io
import random
import tracemalloc
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.styles import Font

from core import tabular
from core.tabular import Columns, FileRejected, Limits
from tests.core.files import MAIN, merged_bomb, raw_xlsx, text_cell

SMALL = Limits(max_bytes=100_000, max_rows=50, max_columns=10, max_cells=400, header_rows=5)
# The scale of the imports that use the reader (coordinators.imports, agenda.attendance).
REAL = Limits(
    max_bytes=2 * 1024 * 1024,
    max_rows=10_000,
    max_columns=100,
    max_cells=300_000,
    header_rows=30,
    max_unzipped_bytes=20 * 1024 * 1024,
)
HEADER = ["Identifiant", "Nom", "Date de début"]
COLUMNS = Columns(["identifiant", "nom", "date de début"])


def header_score(cells):
    return len(COLUMNS.match(cells).positions)


def csv_bytes(rows, *, delimiter=";", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def read(content, limits=SMALL, **options):
    return tabular.read_table(content, limits=limits, header_score=header_score, **options)


def cells_of(table, sheet=0):
    return [row.cells for row in table.sheets[sheet].rows]


def refused(content, limits=SMALL, **options):
    with pytest.raises(FileRejected) as raised:
        read(content, limits, **options)
    return raised.value


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_row():
    cells = "".join(text_cell(f"{col}1", name) for col, name in zip("ABC", HEADER, strict=True))
    return f'<row r="1">{cells}</row>'


# --- Encodings ------------------------------------------------------------------------------

ROWS = [HEADER, ["1", "Épinay-sur-Seine, « Orgemont »", "01/02/2023"], ["2", "Œuvre", ""]]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "cp1252"),
        ("utf-16", "utf-16"),  # Teams: UTF-16 with a byte order mark
    ],
)
def test_encodings(encoding, expected):
    table = read(csv_bytes(ROWS, encoding=encoding))
    assert table.encoding == expected
    assert cells_of(table) == ROWS  # the BOM is not part of the first header


def test_latin_1_text_reads_as_windows_1252():
    content = csv_bytes([HEADER, ["1", "Hôpital Léon-Bérard à Hyères", ""]], encoding="latin-1")
    assert cells_of(read(content))[1][1] == "Hôpital Léon-Bérard à Hyères"


def test_a_file_converted_twice_is_refused_with_its_line():
    twice = csv_bytes([["id", "nom"], ["1", "Épinay"]]).decode("cp1252").encode("utf-8")
    error = refused(twice)
    assert str(error.error).startswith("Le fichier semble mal encodé : « Ã‰ » à la ligne 2")


def test_bytes_neither_utf_8_nor_windows_1252():
    content = csv_bytes(ROWS).replace("Œuvre".encode(), b"\x81uvre")
    assert "ni en UTF-8 ni en Windows-1252 (caractère illisible à la ligne 3)" in str(
        refused(content).error
    )


@pytest.mark.parametrize(
    "content", [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"  \r\n\r\n\t\r\n"]
)
def test_empty_files(content):
    assert str(refused(content).error) == "Le fichier est vide."


# --- Separators, quotes, empty lines --------------------------------------------------------

TRICKY = [
    HEADER,
    ["1", "Ville de Saint-Denis; CCAS, pôle santé", "15/03/2024"],
    ["2", 'Le "Relais" des Mureaux', ""],
    ["3", "Deux lignes\r\ndans une case", "\t"],
    ["", "", "31/12/2024"],
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_separators_and_quoted_fields(delimiter):
    table = read(csv_bytes(TRICKY, delimiter=delimiter))
    assert table.separator == delimiter
    assert cells_of(table) == TRICKY
    # A record on two lines is one row: the next one is numbered as a spreadsheet shows it.
    assert [row.number for row in table.sheets[0].rows] == [1, 2, 3, 4, 5]


ALPHABET = ["a", "É", "ç", " ", ";", ",", "\t", '"', "'", "\r\n", "\n", "1", "/", ":"]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_any_table_written_by_csv_reads_back_the_same(delimiter):
    """Randomised (seeded) round trip: whatever the cells hold (other separators, quotes, line
    breaks), the separator found is the one written and every filled row reads back equal."""
    draw = random.Random(f"separators {delimiter}")
    for _ in range(300):
        body = [
            ["".join(draw.choices(ALPHABET, k=draw.randint(0, 6))) for _ in HEADER]
            for _ in range(draw.randint(1, 8))
        ]
        table = read(csv_bytes([HEADER, *body], delimiter=delimiter))
        assert table.separator == delimiter
        filled = [row for row in [HEADER, *body] if any(c.strip() for c in row)]
        assert cells_of(table) == filled


def test_the_separator_is_the_one_that_finds_the_header():
    # Under ",", the second row has 5 cells, more than any row under ";" (3); but only ";"
    # makes a row name the expected columns.
    content = "Identifiant;Nom;Date de début\r\n1;Martin, Camille, Lou, Eva, Noé;\r\n".encode()
    assert read(content).separator == ";"
    # Without a header to look for, the separator is the one that fills the most cells.
    assert tabular.read_table(content, limits=SMALL).separator == ","


def test_the_header_may_sit_under_title_lines():
    content = csv_bytes([["Export du 12/03/2026"], [], HEADER, ["1", "Nom", ""]], delimiter="\t")
    table = read(content)
    assert table.separator == "\t"
    header = tabular.find_header(table, COLUMNS)
    assert header.row.number == 3
    assert [row.number for row in header.data_rows] == [4]


def test_a_tie_chooses_the_semicolon():
    assert tabular.choose_separator("a\r\nb\r\n", SMALL) == ";"


def test_empty_lines_are_skipped_and_numbers_kept():
    content = b"Identifiant;Nom\r\n\r\n1;A\r\n ; \r\n\r\n2;B\r\n\r\n"
    assert [(row.number, row.cells) for row in read(content).sheets[0].rows] == [
        (1, ["Identifiant", "Nom"]),
        (3, ["1", "A"]),
        (6, ["2", "B"]),
    ]


def test_an_unclosed_quote_is_reported_with_its_line():
    content = csv_bytes(ROWS) + b'3;"Bondy;01/01/2024\r\n'
    error = refused(content)
    assert str(error.error).startswith("Ligne 4 : Le fichier CSV est mal formé à la ligne 4")


# --- Formats --------------------------------------------------------------------------------


def test_formats_that_are_not_read():
    assert "Excel 97-2003 (.xls)" in str(refused(b"\xd0\xcf\x11\xe0" + b"\x00" * 100).error)
    assert "endommagé" in str(refused(b"PK\x03\x04" + b"\x00" * 100).error)
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument (.ods)" in str(refused(ods.getvalue()).error)
    xlsx = workbook_bytes(openpyxl.Workbook())
    error = refused(xlsx, formats=("csv",))
    assert str(error.error).startswith("Ce fichier est un classeur Excel")


@pytest.mark.parametrize("seed", range(5))
def test_binary_garbage(seed):
    garbage = random.Random(seed).randbytes(50_000)
    error = refused(garbage)
    assert "n'est ni en UTF-8" in str(error.error) or "données binaires" in str(error.error)
    assert error.work.rows == 0


def test_a_png_sent_as_a_csv():
    assert "données binaires" in str(refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").error)


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types_and_each_sheet_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active["A1"] = "À lire d'abord"
    sheet = workbook.create_sheet("Données")
    sheet.append(HEADER)
    sheet.append([1, "Bobigny", date(2024, 3, 15)])
    sheet.append([2.5, True, None])
    table = read(workbook_bytes(workbook))
    assert table.format == "xlsx"
    assert [s.title for s in table.sheets] == ["Notes", "Données"]
    assert cells_of(table, 1) == [
        HEADER,
        [1, "Bobigny", datetime(2024, 3, 15)],
        [2.5, True],  # a row ends at its last cell
    ]
    header = tabular.find_header(table, COLUMNS)
    assert header.sheet.title == "Données" and header.row.number == 1


def test_merged_header_cells_read_their_top_left_value():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Registre — mars 2026"
    sheet.merge_cells("A1:C1")
    sheet["A2"] = "Identifiant"
    sheet.merge_cells("A2:A3")
    sheet["B2"] = "Personne"
    sheet.merge_cells("B2:C2")
    sheet["B3"], sheet["C3"] = "Nom", "Date de début"
    sheet.append([7, "Martin", "01/01/2024"])
    rows = read(workbook_bytes(workbook)).sheets[0].rows
    assert [(row.number, row.cells, row.merged_from) for row in rows] == [
        (1, ["Registre — mars 2026"] * 3, {0: 1, 1: 1, 2: 1}),
        (2, ["Identifiant", "Personne", "Personne"], {0: 2, 1: 2, 2: 2}),
        (3, ["Identifiant", "Nom", "Date de début"], {0: 2}),
        (4, [7, "Martin", "01/01/2024"], {}),
    ]


def test_merged_cells_below_the_header_area_are_refused():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Registre"
    sheet.append(HEADER)
    for n in range(1, 10):
        sheet.append([n, "x", ""])
    sheet.merge_cells("B7:B8")
    error = refused(workbook_bytes(workbook))
    assert str(error.error) == (
        "Ligne 7 : Feuille « Registre » : cellules fusionnées B7:B8 en dehors de l'en-tête "
        "(lignes 1 à 5) : défusionnez-les."
    )


def test_values_beyond_the_last_column_allowed_are_refused_formatting_is_not():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.cell(row=2, column=40).font = Font(bold=True)  # formatted, empty: harmless
    table = read(workbook_bytes(workbook))
    assert cells_of(table) == [HEADER]
    sheet.cell(row=3, column=40, value="note")
    error = refused(workbook_bytes(workbook))
    assert str(error.error) == (
        "Ligne 3 : La feuille « Sheet » a des valeurs au-delà de la colonne J (colonne AN) : 10 "
        "colonnes au plus. Supprimez les colonnes en trop."
    )


# --- Headers --------------------------------------------------------------------------------


def test_column_names_match_whatever_their_accents_case_and_spacing():
    columns = Columns(["e-mail", "supprimé le", "QPV"], {"adresse électronique": "e-mail"})
    match = columns.match(["  ADRESSE  Électronique ", "Supprime_le", "qpv.", "Remarque", None])
    assert match.positions == {"e-mail": 0, "supprimé le": 1, "QPV": 2}
    assert match.unknown == ["Remarque"] and match.missing == []
    assert tabular.header_key("Durée (minutes)") == tabular.header_key("duree   MINUTES")


def test_a_column_named_twice_is_refused_with_its_letters():
    content = csv_bytes([["Identifiant", "Nom", "nom ", "Date de début"], ["1", "a", "b", ""]])
    with pytest.raises(FileRejected) as raised:
        tabular.find_header(read(content), COLUMNS)
    assert str(raised.value.error) == (
        "Ligne 1 : La colonne « nom » apparaît plusieurs fois dans l'en-tête (colonnes B, C) : "
        "des cellules d'en-tête fusionnées sur plusieurs colonnes ? Gardez une seule colonne de "
        "ce nom."
    )


def test_missing_columns_name_the_best_row():
    content = csv_bytes([["Liste"], ["Identifiant", "Nom"], ["1", "a"]])
    with pytest.raises(tabular.HeaderNotFound) as raised:
        tabular.find_header(read(content), COLUMNS)
    assert raised.value.best.row.number == 2
    assert raised.value.best.match.missing == ["date de début"]
    assert str(raised.value.error) == (
        "Ligne 2 : En-tête non reconnu : il manque la colonne « date de début ». La première "
        "ligne doit contenir : identifiant ; nom ; date de début."
    )


def test_the_header_is_looked_for_in_the_first_rows_only():
    content = csv_bytes([[f"titre {n}"] for n in range(SMALL.header_rows)] + [HEADER])
    with pytest.raises(tabular.HeaderNotFound):
        tabular.find_header(read(content), COLUMNS)


# --- Bounds: hostile files are refused early ------------------------------------------------


def test_a_file_too_large_is_refused_before_anything_is_read():
    error = refused(b"a;b\r\n" * 30_000)
    assert str(error.error) == "Le fichier dépasse 0,1 Mo."
    assert error.work == tabular.Work()


def test_wide_csv_200_000_columns():
    """The file that took 35 s: refused before `csv` splits its first line into cells."""
    content = (";".join(f"c{n}" for n in range(200_000)) + "\r\n").encode()
    error = refused(content, REAL)
    assert str(error.error).startswith("Ligne 1 : Plus de 65\u202f536 caractères sur une seule")
    assert error.work.rows == 0 and error.work.cells == 0


def test_csv_with_too_many_columns():
    content = (";".join(f"c{n}" for n in range(150)) + "\r\n").encode() * 2
    error = refused(content, REAL)
    assert str(error.error).startswith("Ligne 1 : 150 colonnes, pour 100 au plus")
    assert error.work.rows == 1


def test_deep_csv():
    content = b"Identifiant;Nom;Date de d\xc3\xa9but\r\n" + b"1;x;01/01/2024\r\n" * 100_000
    error = refused(content, REAL)
    assert str(error.error) == "Le fichier dépasse 10\u202f000 lignes : découpez-le."
    assert error.work.rows == REAL.max_row_number  # not one row more


def test_csv_with_too_many_cells():
    content = csv_bytes([["x"] * 99] * 5_000)
    error = refused(content, REAL)
    assert str(error.error).startswith("Le fichier compte plus de 300\u202f000 cases")
    assert error.work.cells <= REAL.max_cells + REAL.max_columns


def test_xlsx_with_a_huge_merged_range():
    """The 283 MB file: one range A2:Z19999 in a file of a few hundred bytes."""
    content = merged_bomb(HEADER)
    assert len(content) < 5_000
    tracemalloc.start()
    error = refused(content, REAL)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert str(error.error) == (
        "Ligne 2 : Cellules fusionnées trop étendues (A2:Z19999, 519\u202f948 cases) : les "
        "cellules fusionnées ne sont acceptées que dans l'en-tête, sur 1\u202f000 cases en tout. "
        "Défusionnez-les."
    )
    assert error.work.rows == 0 and error.work.xml_elements < 50
    assert peak < 2 * 1024 * 1024  # openpyxl never opened it


def test_xlsx_declaring_a_huge_dimension_is_read_for_what_it_holds():
    body = (
        '<dimension ref="A1:XFD1048576"/>'
        f'<sheetData>{header_row()}<row r="2">{text_cell("B2", "Martin")}</row></sheetData>'
    )
    table = read(raw_xlsx(("S", body)), REAL)
    assert cells_of(table) == [HEADER, [None, "Martin"]]
    assert table.work.rows == 2 and table.work.cells == 5


def test_xlsx_with_a_cell_in_the_far_corner():
    """What makes a naive reader build 17 billion cells: refused at the first row too far."""
    body = (
        '<dimension ref="A1:XFD1048576"/>'
        f'<sheetData>{header_row()}<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
        "</sheetData>"
    )
    error = refused(raw_xlsx(("Registre", body)), REAL)
    assert str(error.error).startswith("La feuille « Registre » dépasse 10\u202f000 lignes")
    assert error.work.rows == REAL.max_row_number and error.work.cells == 3


def test_xlsx_zip_bomb():
    """40 MB of XML in a few kilobytes: refused on the sizes the zip declares."""
    padding = " " * (40 * 1024 * 1024)
    body = f"<sheetData>{header_row()}</sheetData>{padding}"
    content = raw_xlsx(("S", body))
    assert len(content) < 100_000
    error = refused(content, REAL)
    assert str(error.error).startswith(
        "Le fichier Excel est trop volumineux une fois décompressé (40,0 Mo, 20 Mo au plus)"
    )
    assert error.work.xml_elements == 0


def test_xlsx_with_too_many_cells_is_refused_before_openpyxl_reads_it():
    cells = "<c/>" * (REAL.max_cells + 1_000)  # 4 bytes a cell, well under the unzipped bound
    error = refused(raw_xlsx(("S", f'<sheetData><row r="1">{cells}</row></sheetData>')), REAL)
    assert str(error.error).startswith("Le classeur compte plus de 300\u202f000 cases")
    assert error.work.rows == 0
    assert error.work.xml_elements <= REAL.max_cells + 20


def test_xlsx_with_too_many_shared_strings():
    strings = "<si><t/></si>" * (SMALL.max_cells + 1)
    parts = {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>'}
    error = refused(raw_xlsx(("S", "<sheetData/>"), parts=parts))
    assert str(error.error).startswith("Le classeur compte plus de 400 textes")
    assert error.work.rows == 0


def test_xlsx_with_an_entity_bomb():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<sst xmlns="{MAIN}"><si><t>&lol2;</t></si></sst>'
    )
    error = refused(raw_xlsx(("S", "<sheetData/>"), parts={"xl/sharedStrings.xml": laughs}))
    assert "n'est pas un classeur Excel (.xlsx) lisible" in str(error.error)
    assert error.work.rows == 0


def test_xlsx_with_too_many_sheets():
    limits = Limits(max_bytes=10**6, max_rows=10, max_columns=10, max_cells=100, max_sheets=3)
    content = raw_xlsx(*[(f"F{n}", "<sheetData/>") for n in range(4)])
    error = refused(content, limits)
    assert str(error.error) == (
        "Le classeur compte 4 feuilles, pour 3 au plus : supprimez les feuilles inutiles."
    )


def test_an_xlsx_without_any_value_is_empty():
    assert str(refused(workbook_bytes(openpyxl.Workbook())).error) == "Le fichier est vide."
