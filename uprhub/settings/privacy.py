"""How long personal data that has served its purpose is kept (`uprhub purge`, /privacy/)."""

from .env import env_int

# List subscriptions never confirmed by their e-mail link (and addresses left with none).
UPRHUB_RETENTION_UNCONFIRMED_DAYS = env_int("UPRHUB_RETENTION_UNCONFIRMED_DAYS", 7)
# Per-address delivery records of list posts and deadline reminders, after sending.
UPRHUB_RETENTION_DELIVERY_LOG_DAYS = env_int("UPRHUB_RETENTION_DELIVERY_LOG_DAYS", 180)
