"""Timing rules: when a reminder of a thing that starts at a given moment is due."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone


def at_local(day, clock):
    """`day` at `clock`, Paris time."""
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_default_timezone())


def reminder_due(starts_at, rule):
    """J-n: the same Paris clock time n calendar days before; then H-n in real hours."""
    local = timezone.localtime(starts_at)
    due = at_local(local.date() - timedelta(days=rule.days_before), local.time())
    return due.astimezone(UTC) - timedelta(hours=rule.hours_before)  # real hours, in UTC
