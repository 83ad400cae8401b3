"""French in templates: `{{ name|de }}` → "de Julien" or "d’Elena"; `{{ name|que }}`."""

from django import template

from core import text

register = template.Library()

register.filter("de", text.de)
register.filter("que", text.que)
