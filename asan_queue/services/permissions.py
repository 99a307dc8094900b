"""Who may do what: the one place for staff permissions.

Roles (domain.statuses.Role): an admin works across every center; a supervisor and an
operator belong to one center. Every check here raises domain.errors.Forbidden with a
stable code, so the API, the desk, the back office and the sockets refuse alike."""

from __future__ import annotations

from ..domain.errors import Forbidden
from ..domain.statuses import Role
from ..models import User


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN


def is_supervisor_of(user: User, center_id: int) -> bool:
    """An admin, or a supervisor of this center."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and user.center_id == center_id


def belongs_to(user: User, center_id: int) -> bool:
    """An admin, or any staff member of this center."""
    return user.role == Role.ADMIN or user.center_id == center_id


def may_supervise(user: User, center_id: int) -> None:
    """An admin, or a supervisor of this center. Raises Forbidden (wrong_center)."""
    if not is_supervisor_of(user, center_id):
        raise Forbidden(
            "only an admin or this center's supervisor may do this", code="wrong_center"
        )


def may_work_in(user: User, center_id: int) -> None:
    """An admin, or staff of this center (counters, desks). Raises Forbidden (wrong_center)."""
    if not belongs_to(user, center_id):
        raise Forbidden("you can only work counters of your own center", code="wrong_center")


def may_see(user: User, center_id: int) -> None:
    """An admin, or staff of this center (staff-only lists). Raises Forbidden (wrong_center)."""
    if not belongs_to(user, center_id):
        raise Forbidden("you can only see your own center", code="wrong_center")


def may_issue_anyway(user: User) -> None:
    """Issuing outside the walk-in rules: a supervisor or an admin. Raises Forbidden."""
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("only a supervisor or an admin may issue anyway", code="wrong_role")


def own_center_id(user: User) -> int | None:
    """The center a user's lists are limited to: None for an admin (every center).
    Raises Forbidden for staff with no center."""
    if user.role == Role.ADMIN:
        return None
    if user.center_id is None:
        raise Forbidden("you have no center", code="wrong_center")
    return user.center_id


def may_administer(user: User) -> None:
    """Installation-wide changes (new centers, the national agencies, admins): an admin only.
    Raises Forbidden (wrong_role)."""
    if user.role != Role.ADMIN:
        raise Forbidden("only an admin may do this", code="wrong_role")


def may_manage_user(user: User, role: str, center_id: int | None) -> None:
    """Creating or changing an account of `role` at `center_id`: an admin, any; a supervisor,
    operators of their own center. Raises Forbidden (wrong_role, wrong_center)."""
    if user.role == Role.ADMIN:
        return
    if user.role != Role.SUPERVISOR or role != Role.OPERATOR:
        raise Forbidden("only an admin may manage this account", code="wrong_role")
    if center_id != user.center_id:
        raise Forbidden("you can only manage your own center's staff", code="wrong_center")


def may_open_back_office(user: User) -> None:
    """The back office: admins and supervisors. Raises Forbidden (wrong_role)."""
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("the back office is for admins and supervisors", code="wrong_role")
