# One image for web, workers, beat and the mock platform; the command differs per service.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY portal ./portal
COPY applications ./applications
COPY approvals ./approvals
COPY govdata ./govdata
COPY templates ./templates
COPY static ./static
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && DJANGO_ENV=production SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-000000 \
       ALLOWED_HOSTS=build GOVDATA_KEY=build PAYMENT_KEY=build COURIER_KEY=build SMS_BACKEND=notifications.backends.HttpGatewayBackend PERSONAL_DATA_KEYS=build PERSONAL_DATA_HASH_KEY=build python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 portal
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
