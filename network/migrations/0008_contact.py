"""contact"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0007_questions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(max_length=150, verbose_name="objet")),
                ("body", models.TextField(max_length=5000, verbose_name="message")),
                (
                    "delivery_key",
                    models.CharField(blank=True, max_length=200, verbose_name="envoi"),
                ),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="envoyé le")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_messages_received",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="destinataire",
                    ),
                ),
                (
                    "sender",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_messages_sent",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expéditeur·rice",
                    ),
                ),
            ],
            options={
                "verbose_name": "message à un pair",
                "verbose_name_plural": "messages à des pairs",
                "ordering": ["-sent_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["sender", "sent_at"], name="network_con_sender__dadf4a_idx"
                    )
                ],
            },
        ),
    ]
