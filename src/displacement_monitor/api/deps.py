"""Request dependencies: settings, a database session per request, the caller and their role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from displacement_monitor.api.auth import find_user, role_allows
from displacement_monitor.api.settings import Settings
from displacement_monitor.store import Store


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def db_session(store: Annotated[Store, Depends(app_store)]) -> Iterator[Session]:
    """One session per request, committed when the handler succeeds, rolled back otherwise."""
    with store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(db_session)]
SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[Store, Depends(app_store)]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: a named user with a role, or ``anonymous`` (reads only, if open)."""

    name: str
    role: str | None


ANONYMOUS = Caller("anonymous", None)
_UNAUTHORISED = {"WWW-Authenticate": "Bearer"}


def current_caller(
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Caller:
    """The token's user; a token that is present but wrong is always 401, never anonymous."""
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "expected 'Authorization: Bearer <token>'", headers=_UNAUTHORISED
        )
    user = find_user(session, token.strip())
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or disabled token", headers=_UNAUTHORISED)
    return Caller(user.name, user.role)


CallerDep = Annotated[Caller, Depends(current_caller)]


def reader(caller: CallerDep, settings: SettingsDep) -> Caller:
    """Reads: anyone when reads are open, else any valid token."""
    if caller.role is None and not settings.open_reads:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a token is required", headers=_UNAUTHORISED)
    return caller


def requires(role: str) -> Callable[[Caller], Caller]:
    """A dependency admitting callers whose role is at least ``role``."""

    def check(caller: CallerDep) -> Caller:
        if caller.role is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a token is required", headers=_UNAUTHORISED)
        if not role_allows(caller.role, role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"the {role} role is required")
        return caller

    return check


ReaderDep = Annotated[Caller, Depends(reader)]
AnalystDep = Annotated[Caller, Depends(requires("analyst"))]
