from django.db import migrations

# The programme's defaults for the agenda's event kinds (staff edit them on /gestion/rappels/).
DEFAULT_RULES = [
    ("webinar", 7, 0, False, False),
    ("webinar", 1, 0, False, False),
    ("webinar", 0, 1, True, False),
    ("regional_day", 14, 0, False, False),
    ("regional_day", 2, 0, False, True),
    ("site_visit", 7, 0, False, True),
    ("working_group", 2, 0, True, False),
]


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for kind, days, hours, video, access in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            kind=kind,
            days_before=days,
            hours_before=hours,
            defaults={"with_video_link": video, "with_access": access},
        )


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial"), ("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
