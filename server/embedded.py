"""Run the server inside another process, in a thread: the demo's local server, and tests.

``start_in_thread(settings)`` returns once the server answers; ``stop()`` ends it.
uvicorn and the application are imported when a server starts, not when this
module is imported, so the desktop app can name it without the server stack.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from server.core.config import Settings


@dataclass
class EmbeddedServer:
    """A running server thread and the address it listens on."""

    url: str
    app: FastAPI
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.app.state.engine.dispose()


def start_in_thread(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
) -> EmbeddedServer:
    """Start on ``host:port`` (``0``: any free port) and wait until it listens; HTTPS with a certificate."""
    import uvicorn

    from server.main import create_app

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="homevisit-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"服务器未能在 {host}:{port} 启动（端口可能已被占用）")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    scheme = "https" if ssl_certfile else "http"
    return EmbeddedServer(f"{scheme}://{host}:{bound}", app, server, thread)
