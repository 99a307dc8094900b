"""Staff endpoints: tokens, counter actions, today's tickets with their audit trail."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...clock import now_utc
from ...domain.errors import ValidationError
from ...domain.numbering import local_day
from ...domain.statuses import Role
from ...extensions import db
from ...models import Counter, Ticket
from ...schemas import centers as c
from ...schemas import staff as st
from ...schemas import tickets as t
from ...schemas import whatif as wi
from ...schemas.paths import CenterPath, CounterPath
from ...services import auth as auth_service
from ...services import counters as counter_service
from ...services import visits
from ...services import whatif as whatif_service
from ...services.common import get_center
from ...services.permissions import may_see
from ...services.serialize import local, staff_counter_json, ticket_json, ticket_shaped
from ..auth import staff_login
from ..contract import Reply, operation
from ..uow import unit_of_work
from . import bp

COUNTER_ERRORS = (409,)


@operation(
    bp,
    "POST",
    "/auth/token",
    summary="Get a staff token (Authorization: Bearer <token> on staff calls)",
    tag="auth",
    ok=st.Token,
    status=201,
    body=st.Credentials,
    errors=(401,),
    limited=True,
)
def create_token(body: st.Credentials) -> Reply:
    user = staff_login(body.username, body.password)
    now = now_utc()
    ttl = current_app.config["TOKEN_TTL_HOURS"]
    token = auth_service.issue_token(unit_of_work(), user, now=now, ttl_hours=ttl)
    answer = st.Token(
        token=token,
        expires_at=now + timedelta(hours=ttl),
        user=st.TokenUser(username=user.username, role=user.role),
    )
    return Reply(answer, 201)


@operation(
    bp,
    "POST",
    "/auth/revoke",
    summary="Revoke the Bearer token (log out)",
    tag="auth",
    ok=None,
    status=204,
    staff=(),
    errors=(422,),
)
def revoke_token() -> None:
    _, _, token = request.headers.get("Authorization", "").partition(" ")
    if not token:
        raise ValidationError("send the token to revoke as the Bearer token", code="no_token")
    auth_service.revoke_token(unit_of_work(), token.strip(), now=now_utc())


def _counter_answer(counter: Counter) -> c.StaffCounter:
    current = counter_service.current_ticket(db.session, counter)
    return staff_counter_json(counter, current, now_utc())


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/open",
    summary="Take and open a counter (one operator per counter, one counter per operator)",
    tag="counters",
    ok=c.StaffCounter,
    path=CounterPath,
    body=t.Empty,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def open_counter(path: CounterPath, body: t.Empty) -> c.StaffCounter:
    counter = counter_service.open_counter(unit_of_work(), path.counter_id, g.user, now=now_utc())
    return _counter_answer(counter)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/pause",
    summary="Pause a counter with a reason (staff only; never shown to the public)",
    tag="counters",
    ok=c.StaffCounter,
    path=CounterPath,
    body=st.Pause,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def pause_counter(path: CounterPath, body: st.Pause) -> c.StaffCounter:
    counter = counter_service.pause_counter(
        unit_of_work(), path.counter_id, g.user, reason=body.reason, code=body.code, now=now_utc()
    )
    return _counter_answer(counter)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/close",
    summary="Close and release a counter",
    tag="counters",
    ok=c.StaffCounter,
    path=CounterPath,
    body=t.Empty,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def close_counter(path: CounterPath, body: t.Empty) -> c.StaffCounter:
    counter = counter_service.close_counter(unit_of_work(), path.counter_id, g.user, now=now_utc())
    return _counter_answer(counter)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/call-next",
    summary="Call the next ticket by the center's policy, with its reason",
    description="204 when no one waits for this counter.",
    tag="counters",
    ok=st.Called,
    path=CounterPath,
    body=t.Empty,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
    more={204: None},
)
def call_next(path: CounterPath, body: t.Empty) -> st.Called | None:
    now = now_utc()
    call = counter_service.call_next(unit_of_work(), path.counter_id, g.user, now=now)
    return None if call is None else call.body


def _ticket_action(name: str, path_part: str, summary: str) -> None:
    def view(path: CounterPath, body: t.Empty) -> t.Ticket:
        now = now_utc()
        action = getattr(counter_service, name)
        ticket = action(unit_of_work(), path.counter_id, g.user, now=now)
        return ticket_json(db.session, ticket, now)

    view.__name__ = f"counter_{name}"
    operation(
        bp,
        "POST",
        f"/counters/<int:counter_id>/{path_part}",
        summary=summary,
        tag="counters",
        ok=t.Ticket,
        path=CounterPath,
        body=t.Empty,
        body_required=False,
        staff=(),
        errors=COUNTER_ERRORS,
    )(view)


for _name, _path, _summary in (
    ("start", "start", "The citizen is at the counter: service starts"),
    ("no_show", "no-show", "Mark the called ticket as not come (undo within seconds)"),
):
    _ticket_action(_name, _path, _summary)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/recall",
    summary="Announce the called ticket again; past max calls it marks a no-show instead",
    description="The answer says which happened and how many recalls are left.",
    tag="counters",
    ok=st.Recalled,
    path=CounterPath,
    body=t.Empty,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def counter_recall(path: CounterPath, body: t.Empty) -> st.Recalled:
    now = now_utc()
    done = visits.recall(unit_of_work(), path.counter_id, g.user, now=now)
    return ticket_shaped(
        st.Recalled,
        db.session,
        done.ticket,
        now,
        recalls_left=done.recalls_left,
        marked_no_show=done.marked_no_show,
    )


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/finish",
    summary="Finish the ticket being served, with its outcome and notes",
    description="A visit sent on with `back` returns to its first counter instead.",
    tag="counters",
    ok=t.Ticket,
    path=CounterPath,
    body=st.Finish,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def counter_finish(path: CounterPath, body: st.Finish) -> t.Ticket:
    now = now_utc()
    ticket = visits.finish(
        unit_of_work(),
        path.counter_id,
        g.user,
        outcome_code=body.outcome_code,
        notes=body.notes,
        now=now,
    )
    return ticket_json(db.session, ticket, now)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/undo",
    summary="Take back the finish or no-show pressed here in the last seconds",
    tag="counters",
    ok=st.Undone,
    path=CounterPath,
    body=t.Empty,
    body_required=False,
    staff=(),
    errors=COUNTER_ERRORS,
)
def counter_undo(path: CounterPath, body: t.Empty) -> st.Undone:
    now = now_utc()
    ticket, undone = visits.undo(unit_of_work(), path.counter_id, g.user, now=now)
    return ticket_shaped(st.Undone, db.session, ticket, now, undone=undone)


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/call-number",
    summary="Call a waiting ticket by its number to this counter",
    tag="counters",
    ok=st.Called,
    path=CounterPath,
    body=st.CallNumber,
    staff=(),
    errors=COUNTER_ERRORS,
)
def counter_call_number(path: CounterPath, body: st.CallNumber) -> st.Called:
    now = now_utc()
    call = visits.call_number(unit_of_work(), path.counter_id, g.user, number=body.number, now=now)
    return ticket_shaped(
        st.Called,
        db.session,
        call.ticket,
        now,
        reason=call.reason.text,
        reason_detail=st.ReasonDetail(**call.reason.data()),
    )


@operation(
    bp,
    "POST",
    "/counters/<int:counter_id>/transfer",
    summary="Send the visit at the counter to another service or counter (same number)",
    description="`back`: after that step it returns to this counter (multi-step visits).",
    tag="counters",
    ok=t.Ticket,
    path=CounterPath,
    body=st.Transfer,
    staff=(),
    errors=COUNTER_ERRORS,
)
def transfer(path: CounterPath, body: st.Transfer) -> t.Ticket:
    now = now_utc()
    ticket = visits.transfer(
        unit_of_work(),
        path.counter_id,
        g.user,
        service_code=body.service,
        counter_number=body.counter,
        first=body.first,
        back=body.back,
        now=now,
    )
    return ticket_json(db.session, ticket, now)


@operation(
    bp,
    "GET",
    "/centers/<slug>/tickets",
    summary="Today's tickets with every event and reason: the fair-queue audit trail",
    tag="tickets",
    ok=st.AuditTrail,
    path=CenterPath,
    staff=(Role.ADMIN, Role.SUPERVISOR),
)
def todays_tickets(path: CenterPath) -> st.AuditTrail:
    center = get_center(db.session, path.slug)
    may_see(g.user, center.id)
    day = local_day(now_utc(), center.timezone)
    rows = db.session.scalars(
        select(Ticket)
        .where(Ticket.center_id == center.id, Ticket.day == day)
        .options(selectinload(Ticket.events), selectinload(Ticket.service))
        .order_by(Ticket.id)
    ).all()
    return st.AuditTrail(
        items=[
            st.AuditTicket(
                number=x.number,
                token=x.token,
                service=x.service.code,
                status=x.status,
                priority=x.priority,  # type: ignore[arg-type]
                issued_at=local(x.issued_at, center),
                events=[
                    st.AuditEvent(
                        operation=e.operation,
                        from_=e.from_status,
                        to=e.to_status,
                        at=local(e.at, center),
                        counter_id=e.counter_id,
                        reason=e.reason,
                        reason_detail=e.data or {},
                    )
                    for e in x.events
                ],
            )
            for x in rows
        ]
    )


@operation(
    bp,
    "POST",
    "/centers/<slug>/what-if",
    summary="How one more counter serving a service from now would change its waits",
    description="The same projection as the ETAs, run on the hall as it is and changed.",
    tag="supervise",
    ok=wi.WhatIfAnswer,
    path=CenterPath,
    body=wi.WhatIf,
    staff=(Role.ADMIN, Role.SUPERVISOR),
)
def what_if(path: CenterPath, body: wi.WhatIf) -> wi.WhatIfAnswer:
    return whatif_service.answer_what_if(db.session, path.slug, body, g.user, now=now_utc())
