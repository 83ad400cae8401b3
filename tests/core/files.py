"""Spreadsheet files written byte by byte, for the tests of the imports: hostile ones above all."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_xlsx(*sheets, parts=None, compress=zipfile.ZIP_DEFLATED):
    """`sheets`: (title, XML inside <worksheet>); `parts`: more {name: bytes or text}."""
    buffer = io.BytesIO()
    numbers = range(1, len(sheets) + 1)
    with zipfile.ZipFile(buffer, "w", compress) as package:
        package.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for n in numbers
            )
            + "</Types>",
        )
        package.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        package.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
            + "".join(
                f'<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (title, _) in zip(numbers, sheets, strict=True)
            )
            + "</sheets></workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{DOC}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in numbers
            )
            + "</Relationships>",
        )
        for n, (_, body) in zip(numbers, sheets, strict=True):
            package.writestr(
                f"xl/worksheets/sheet{n}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{body}'
                "</worksheet>",
            )
        for name, data in (parts or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def text_cell(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def merged_bomb(header):
    """A few hundred bytes: a header row, and one merged range A2:Z19999 (519,948 cells), the
    file that cost 283 MB and 5 s before the reader was bounded."""
    cells = "".join(text_cell(f"{chr(ord('A') + n)}1", name) for n, name in enumerate(header))
    return raw_xlsx(
        (
            "Registre",
            f'<sheetData><row r="1">{cells}</row></sheetData>'
            '<mergeCells count="1"><mergeCell ref="A2:Z19999"/></mergeCells>',
        )
    )
