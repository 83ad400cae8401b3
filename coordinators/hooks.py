"""What the register lets higher floors take part in (see `core.hooks`)."""

from core.hooks import Hook

profile_form = Hook(
    "profile_form",
    """handler(form): add fields to a coordinator's profile form (`CoordinatorDetailsForm`, in
    `form.fields`); a field refining a free text is shown after it: its name is appended to
    `form.extra_fields["can_help_with"]` or `form.extra_fields["looking_for"]`; a setting of the
    person's exchanges with peers to `form.extra_fields["exchanges"]` (a section of its own).
    `form.instance` is the profile.""",
)

profile_saved = Hook(
    "profile_saved",
    """handler(profile, data): a coordinator's profile was saved; `data` holds the cleaned values
    of the fields added by `profile_form`. Runs in the saving transaction.""",
)
