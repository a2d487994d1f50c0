"""Refuse to start ``make run`` when its port is taken, before minutes of set-up are spent
(issue 15 item 13). Binds the way the development server will (SO_REUSEADDR), so a port
left in TIME_WAIT by a stopped portal is not reported as busy.

Usage: python3 scripts/check_port.py HOST PORT   (exit 1 with a hint when in use)
"""

import socket
import sys


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def main(argv: list[str]) -> int:
    host, port = argv[1], int(argv[2])
    if port_is_free(host, port):
        return 0
    print(
        f"Port {port} on {host} is already in use (is the portal already running?).\n"
        f"Stop that program, or choose another port: make run PORT={port + 55}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
