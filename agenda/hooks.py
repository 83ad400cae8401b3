"""What the agenda lets higher floors take part in (see `core.hooks`)."""

from core.hooks import Hook

attendance_recorded = Hook(
    "attendance_recorded",
    """handler(registrations): people were recorded present (check-in, import); learning
    completes the matching pathway steps.""",
)

attendance_undone = Hook(
    "attendance_undone",
    """handler(registration): a presence recorded by mistake was undone.""",
)

event_facts = Hook(
    "event_facts",
    """handler(event) -> list[core.hooks.Fact]: lines a higher floor adds to an event's page
    (the offer it is a session of).""",
)

event_materials = Hook(
    "event_materials",
    """handler(event, access) -> list[core.hooks.Fact]: the documents attached to an event
    (its replay, slides, materials) that `access` may read, each a line with its link (a path
    of the site); shown on the event's page and in the follow-up e-mail after it.""",
)

event_form = Hook(
    "event_form",
    """handler(form): add fields to the event form (in `form.fields`, their names appended to
    `form.extra_fields`, shown in its "Organisation" part); `form.access` says who edits,
    `form.instance` is the event (unsaved when new).""",
)

event_saved = Hook(
    "event_saved",
    """handler(event, data, access): the event form was saved; `data` is its cleaned data,
    the extra fields included. Runs in the saving transaction.""",
)
