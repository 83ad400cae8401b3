"""Markdown that people write, as a page shows it and as an excerpt of a list shows it."""

from django.template import Context, Template

from core.templatetags.rich_text import markdown, markdown_text

HOSTILE = (
    "Les actions sont **prioritaires** :\n\n- dépôt ;\n- relecture.\n\n"
    "<script>alert('xss')</script> <iframe src=\"https://evil.example.org\"></iframe> "
    "[programme](javascript:alert(1)) & « guillemets »"
)


def test_the_page_keeps_the_marks_and_drops_what_runs():
    html = markdown(HOSTILE)
    assert "<strong>prioritaires</strong>" in html and "<li>" in html
    assert "<script" not in html and "<iframe" not in html and "javascript:" not in html


def test_an_excerpt_is_the_words_alone():
    text = markdown_text(HOSTILE)
    assert text == "Les actions sont prioritaires : dépôt ; relecture. programme & « guillemets »"


def test_an_excerpt_is_escaped_by_the_template_as_any_text():
    rendered = Template("{% load rich_text %}{{ body|markdown_text|truncatewords:3 }}").render(
        Context({"body": "Un *mot* <b>gras</b> & d'autres encore"})
    )
    assert rendered == "Un mot gras …"
    rendered = Template("{% load rich_text %}{{ body|markdown_text }}").render(
        Context({"body": "a &lt;b&gt; & c"})
    )
    assert rendered == "a &lt;b&gt; &amp; c"
