"""Every route, fed odd path values, odd query strings and odd bodies, with and without a
staff token, answers below 500: bad input is the caller's error, never a crash."""

import itertools
import re

from tests.factories import token_for

VALUES = ["test-1", "x", "%00", "ə" * 60, "2026-13-45", "-1"]
BODIES = [None, "text", [], {}, {"service": None, "code": 1, "start": "soon", "rating": "5"}]
QUERY = "?date=2026-99-01&month=13&from=x&to=y&status=zz&lang=xx"


def paths(rule):
    names = sorted(rule.arguments)
    for combo in itertools.product(VALUES, repeat=min(len(names), 1)):
        path = rule.rule
        for name in names:
            value = combo[0] if combo else "x"
            path = re.sub(rf"<int:{name}>", "999", path)
            path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
        yield path


def test_no_route_answers_5xx(app, client, world):
    headers = [{}, token_for(client, "root")]
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if rule.endpoint in ("api.readyz", "root_readyz"):
            # The readiness probe's 503 is its answer while a dependency is down (here: no
            # background jobs run in the test process); tests/core/test_ops.py covers it.
            continue
        for path, method, h in itertools.product(
            paths(rule), sorted(rule.methods - {"HEAD", "OPTIONS"}), headers
        ):
            for body in BODIES if method != "GET" else [None]:
                kwargs = {"headers": h} if body is None else {"headers": h, "json": body}
                res = client.open(path + QUERY, method=method, **kwargs)
                if res.status_code >= 500:
                    failures.append((method, path, body, res.status_code))
    assert failures == []
