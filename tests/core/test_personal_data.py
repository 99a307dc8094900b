"""Personal data stays out of logs: database errors do not carry the statement's values."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from asan_queue.extensions import db


def test_database_errors_hide_the_values(app, world):
    phone = "+994501234567"
    with pytest.raises(IntegrityError) as err:
        db.session.execute(
            text("INSERT INTO tickets (id, token, phone) VALUES (:id, :token, :phone)"),
            {"id": 1, "token": "x", "phone": phone},
        )
    db.session.rollback()
    assert phone not in str(err.value)
    assert "hidden due to hide_parameters" in str(err.value)
