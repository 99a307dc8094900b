"""HTTP layer: blueprints that parse input, call one use case and shape the answer."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from ..schemas.paths import ID_MAX
from . import auth as _auth  # noqa: F401  (registers the Flask-Login user loader)
from .errors import register_errors


class IdConverter(IntegerConverter):
    """`<id:name>`: a whole number the databases can store (1..2^31-1); any other value
    matches no page, so it answers 404 instead of overflowing a query (a 500)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=ID_MAX)


def register(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    from ..extensions import csrf
    from . import (
        admin,
        api,
        desk,
        display,
        kiosk,
        limits,
        openapi,
        ops,
        pages,
        proxy,
        security,
        speech,
        track,
    )

    security.register(app)
    limits.init_limits(app)
    if app.config.get("TRUSTED_PROXY_COUNT"):
        app.wsgi_app = proxy.TrustedProxy(  # type: ignore[method-assign]
            app.wsgi_app, app.config["TRUSTED_PROXY_COUNT"], app.config["TRUSTED_PROXY_ADDRESSES"]
        )

    csrf.exempt(api.bp)  # the API checks CSRF itself for cookie-authenticated calls
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(track.bp)
    from . import book

    app.register_blueprint(book.bp)
    app.register_blueprint(display.bp)
    app.register_blueprint(speech.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(admin.bp)
    register_errors(app)
    ops.register(app)
    if app.config.get("VALIDATE_RESPONSES"):
        from .contract import check_answer

        app.after_request(check_answer)
