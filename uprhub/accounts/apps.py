from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uprhub.accounts"
    verbose_name = "Accounts and organisations"
