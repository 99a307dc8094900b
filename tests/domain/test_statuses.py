import pytest

from asan_queue.domain.errors import InvalidTransition
from asan_queue.domain.statuses import TRANSITIONS, TicketStatus, check_transition

S = TicketStatus


@pytest.mark.parametrize(
    ("operation", "before", "after"),
    [
        ("call", S.WAITING, S.CALLED),
        ("recall", S.CALLED, S.CALLED),
        ("start", S.CALLED, S.SERVING),
        ("finish", S.SERVING, S.DONE),
        ("no_show", S.CALLED, S.NO_SHOW),
        ("cancel", S.WAITING, S.CANCELLED),
        ("transfer", S.SERVING, S.WAITING),
        ("expire", S.WAITING, S.EXPIRED),
    ],
)
def test_allowed_transitions(operation, before, after):
    assert check_transition(operation, before) == after


def test_every_other_pair_is_refused_with_a_message():
    for operation, (allowed, _) in TRANSITIONS.items():
        for state in TicketStatus:
            if state in allowed:
                continue
            with pytest.raises(InvalidTransition) as err:
                check_transition(operation, state)
            assert state.value in err.value.message


def test_finished_tickets_cannot_be_called_again():
    for final in (S.DONE, S.NO_SHOW, S.CANCELLED, S.EXPIRED):
        with pytest.raises(InvalidTransition):
            check_transition("call", final)


def test_unknown_operation():
    with pytest.raises(InvalidTransition):
        check_transition("teleport", S.WAITING)
