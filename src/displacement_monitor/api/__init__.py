"""HTTP API and dashboard: ``create_app`` builds the app, ``serve`` runs it, ``add_user`` issues tokens."""

from displacement_monitor.api.app import create_app, serve
from displacement_monitor.api.auth import add_user
from displacement_monitor.api.settings import Settings, get_settings

__all__ = ["Settings", "add_user", "create_app", "get_settings", "serve"]
