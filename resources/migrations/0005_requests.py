from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_versions_and_materials")]

    operations = []
