from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_requests")]

    operations = []
