from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0006_experience_notes")]

    operations = []
