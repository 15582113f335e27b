"""Start a postern daemon by hand the way master does (master_proto.h):
status pipe on fd 3, lifeline on fd 4, listening sockets from fd 5, and
the generic command line.  Used by the skeleton tests; master's own tests
go through a real master instead.
"""
import os
import socket
import struct
import subprocess
import time

STATUS_FD, LIFELINE_FD, LISTEN_FD = 3, 4, 5
STATUS_AVAILABLE, STATUS_BUSY = 1, 2
RECORD = struct.Struct("iIi")  # struct master_status: pid, generation, status
DEADLINE = 30  # generous: timings never decide pass/fail


def write_main_cf(directory, **params):
    """A main.cf for a daemon started by hand: queue and log under directory."""
    queue = os.path.join(directory, "queue")
    os.makedirs(os.path.join(queue, "public"), exist_ok=True)
    settings = {
        "queue_directory": queue,
        "maillog_file": os.path.join(directory, "maillog"),
        "maillog_file_prefixes": directory,
        "compatibility_level": "3.6",
    }
    if os.geteuid() != 0:
        import pwd
        settings["mail_owner"] = pwd.getpwuid(os.geteuid()).pw_name
    settings.update(params)
    with open(os.path.join(directory, "main.cf"), "w") as f:
        for name, value in settings.items():
            f.write(f"{name} = {value}\n")
    return directory


class Daemon:
    """One daemon process with master's end of its descriptors."""

    def __init__(self, program, config_dir, listen_fds, service_type="unix", args=(),
                 options=(), generation=7):
        self.status_r, status_w = os.pipe()
        lifeline_r, self.lifeline_w = os.pipe()
        sources = [status_w, lifeline_r] + list(listen_fds)
        argv = [str(program), "-n", "test", "-t", service_type, "-s", str(len(listen_fds))]
        argv += list(options) + list(args)
        env = dict(os.environ, MAIL_CONFIG=str(config_dir),
                   MASTER_GENERATION=str(generation))
        targets = list(range(STATUS_FD, STATUS_FD + len(sources)))

        def place_fds():
            # Move every source out of the way first: a source may sit on a target number.
            high = [os.dup2(fd, 100 + i) for i, fd in enumerate(sources)]
            for fd, target in zip(high, targets):
                os.dup2(fd, target)
            for fd in high:
                os.close(fd)

        self.proc = subprocess.Popen(argv, env=env, pass_fds=targets, preexec_fn=place_fds,
                                     stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(status_w)
        os.close(lifeline_r)

    def record(self, timeout=DEADLINE):
        """The next status record as (pid, generation, status), None at EOF."""
        data = b""
        end = time.monotonic() + timeout
        while len(data) < RECORD.size:
            import select
            ready, _, _ = select.select([self.status_r], [], [], max(0, end - time.monotonic()))
            if not ready:
                raise TimeoutError("no status record")
            chunk = os.read(self.status_r, RECORD.size - len(data))
            if not chunk:
                return None
            data += chunk
        return RECORD.unpack(data)

    def drop_lifeline(self):
        os.close(self.lifeline_w)
        self.lifeline_w = None

    def wait(self, timeout=DEADLINE):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.status_r, self.lifeline_w):
            if fd is not None:
                os.close(fd)
        self.status_r = self.lifeline_w = None
        if self.proc.stderr:
            self.proc.stderr.close()


def unix_listener(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(16)
    return sock


def connect(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(DEADLINE)
    sock.connect(str(path))
    return sock


def converse(sock, line):
    """Sends one line and returns the first reply line."""
    sock.sendall(line.encode() + b"\n")
    return sock.makefile("rb").readline().decode().rstrip("\n")
