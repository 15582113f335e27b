"""Helpers for smtpd's integration tests: an instance with smtpd on a
free 127.0.0.1 port and cleanup behind it, and a raw-socket SMTP client
that reads whole replies (multi-line replies included)."""
import os
import socket

from instance import Instance, wait_for

MAIN_CF = {
    "myhostname": "mx.example.net",
    "mydomain": "example.net",
    "mynetworks": "127.0.0.1/32",
    "relay_domains": "relay.example",
    "smtpd_error_sleep_time": "0",
    "smtpd_hard_error_limit": "100",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtpd_instance(tmp_path, **main_cf):
    """An Instance (not started) running smtpd on inst.port."""
    port = free_port()
    master_cf = (f"127.0.0.1:{port} inet n - n - - smtpd\n"
                 "cleanup unix n - n - 0 cleanup\n")
    settings = dict(MAIN_CF)
    settings.update(main_cf)
    inst = Instance(tmp_path, master_cf, **settings)
    for name in ("incoming", "hold"):
        (inst.queue / name).mkdir(mode=0o700, exist_ok=True)
        os.chown(inst.queue / name, inst.owner.pw_uid, inst.owner.pw_gid)
    inst.port = port
    return inst


class Client:
    """A line-oriented SMTP client on a raw socket."""

    def __init__(self, port, source="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30,
                                             source_address=(source, 0))
        self.buf = b""

    def read_line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError(f"connection closed; pending {self.buf!r}")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"

    def reply(self):
        """One whole reply as text, lines joined by \\n, without CR LF."""
        lines = []
        while True:
            line = self.read_line()
            assert line.endswith(b"\r\n"), line
            lines.append(line[:-2].decode("utf-8", "replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return "\n".join(lines)

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def closed(self):
        """True when the server has closed the connection."""
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()
