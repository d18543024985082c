#!/usr/bin/env python3
"""Holds many connections to a server on loopback, for bench/slow_clients.sh
and bench/idle.sh (wrk cannot hold connections that do not complete requests).

  hold_connections.py slow HOST PORT COUNT SECONDS [INTERVAL_MS]
      COUNT clients each send a request line and then one header line every
      INTERVAL_MS (default 2000), never finishing the head (slowloris). A
      client the server closes is replaced, so COUNT stay attached. Prints how
      many the server closed (after its header deadline) and how many 408s it
      sent.
  hold_connections.py idle HOST PORT COUNT SECONDS
      COUNT keep-alive clients each complete one GET /healthz, then sit idle.
      Prints "ready N" once all are connected and answered, then holds them
      for SECONDS.

Bounded in count and time; loopback only.
"""
import os
import resource
import select
import socket
import sys
import time


def raise_fd_limit(count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, count + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def connect(host, port):
    s = socket.create_connection((host, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setblocking(False)
    return s


def slow(host, port, count, seconds, interval_ms):
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only")
    raise_fd_limit(count)
    clients = {}
    closed = 0
    timeouts = 0
    line = 0

    def open_one():
        s = connect(host, port)
        s.send(b"GET /healthz HTTP/1.1\r\nHost: slow\r\n")
        clients[s.fileno()] = s

    for _ in range(count):
        open_one()
    print("attached %d" % len(clients), flush=True)
    deadline = time.time() + seconds
    next_dribble = time.time()
    while time.time() < deadline:
        timeout = max(0.0, min(next_dribble, deadline) - time.time())
        readable, _, _ = select.select(list(clients.values()), [], [], timeout) if clients else ([], [], [])
        for s in readable:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if b" 408 " in data:
                timeouts += 1
            if not data or b" 408 " in data:
                clients.pop(s.fileno(), None)
                s.close()
                closed += 1
                open_one()
        if time.time() >= next_dribble:
            line += 1
            for s in list(clients.values()):
                try:
                    s.send(b"X-Slow-%d: 1\r\n" % line)
                except OSError:
                    pass
            next_dribble += interval_ms / 1000.0
    print("closed_by_server %d timeouts_408 %d still_attached %d" % (closed, timeouts, len(clients)), flush=True)


def idle(host, port, count, seconds):
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only")
    raise_fd_limit(count)
    clients = []
    for _ in range(count):
        s = socket.create_connection((host, port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: idle\r\n\r\n")
        clients.append(s)
    answered = 0
    for s in clients:
        s.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data or not data.endswith(b"}"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        if data.startswith(b"HTTP/1.1 200"):
            answered += 1
    print("ready %d" % answered, flush=True)
    time.sleep(seconds)
    for s in clients:
        s.close()


def main():
    mode = sys.argv[1]
    host, port, count, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    if mode == "slow":
        slow(host, port, count, seconds, int(sys.argv[6]) if len(sys.argv) > 6 else 2000)
    elif mode == "idle":
        idle(host, port, count, seconds)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
