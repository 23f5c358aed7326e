"""`python -m web.serve`: the web front on a real HTTP server (waitress)."""
from __future__ import annotations

import logging

from waitress import serve

from web.app import create_app
from web.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    print(f"Web front: http://{settings.host}:{settings.port}/chat/ (patient chat), "
          f"http://{settings.host}:{settings.port}/console/ (nurse console)", flush=True)
    serve(create_app(settings), host=settings.host, port=settings.port, threads=8)


if __name__ == "__main__":
    main()
