"""A local preview: build once, then serve the output folder on loopback."""
from __future__ import annotations

import functools
import http.server
import sys

from generator.config import SiteConfig


def serve_forever(config: SiteConfig, host: str, port: int) -> None:
    from generator.build import build

    result = build(config)
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(config.output_dir))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"serving {config.output_dir} at http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
