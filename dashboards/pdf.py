"""The report as a PDF, drawn by WeasyPrint from the printable page's HTML and its stylesheet.

WeasyPrint needs Pango and HarfBuzz (system libraries): where they are missing (the demo on a
laptop), `html_to_pdf` raises `PdfUnavailable` and the page says to print the printable page
instead. Nothing outside the document is fetched: the stylesheet is given, every URL refused."""

from django.contrib.staticfiles import finders

STYLESHEET = "css/report.css"


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here (its libraries are missing)."""


def _weasyprint():
    import weasyprint  # loads Pango through cffi: OSError when it is missing

    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """The PDF of the standalone HTML document `html`, styled by the report's stylesheet."""
    try:
        weasyprint = _weasyprint()
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    from weasyprint.urls import URLFetcher

    refuse_all = URLFetcher(allowed_protocols=())
    with open(finders.find(STYLESHEET), encoding="utf-8") as file:
        stylesheet = weasyprint.CSS(string=file.read(), url_fetcher=refuse_all)
    document = weasyprint.HTML(string=html, url_fetcher=refuse_all)
    # Tagged: headings, lists and tables stay readable by screen readers (public sector).
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)
