import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promosante.settings.production")

application = get_wsgi_application()

# What loading the project allocated lives as long as the worker: moved out of the garbage
# collector's sight, a full collection during a request no longer walks it (tens of
# milliseconds on the dashboard's pages, docs/performance.md).
gc.freeze()
