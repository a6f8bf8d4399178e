"""assessor-scheduler: recruit associate assessors and deploy them on joint inspections."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.templating import Environment
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from config import BASE_DIR, Config

# One blueprint per area of work, each a folder with routes.py (defining `bp`) and forms.py.
BLUEPRINTS = ("public", "health", "auth", "recruitment", "employer", "my", "assessors", "inspections", "teams",
              "notifications", "dashboard", "privacy")


class _Environment(Environment):
    def make_globals(self, d):
        """A template's globals as one dict rather than Jinja's ChainMap over the environment's: each
        `{% from ... import %}` (some 35 a page) subtracts the key sets, which through a ChainMap runs
        Python code per key, about 1 ms of a 14 ms directory page (bench/LOAD.md, thirteenth round). The
        environment's globals are all set before a template loads, as Jinja asks."""
        return {**self.globals, **(d or {})}


class _Flask(Flask):
    jinja_environment = _Environment


def create_app(config: type[Config] = Config) -> Flask:
    config.validate()
    app = _Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config)
    from scheduler.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter
    if app.config["PROXY_HOPS"]:     # the client's address and scheme as the proxy saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(exist_ok=True)
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from govuk_frontend_wtf.main import WTFormsHelpers

    from scheduler.access import may_open
    from scheduler.assessors.lookup import assessor_autocomplete
    from scheduler.auth.sessions import seconds_left
    from scheduler.contact import service_contact
    from scheduler.formatting import FILTERS, format_period
    from scheduler.navigation import navigation_for

    WTFormsHelpers(app)

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["format_period"] = format_period
    app.jinja_env.globals["navigation_for"] = navigation_for
    app.jinja_env.globals["assessor_autocomplete"] = assessor_autocomplete
    app.jinja_env.globals["may_open"] = may_open
    app.jinja_env.globals["session_seconds_left"] = seconds_left
    app.jinja_env.globals["service_contact"] = service_contact
    app.jinja_env.globals["service_name"] = app.config["SERVICE_NAME"]


def register_extensions(app: Flask) -> None:
    from scheduler.logs import init_logs

    init_logs(app)     # first: every request gets its id before anything else can fail
    from scheduler.access import refuse_undeclared
    from scheduler.auth.sessions import init_login
    from scheduler.extensions import csrf, db, limiter, migrate
    from scheduler.mail import init_mail
    from scheduler.security import init_security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_security(app)
    init_mail(app)
    app.before_request(refuse_undeclared)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for area in BLUEPRINTS:
        app.register_blueprint(import_module(f"scheduler.{area}.routes").bp)


def register_errorhandlers(app: Flask) -> None:
    from scheduler.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from scheduler.commands import init_commands

    init_commands(app)
