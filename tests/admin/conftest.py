"""Two test clients are two different desks: the login cache is cleared per request."""

from tests.fresh_login import fresh_login_per_request  # noqa: F401  (an autouse fixture)
