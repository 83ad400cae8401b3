"""The library's files: how a resource's content is served (only ever through a view that has
checked who asks: never a public URL guessed from an id)."""

from pathlib import PurePath

from django.http import FileResponse
from django.shortcuts import redirect

INLINE = {".pdf", ".txt", ".csv", ".png", ".jpg"}  # shown by the browser; others downloaded
TEXT = {  # text is written in UTF-8 here: say so, or browsers read it as Latin-1
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}


def content_response(resource):
    """The response that opens `resource`'s content: its file, else its link. None when the file
    is missing and there is no link. The caller has checked that the person may open it."""
    if resource.file:
        try:
            content = resource.file.open("rb")
        except FileNotFoundError:
            content = None
        if content is not None:
            name = PurePath(resource.file.name).name
            suffix = PurePath(name).suffix.lower()
            return FileResponse(
                content,
                filename=name,
                as_attachment=suffix not in INLINE,
                content_type=TEXT.get(suffix),  # None: guessed from the name
            )
    return redirect(resource.url) if resource.url else None
