"""Writing a table for a spreadsheet: CSV (";", UTF-8 with a BOM, as a French spreadsheet opens
it) or XLSX (one sheet, a bold header; or a workbook of several). Numbers are written as
numbers; every other value as text, never as a formula: a value that a spreadsheet would run
(`=`, `+`, `-`, `@`, a tab or a carriage return first) is kept as text with a leading
apostrophe in CSV, and typed as a string in XLSX."""

import codecs
import csv
import io
import re

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_SHEET_CHARACTERS = re.compile(r"[\\/*?:\[\]]")


def _csv_text(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _xlsx_cell(sheet, value):
    """A number stays a number (a spreadsheet sums it); anything else is typed as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def table_csv(columns, rows) -> bytes:
    """`rows` (iterables of strings) under the header `columns`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def table_xlsx(columns, rows, *, sheet_title, widths=()) -> bytes:
    """One sheet named `sheet_title`, a bold header, the columns `widths` wide (when given)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cells.append(_xlsx_cell(sheet, value))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_xlsx(sheets, *, width=34) -> bytes:
    """Several sheets in one workbook: `sheets` is [(title, lines)], each line a list of
    values (text, as `table_xlsx` writes them); the first column `width` wide. A title is
    cut to the 31 characters a sheet name may have, and made unique."""
    workbook = openpyxl.Workbook(write_only=True)
    seen = set()
    for title, lines in sheets:
        name = ILLEGAL_SHEET_CHARACTERS.sub(" ", title)[:31] or "Feuille"
        while name in seen:
            name = f"{name[:28]} {len(seen)}"
        seen.add(name)
        sheet = workbook.create_sheet(name)
        sheet.column_dimensions["A"].width = width
        for line in lines:
            cells = []
            for value in line:
                cells.append(_xlsx_cell(sheet, value))
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
