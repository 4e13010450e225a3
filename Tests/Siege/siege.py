#!/usr/bin/env python3
"""Hostile clients for `estbench serve` (127.0.0.1 only), run by ServeSiegeTests.

    siege.py PORT CA_BUNDLE COUNTS_JSON DEADLINE_SECONDS

COUNTS_JSON names how many of each attack to make, e.g. {"slowloris": 200, "idle": 1000, ...}
(see ATTACKS). Every attack runs in its own thread, all at once; connections the server is expected
to cut (slowloris, idle, stalled handshakes) are held until it does or until the deadline. Prints
one JSON object: per attack, what was sent and what the server did (cut off, status codes seen).
"""
import json
import os
import resource
import selectors
import socket
import ssl
import sys
import threading
import time

HOST = "127.0.0.1"
EST = "/.well-known/est/"


def tls_connect(ctx, port, timeout=30):
    raw = socket.create_connection((HOST, port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname=HOST)


def read_head(sock):
    """Bytes up to the end of one response head; returns (status, head, rest)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, head, rest


def content_length(head):
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def statuses_add(statuses, status):
    statuses[str(status)] = statuses.get(str(status), 0) + 1


def client_hello(ctx):
    """The bytes of a real ClientHello (a handshake on memory BIOs, taken no further)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=HOST)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class Held:
    """Sockets held open until the server closes them (or the deadline): how many it cut off."""

    def __init__(self):
        self.selector = selectors.DefaultSelector()
        self.open = 0
        self.cut = 0

    def add(self, sock):
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ)
        self.open += 1

    def poll(self, timeout):
        for key, _ in self.selector.select(timeout):
            sock = key.fileobj
            try:
                data = sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError):
                continue
            except (OSError, ssl.SSLError):
                data = b""
            if not data:
                self.selector.unregister(sock)
                sock.close()
                self.cut += 1

    def alive(self):
        return [key.fileobj for key in self.selector.get_map().values()]

    def hold(self, deadline, tick=None):
        while self.open > self.cut and time.monotonic() < deadline:
            self.poll(1.0)
            if tick:
                tick(self.alive())

    def close(self):
        for sock in self.alive():
            sock.close()


def slowloris(n, port, ctx, deadline):
    """TLS, then a request head dribbled one byte per second: cut off by the request timeout."""
    held = Held()
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        try:
            s = tls_connect(ctx, port)
            s.sendall(b"POST " + EST.encode() + b"simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.add(s)
        except (OSError, ssl.SSLError):
            break

    def drip(alive):
        for s in alive:
            try:
                s.send(b"a")
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                pass
            except (OSError, ssl.SSLError):
                pass

    held.hold(deadline, drip)
    held.close()
    return {"opened": held.open, "cut": held.cut}


def idle(n, port, ctx, deadline):
    """Plain TCP connections that never send a byte: cut off by the handshake timeout."""
    held = Held()
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect((HOST, port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            break
        held.add(s)
    held.hold(deadline)
    held.close()
    return {"opened": held.open, "cut": held.cut}


def stalled(n, port, ctx, deadline):
    """A ClientHello, then silence: cut off by the handshake timeout."""
    held = Held()
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, port), timeout=30)
            s.sendall(client_hello(ctx))
            held.add(s)
        except OSError:
            break
    held.hold(deadline)
    held.close()
    return {"opened": held.open, "cut": held.cut}


def abandoned(n, port, ctx, deadline):
    """A ClientHello, the server's first flight read, then the connection closed half-way."""
    done = 0
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        try:
            with socket.create_connection((HOST, port), timeout=30) as s:
                s.sendall(client_hello(ctx))
                if s.recv(65536):
                    done += 1
        except OSError:
            pass
    return {"done": done}


def garbage_before(n, port, ctx, deadline):
    """Plain HTTP (and every other one random bytes that cannot start a TLS record: its version
    byte is not 3, else OpenSSL would wait for the length it read) sent to the TLS port."""
    done = 0
    for i in range(n):
        if time.monotonic() > deadline:
            break
        payload = (b"GET " + EST.encode() + b"cacerts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") if i % 2 == 0 \
            else b"\x47\x00" + os.urandom(200)
        try:
            with socket.create_connection((HOST, port), timeout=30) as s:
                s.sendall(payload)
                while s.recv(65536):
                    pass
                done += 1
        except OSError:
            done += 1  # a reset is the server's answer too
    return {"done": done}


def garbage_inside(n, port, ctx, deadline):
    """A handshake record of garbage (a message type that does not exist: refused at once), or a
    real ClientHello followed by a garbage record."""
    done = 0
    for i in range(n):
        if time.monotonic() > deadline:
            break
        try:
            with socket.create_connection((HOST, port), timeout=30) as s:
                if i % 2 == 0:
                    s.sendall(b"\x16\x03\x01\x00\x40\x63" + os.urandom(63))
                else:
                    s.sendall(client_hello(ctx))
                    s.recv(65536)
                    s.sendall(b"\x17\x03\x03\x00\x40" + os.urandom(64))
                while s.recv(65536):
                    pass
                done += 1
        except OSError:
            done += 1
    return {"done": done}


def one_request(ctx, port, head, body=b"", body_limit=None):
    """Sends a request (a body of body_limit bytes at most), returns the answer's status (0: none)."""
    try:
        with tls_connect(ctx, port) as s:
            s.sendall(head)
            sent = 0
            while body and sent < (body_limit or len(body)):
                try:
                    s.sendall(body)
                except (OSError, ssl.SSLError):
                    break
                sent += len(body)
            return read_head(s)[0]
    except (OSError, ssl.SSLError):
        return 0


def repeated(n, port, ctx, deadline, head, body=b"", body_limit=None):
    """`n` connections each sending `head` (and `body`), until `deadline`: the statuses answered."""
    statuses = {}
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        statuses_add(statuses, one_request(ctx, port, head, body, body_limit=body_limit))
    return {"statuses": statuses}


def huge_header(n, port, ctx, deadline):
    """A 1 MiB header field: 431 once the header limit is passed."""
    head = b"GET " + EST.encode() + b"cacerts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
    return repeated(n, port, ctx, deadline, head)


def huge_body(n, port, ctx, deadline):
    """A declared 100 MiB body (1 MiB of it sent): 413 on the declaration."""
    head = (b"POST " + EST.encode() + b"simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/pkcs10\r\nContent-Length: 104857600\r\n\r\n")
    return repeated(n, port, ctx, deadline, head, b"A" * 65536, body_limit=1 << 20)


def bad_chunk(n, port, ctx, deadline):
    """A chunked body whose chunk size is not hex: 400."""
    head = (b"POST " + EST.encode() + b"simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/pkcs10\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nMIIB\r\n0\r\n\r\n")
    return repeated(n, port, ctx, deadline, head)


def pipelined(n, port, ctx, deadline, depth=8):
    """`depth` cacerts requests in one write on one connection: every answer comes back, in order."""
    answered, connections = 0, 0
    request = b"GET " + EST.encode() + b"cacerts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        try:
            with tls_connect(ctx, port) as s:
                connections += 1
                s.sendall(request * depth)
                buffer = b""
                for _ in range(depth):
                    while b"\r\n\r\n" not in buffer:
                        chunk = s.recv(65536)
                        if not chunk:
                            raise ConnectionError("closed")
                        buffer += chunk
                    head, _, buffer = buffer.partition(b"\r\n\r\n")
                    length = content_length(head)
                    while len(buffer) < length:
                        chunk = s.recv(65536)
                        if not chunk:
                            raise ConnectionError("closed")
                        buffer += chunk
                    buffer = buffer[length:]
                    if head.startswith(b"HTTP/1.1 200"):
                        answered += 1
        except (OSError, ssl.SSLError, ConnectionError):
            pass
    return {"connections": connections, "requests": connections * depth, "answered": answered}


def expect_continue(n, port, ctx, deadline):
    """`Expect: 100-continue`: the body goes only after the server's 100 Continue."""
    continued, finals = 0, {}
    body = b"bm90IGEgQ1NS\n"
    head = (b"POST " + EST.encode() + b"simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pkcs10\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        try:
            with tls_connect(ctx, port, timeout=10) as s:
                s.sendall(head)
                status, _, _ = read_head(s)
                if status == 100:
                    continued += 1
                    s.sendall(body)
                    status, _, _ = read_head(s)
                statuses_add(finals, status)
        except (OSError, ssl.SSLError):
            statuses_add(finals, 0)
    return {"continued": continued, "statuses": finals}


ATTACKS = {
    "slowloris": slowloris, "idle": idle, "stalled": stalled, "abandoned": abandoned,
    "garbageBefore": garbage_before, "garbageInside": garbage_inside, "hugeHeader": huge_header,
    "hugeBody": huge_body, "badChunk": bad_chunk, "pipelined": pipelined, "expectContinue": expect_continue,
}


def main():
    port, bundle, counts, seconds = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])
    unknown = set(counts) - set(ATTACKS)
    if unknown:
        sys.exit(f"unknown attack(s) {sorted(unknown)}; known: {sorted(ATTACKS)}")
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Held connections scaled to the descriptor limit (a reserve for the short-lived ones).
    held = sum(counts.get(k, 0) for k in ("slowloris", "idle", "stalled"))
    if held > hard - 512 and counts.get("idle", 0) > 0:
        counts["idle"] = max(1, counts["idle"] - (held - (hard - 512)))
    ctx = ssl.create_default_context(cafile=bundle)
    deadline = time.monotonic() + seconds
    results = {}

    started = time.monotonic()

    def run(name):
        try:
            results[name] = ATTACKS[name](counts[name], port, ctx, deadline)
        except Exception as e:  # reported, not hidden: the test fails on it
            results[name] = {"error": f"{type(e).__name__}: {e}"}
        results[name]["seconds"] = round(time.monotonic() - started, 1)

    threads = [threading.Thread(target=run, args=(name,)) for name in counts if counts[name] > 0]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results["attacker"] = {"cpuSeconds": round(usage.ru_utime + usage.ru_stime, 1), "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
