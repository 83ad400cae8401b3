# Production image: gunicorn serves the app, whitenoise the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=promosante.settings.production

WORKDIR /app
RUN useradd --create-home --uid 1000 app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
# collectstatic needs settings but no secret: give it throwaway values at build time only.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0
USER app
EXPOSE 8000
CMD ["gunicorn", "promosante.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
