"""How mutual help (questions) takes part in the floors below (see `core.hooks`): the outbox
links an e-mail about a question to its page."""

from django.urls import reverse

from notifications.registry import TOPICS, Topic

TOPICS.register(
    "question", Topic("Question aux pairs", url=lambda pk: reverse("question", args=[pk]))
)
