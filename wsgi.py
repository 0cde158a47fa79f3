"""WSGI entry point: ``app = create_app()``."""

from mapapp import create_app

app = create_app()
