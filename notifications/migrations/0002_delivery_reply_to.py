from django.db import migrations, models


class Migration(migrations.Migration):
    """A peer's message relayed by e-mail: a reply goes to its sender."""

    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="reply_to",
            field=models.EmailField(blank=True, max_length=254, verbose_name="répondre à"),
        ),
    ]
