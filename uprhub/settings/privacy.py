"""How long personal data that has served its purpose is kept (`uprhub purge`, /privacy/)."""

from .env import env_int, env_list

# List subscriptions never confirmed by their e-mail link (and addresses left with none).
UPRHUB_RETENTION_UNCONFIRMED_DAYS = env_int("UPRHUB_RETENTION_UNCONFIRMED_DAYS", 7)
# Per-address delivery records of list posts and deadline reminders, after sending.
UPRHUB_RETENTION_DELIVERY_LOG_DAYS = env_int("UPRHUB_RETENTION_DELIVERY_LOG_DAYS", 180)

# Consultations ("Listen"): Fernet keys for participants' identities, newest first,
# comma-separated (rotation: .env.example). Empty: derived from SECRET_KEY, for
# development only (`check --deploy` warns).
UPRHUB_CONSULTATION_KEYS = env_list("UPRHUB_CONSULTATION_KEYS", [])
# Days a keyed hash of a participant's client address is kept (at most 7).
UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS = min(env_int("UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS", 7), 7)
# Days after a consultation closes before its participants' identities and original
# (unredacted) words are deleted; the redacted, anonymised testimony stays.
UPRHUB_CONSULTATION_RETENTION_DAYS = env_int("UPRHUB_CONSULTATION_RETENTION_DAYS", 180)
