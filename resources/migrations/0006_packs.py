"""Packs for elected officials and managers, and the links that share them (issue #13)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0005_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Pack',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('audience_line', models.CharField(help_text='En une phrase : à qui ce pack s’adresse (« Pour les élu·es d’une commune qui lance un CLS »).', max_length=300, verbose_name='pour qui')),
                ('introduction', models.TextField(blank=True, help_text='Markdown accepté. Lue en tête de la page partagée.', verbose_name='introduction')),
                ('is_published', models.BooleanField(default=False, help_text='Un pack publié peut être partagé par les coordinateur·rices.', verbose_name='publié')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par')),
            ],
            options={
                'verbose_name': 'pack de ressources',
                'verbose_name_plural': 'packs de ressources',
                'ordering': ['title', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='PackItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='pourquoi cette ressource')),
                ('pack', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='resources.pack', verbose_name='pack')),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pack_items', to='resources.resource', verbose_name='ressource')),
            ],
            options={
                'verbose_name': 'ressource d’un pack',
                'verbose_name_plural': 'ressources d’un pack',
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('pack', 'resource'), name='pack_item_once_per_pack')],
            },
        ),
        migrations.CreateModel(
            name='PackLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(editable=False, max_length=64, unique=True, verbose_name='jeton')),
                ('label', models.CharField(max_length=200, verbose_name='pour qui')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('expires_at', models.DateTimeField(verbose_name='expire le')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='révoqué le')),
                ('open_count', models.PositiveIntegerField(default=0, verbose_name='ouvertures')),
                ('last_opened_at', models.DateTimeField(blank=True, null=True, verbose_name='dernière ouverture')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pack_links', to=settings.AUTH_USER_MODEL, verbose_name='partagé par')),
                ('pack', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='resources.pack', verbose_name='pack')),
            ],
            options={
                'verbose_name': 'lien de partage d’un pack',
                'verbose_name_plural': 'liens de partage de packs',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['created_by', '-created_at'], name='packlink_by_sharer')],
            },
        ),
    ]
