"""The map's filters: the directory's, whose results follow on the map instead of the list."""

import re

from django.urls import reverse

from .directory import DirectoryFilterForm

INSEE_CODE = re.compile(r"\d[\dAB]\d{3}")


class MapFilterForm(DirectoryFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"hx-get": reverse("directory_map"), "hx-target": "#carte"}
        )


def opened_commune(params):
    """The INSEE code of the commune whose panel is open (`insee` in the URL), "" if none;
    None if what the URL holds cannot be one."""
    code = params.get("insee", "").strip()
    if not code:
        return ""
    return code.upper() if INSEE_CODE.fullmatch(code.upper()) else None
