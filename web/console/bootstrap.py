"""Development accounts: created on first start in development, never usable anywhere else."""
from __future__ import annotations

import logging

from intake.store.accounts import Accounts
from web.console.config import DEV_PASSWORD

log = logging.getLogger(__name__)

DEV_ACCOUNTS = (("dev-nurse", "nurse"), ("dev-admin", "admin"))


def ensure_dev_accounts(accounts: Accounts, password: str) -> list[str]:
    """Create the missing development accounts and say so once, in the server log."""
    created = [name for name, role in DEV_ACCOUNTS if accounts.ensure(name, password, role)]
    if created:
        shown = f"password {password!r}" if password == DEV_PASSWORD else "password from INTAKE_DEV_PASSWORD"
        print(f"Development accounts created: {', '.join(created)} ({shown}). "
              "They exist only because INTAKE_ENV=development.", flush=True)
    return created


def disable_dev_accounts(accounts: Accounts) -> list[str]:
    """Outside development: disable development accounts that still have the built-in password.

    They appear when a development start ran against this database; leaving them would
    put a published password on real patient data.
    """
    disabled = []
    for name, _role in DEV_ACCOUNTS:
        user = accounts.by_name(name)
        if user and user.active and accounts.password_matches(name, DEV_PASSWORD):
            accounts.set_active(name, False)
            disabled.append(name)
    if disabled:
        log.error("disabled %s: development accounts with the built-in password must not exist outside "
                  "development", ", ".join(disabled))
    return disabled
