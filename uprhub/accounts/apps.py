from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "uprhub.accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from .services import ensure_role_groups_after_migrate

        # Role groups are reference data: (re)create them after every migrate and flush.
        post_migrate.connect(
            ensure_role_groups_after_migrate, dispatch_uid="uprhub.accounts.role_groups"
        )
