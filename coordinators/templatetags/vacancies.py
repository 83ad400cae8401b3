"""The vacancy line of a post on the register's pages: "Offre publiée" with its link, or
"Publier l'offre" for those who may. The facts of all the page's posts are read once per
rendering (`vacancies.post_vacancy_facts`), so the page's queries do not grow with its posts."""

from django import template
from django.utils import timezone

from coordinators import vacancies

register = template.Library()


@register.inclusion_tag("coordinators/vacancies/_post_line.html", takes_context=True)
def post_vacancy(context, post, posts):
    """`post` among `posts` (the page's posts, annotated by `selectors.posts_at`)."""
    key = ("post_vacancy", tuple(p.pk for p in posts))
    facts = context.render_context.get(key)
    if facts is None:
        facts = vacancies.post_vacancy_facts(context["access"], posts, timezone.localdate())
        context.render_context[key] = facts
    vacancy, may_publish = facts.get(post.pk, (None, False))
    return {"post": post, "vacancy": vacancy, "may_publish": may_publish}
