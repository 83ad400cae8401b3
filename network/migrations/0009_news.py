import django.db.models.deletion
import network.models.news
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("network", "0008_contact"),
        ("territories", "0002_commune_folded_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NewsFeed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=network.models.news.new_feed_token, max_length=64, unique=True
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now=True, verbose_name="créée le")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="news_feed",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="personne",
                    ),
                ),
            ],
            options={
                "verbose_name": "flux d’actualités personnel",
                "verbose_name_plural": "flux d’actualités personnels",
            },
        ),
        migrations.CreateModel(
            name="NewsPost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titre")),
                ("body", models.TextField(blank=True, verbose_name="texte")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("news", "Actualité"),
                            ("call", "Appel à projets"),
                            ("training", "Formation extérieure"),
                            ("job", "Offre d’emploi"),
                            ("network", "Vie du réseau"),
                        ],
                        default="news",
                        max_length=10,
                        verbose_name="catégorie",
                    ),
                ),
                ("pinned", models.BooleanField(default=False, verbose_name="épinglée")),
                ("link", models.URLField(blank=True, max_length=500, verbose_name="lien")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Brouillon"), ("published", "Publiée")],
                        default="draft",
                        max_length=10,
                        verbose_name="statut",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="publiée le"),
                ),
                (
                    "expires_on",
                    models.DateField(blank=True, null=True, verbose_name="expire après le"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créée le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="news_posts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="auteur·rice",
                    ),
                ),
                (
                    "departments",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="territories.department",
                        verbose_name="départements concernés",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="news_posts",
                        to="accounts.organisation",
                        verbose_name="au nom de",
                    ),
                ),
            ],
            options={
                "verbose_name": "actualité",
                "verbose_name_plural": "actualités",
                "ordering": ["-pinned", "-published_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["status", "-pinned", "-published_at"], name="network_news_board"
                    )
                ],
            },
        ),
    ]
