from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0002_default_lists")]

    operations = []
