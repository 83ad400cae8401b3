from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_library_audience_and_requests")]

    operations = []
