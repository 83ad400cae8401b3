from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0008_contact")]

    operations = []
