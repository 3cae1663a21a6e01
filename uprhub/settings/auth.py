"""Accounts, roles and the limits on public forms."""

# People log in with their e-mail address; accounts made by hand may still use a username.
AUTHENTICATION_BACKENDS = [
    "uprhub.accounts.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

# Links in sign-up verification, password-reset and taskforce invitation e-mails expire
# after three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
UPRHUB_EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 60 * 60

# Focus themes offered in profiles and taskforce applications come from this vocabulary.
UPRHUB_FOCUS_THEME_VOCABULARY = "uprinfo-issues"

# Attempts allowed per client address: "count/period", period in s, m, h or d
# (e.g. "5/h", "10/5m"). Counted in the shared "ratelimit" cache (settings/cache.py,
# uprhub.core.antispam). "login" covers the site's and the admin site's log-in pages together.
# "*_address" scopes count per target e-mail address, whatever client sends the form.
UPRHUB_RATE_LIMITS = {
    "signup": "5/h",
    "signup_address": "3/h",
    "apply": "5/h",
    "apply_address": "3/h",
    "login": "10/5m",
    "password_reset": "5/h",
    "password_reset_address": "3/h",
    "verify": "30/h",
    "list_subscribe": "5/h",
    "list_preferences": "5/h",
    "list_token": "30/h",
    "list_address": "3/h",
    "testimony": "10/h",
    "receipt": "30/h",
}
