"""French in templates: `{{ name|de }}` → "de Julien" or "d’Elena"; `{{ name|que }}`;
`{{ name|que_before }}<strong>{{ name }}</strong>` when the name is set apart."""

from django import template

from core import text

register = template.Library()

register.filter("de", text.de)
register.filter("que", text.que)
register.filter("que_before", text.que_before)
