"""What-if for supervisors: how a change of staffing from now would change a service's
waits, by the queue model's own projection (domain.whatif) on the center's hall as it is.
The request and the answer are schemas.whatif."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.whatif import Outlook, WhatIf, what_if
from ..models import Center, User
from ..schemas import whatif as w
from .common import get_center, get_service, require_aware
from .permissions import may_supervise
from .queue import queue_model
from .serialize import local


def answer_what_if(
    session: Session, slug: str, request: w.WhatIf, user: User, *, now: datetime
) -> w.WhatIfAnswer:
    """Project the service's waits now and with the change. Raises NotFound (center,
    service, counter), Forbidden (wrong_center), ValidationError (counter_serves_service)."""
    require_aware(now)
    center = get_center(session, slug)
    may_supervise(user, center.id)
    service = get_service(session, center, request.service)
    model = queue_model(session, center, now)
    counter_id = None
    if request.counter is not None:
        found = next((c for c in model.hall.counters if c.number == request.counter), None)
        if found is None:
            raise NotFound(f"no counter {request.counter} here", code="counter_not_found")
        if service.id in found.service_ids:
            raise ValidationError(
                f"counter {request.counter} already serves {service.code}",
                code="counter_serves_service",
                details={"counter": request.counter, "service": service.code},
            )
        counter_id = found.counter_id
    result = what_if(
        model.hall, now, service.id, counter_id=counter_id, count=request.extra_counters
    )
    session.rollback()  # a read: end its transaction
    change = (
        w.WhatIfChange(counter=request.counter)
        if request.counter is not None
        else w.WhatIfChange(extra_counters=request.extra_counters)
    )
    return w.WhatIfAnswer(
        service=service.code,
        at=local(now, center),
        change=change,
        before=_outlook(result.before, center),
        after=_outlook(result.after, center),
        summary=_summary(service.code, request, result),
    )


def _outlook(outlook: Outlook, center: Center) -> w.Outlook:
    return w.Outlook(
        waiting=outlook.waiting,
        unserved=outlook.unserved,
        longest_wait_minutes=outlook.longest_wait_minutes,
        over_target=outlook.over_target,
        cleared_at=local(outlook.cleared_at, center),
        hall_longest_wait_minutes=outlook.hall_longest_wait_minutes,
    )


def _summary(code: str, request: w.WhatIf, result: WhatIf) -> str:
    if request.counter is not None:
        change = f"if counter {request.counter} also serves {code} from now"
    elif request.extra_counters == 1:
        change = f"if one more counter serves {code} from now"
    else:
        change = f"if {request.extra_counters} more counters serve {code} from now"
    x, y = result.before.longest_wait_minutes, result.after.longest_wait_minutes
    if x is None and y is None:
        return f"{change}: nobody waits for it"
    return f"{change}, the longest wait goes from {_minutes(x)} to {_minutes(y)}"


def _minutes(value: int | None) -> str:
    return "no figure (no counter)" if value is None else f"{value} min"
