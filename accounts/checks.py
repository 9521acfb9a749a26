"""System checks of the security settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


def register_checks() -> None:
    """Called from AccountsConfig.ready()."""
    register(two_factor_required, Tags.security, deploy=True)


def two_factor_required(app_configs, **kwargs):
    """Production (DEBUG off) never runs without two-factor authentication."""
    if settings.REQUIRE_2FA or settings.DEBUG:
        return []
    return [
        Error(
            "REQUIRE_2FA is off with DEBUG off: the admin is reachable with a "
            "password alone.",
            hint="Unset REQUIRE_2FA (it defaults to true); turn it off only for "
            "local development (make run).",
            id="medborgarlofte.E001",
        )
    ]
