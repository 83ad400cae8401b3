import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Tutoring sessions are agenda events of kind "tutoring": remind both people the day before and
# an hour before (with the video link). Staff change them on /gestion/rappels/.
TUTORING_REMINDER_RULES = [(1, 0, False), (0, 1, True)]


def create_reminder_rules(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for days, hours, video in TUTORING_REMINDER_RULES:
        ReminderRule.objects.get_or_create(
            kind="tutoring",
            days_before=days,
            hours_before=hours,
            defaults={"with_video_link": video},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0004_guests_without_email_are_not_one"),
        ("notifications", "0001_initial"),
        ("network", "0004_peer_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TutoringPair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('requested', 'Demande en attente'), ('active', 'Tutorat en cours'), ('declined', 'Demande déclinée'), ('withdrawn', 'Demande retirée'), ('ended', 'Tutorat terminé')], default='requested', max_length=10, verbose_name='état')),
                ('message', models.TextField(blank=True, verbose_name='message de la demande')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='demandé le')),
                ('answer', models.TextField(blank=True, verbose_name='réponse du tuteur ou de la tutrice')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='répondu le')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='début')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='fin')),
                ('newcomer_feedback', models.TextField(blank=True, verbose_name='bilan du nouveau ou de la nouvelle')),
                ('tutor_feedback', models.TextField(blank=True, verbose_name='bilan du tuteur ou de la tutrice')),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='terminé par')),
                ('newcomer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tutoring_as_newcomer', to=settings.AUTH_USER_MODEL, verbose_name='nouveau·elle coordinateur·rice')),
                ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposé par')),
                ('tutor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tutoring_as_tutor', to=settings.AUTH_USER_MODEL, verbose_name='tuteur·rice')),
            ],
            options={
                'verbose_name': 'tutorat',
                'verbose_name_plural': 'tutorats',
                'ordering': ['-requested_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='TutoringNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='écrite le')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur·rice')),
                ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='network.tutoringpair', verbose_name='tutorat')),
            ],
            options={
                'verbose_name': 'note de tutorat',
                'verbose_name_plural': 'notes de tutorat',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='TutoringSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='tutoring_session', to='agenda.event', verbose_name='événement')),
                ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='network.tutoringpair', verbose_name='tutorat')),
            ],
            options={
                'verbose_name': 'séance de tutorat',
                'verbose_name_plural': 'séances de tutorat',
            },
        ),
        migrations.AddIndex(
            model_name='tutoringpair',
            index=models.Index(fields=['tutor', 'status'], name='network_tut_tutor_i_8bbc78_idx'),
        ),
        migrations.AddConstraint(
            model_name='tutoringpair',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['requested', 'active'])), fields=('newcomer',), name='one_open_tutoring_per_newcomer'),
        ),
        migrations.AddConstraint(
            model_name='tutoringpair',
            constraint=models.CheckConstraint(condition=models.Q(('tutor__isnull', True), models.Q(('tutor', models.F('newcomer')), _negated=True), _connector='OR'), name='tutor_is_not_the_newcomer'),
        ),
        migrations.RunPython(create_reminder_rules, migrations.RunPython.noop),
    ]
