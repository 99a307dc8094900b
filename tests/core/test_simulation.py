"""The day simulator on a short simulated morning (seeded): the real use cases end every
ticket in a final state and call none twice, the queue model's ETA beats the vendors'
formula, and the default call policy serves at least FIFO's share within target."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from asan_queue.domain.dayplan import CounterSpec, Rates, ServiceSpec, plan_day
from asan_queue.domain.errors import ValidationError
from asan_queue.domain.policy import DEFAULT_POLICY
from asan_queue.services.simulation import SimulationRequest, simulate

SEED = 7
MORNING = SimulationRequest(
    center="baku-1", seed=SEED, hours=2.5, policies=("fifo", DEFAULT_POLICY)
)
MORNING_OPENS = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 09:00 in Baku
MORNING_CLOSES = MORNING_OPENS + timedelta(hours=4)


@pytest.fixture(scope="module")
def morning():
    return simulate(MORNING)


def test_every_ticket_of_the_morning_ends_in_a_final_state_and_none_is_called_twice(morning):
    for run in morning.runs:
        figures = run.figures
        assert figures.tickets > 100, run.policy
        assert figures.unfinished == 0, run.policy
        for record in run.records:
            # One call per visit: a transfer makes a second visit in the other service.
            assert record.calls <= 1 + record.transfers, (run.policy, record)
            if record.status == "done":
                assert record.calls == 1 + record.transfers
        assert sum(r.transfers for r in run.records) > 0
        assert sum(r.booked for r in run.records) > 0
        assert figures.no_shows > 0


def test_the_models_eta_beats_the_formula_on_the_morning(morning):
    for run in morning.runs:
        projection = run.figures.accuracy["projection"]
        formula = run.figures.accuracy["formula"]
        assert projection.tickets == formula.tickets > 100
        assert projection.mae_minutes < formula.mae_minutes, run.policy
        assert projection.within_2min > formula.within_2min, run.policy
        assert projection.within_5min > formula.within_5min, run.policy


def test_the_default_policy_serves_at_least_fifos_share_within_target(morning):
    share = {run.policy: run.figures.served_within_target for run in morning.runs}
    assert share[DEFAULT_POLICY] >= share["fifo"]


def test_the_same_seed_draws_the_same_day_and_another_seed_another():
    services = [ServiceSpec("passport", "DIN", 12, 15, True, True)]
    counters = [CounterSpec(1, ("passport",)), CounterSpec(2, ("passport",))]
    periods = [(MORNING_OPENS, MORNING_CLOSES)]
    one = plan_day(services, counters, periods, seed=3)
    again = plan_day(services, counters, periods, seed=3)
    other = plan_day(services, counters, periods, seed=4)
    assert one == again
    assert one.walk_ins != other.walk_ins
    arrivals = [c.arrives_at for c in one.walk_ins]
    assert arrivals == sorted(arrivals)
    assert all(MORNING_OPENS <= at < MORNING_CLOSES for at in arrivals)
    # About 10% priority citizens, about 29% of bookings never come.
    hall = [CounterSpec(n, ("passport",)) for n in range(1, 21)]
    day = [(MORNING_OPENS, MORNING_OPENS + timedelta(hours=9))]
    many = plan_day(services, hall, day, seed=3, rates=Rates(booking_share=0.5))
    assert len(many.walk_ins) > 300 and len(many.bookings) > 100
    share = sum(1 for c in many.walk_ins if c.priority) / len(many.walk_ins)
    assert 0.05 < share < 0.15
    missed = sum(1 for c in many.bookings if not c.shows) / len(many.bookings)
    assert 0.15 < missed < 0.45


def test_a_bad_request_is_refused_before_anything_runs():
    with pytest.raises(ValidationError) as err:
        simulate(SimulationRequest(policies=("random",)))
    assert err.value.code == "unknown_policy"
    with pytest.raises(ValidationError) as err:
        simulate(SimulationRequest(center="nowhere-1"))
    assert err.value.code == "unknown_center"
    with pytest.raises(ValidationError) as err:
        simulate(SimulationRequest(day=date(2026, 12, 6)))  # a Sunday: closed
    assert err.value.code == "simulation_day_closed"


def test_flask_simulate_prints_the_json_object_and_draws_the_day(runner, tmp_path):
    picture = tmp_path / "day.png"
    result = runner.invoke(
        args=[
            "simulate",
            "--center",
            "ganja-1",
            "--seed",
            "3",
            "--hours",
            "1",
            "--policy",
            "fifo",
            "--json",
            "--picture",
            str(picture),
        ]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["center"] == "ganja-1" and body["seed"] == 3 and body["picture"] == str(picture)
    fifo = body["policies"]["fifo"]
    assert {"served_within_target", "max_wait_minutes", "tickets"} <= set(fifo)
    for name in ("projection", "formula"):
        assert {"within_2min", "within_5min", "mae_minutes", "tickets"} <= set(
            fifo["estimators"][name]
        )
    assert 0 <= fifo["served_within_target"] <= 1
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_flask_simulate_prints_the_tables(runner, tmp_path):
    result = runner.invoke(
        args=["simulate", "--hours", "0.5", "--policy", "fifo", "--no-picture", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "in target" in result.output and "±2 min" in result.output
    assert "projection" in result.output and "formula" in result.output


def test_flask_simulate_refuses_an_unknown_policy(runner):
    result = runner.invoke(args=["simulate", "--policy", "random", "--no-picture"])
    assert result.exit_code == 2
    assert "unknown policy 'random'" in result.output


def test_a_counters_break_rota_is_read_as_todays_breaks_in_the_centers_time():
    from types import SimpleNamespace

    from asan_queue.services.queue import planned_breaks

    center = SimpleNamespace(timezone="Asia/Baku")
    now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 10:00 in Baku
    rota = [{"at": "13:30", "minutes": 30}, {"at": "10:45:30", "minutes": 10}, {"at": "x"}]
    assert planned_breaks(rota, center, now) == (
        (datetime(2026, 12, 1, 6, 45, 30, tzinfo=UTC), 10.0),
        (datetime(2026, 12, 1, 9, 30, tzinfo=UTC), 30.0),
    )
    assert planned_breaks(None, center, now) == ()
