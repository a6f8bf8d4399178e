"""Entry point for `flask` and WSGI servers."""
from scheduler import create_app

app = create_app()
