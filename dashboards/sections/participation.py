"""(being written)"""

from ..tables import Section


def build(context) -> Section:
    return Section("participation", "")
