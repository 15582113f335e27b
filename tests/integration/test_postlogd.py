"""postlogd and the sending side of maillog_file logging (msg_postlog):
records sent to the postlog socket land in maillog_file one line each,
in Postfix's line shape, and daemons send their lines to that socket.
"""
import os
import re
import socket
import subprocess
import time

import pytest

from server_harness import DEADLINE, STATUS_AVAILABLE, Daemon, unix_listener, write_main_cf

LINE = re.compile(r"^[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d \S+ postfix/(\S+)\[(\d+)\]: (.*)$")


@pytest.fixture
def daemons():
    started = []
    yield started
    for daemon in started:
        daemon.stop()


def postlog_socket(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "queue" / "public" / "postlog"))
    return sock


def wait_lines(path, count):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    raise TimeoutError(f"{path}: fewer than {count} lines")


def test_records_become_lines(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    sock = postlog_socket(tmp_path)
    daemon = Daemon(build_dir / "libexec" / "postlogd", tmp_path, [sock.fileno()],
                    service_type="unix-dgram", options=["-c"])
    daemons.append(daemon)
    assert daemon.record()[2] == STATUS_AVAILABLE
    client = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    client.connect(str(tmp_path / "queue" / "public" / "postlog"))
    client.send(b"Nov 02 12:00:00 host postfix/smtpd[1]: connect from x[192.0.2.1]\n")
    client.send(b"Nov 02 12:00:01 host postfix/smtpd[1]: two\nforged line")
    client.send(b"\n")
    client.send(b"Nov 02 12:00:02 host postfix/smtpd[1]: no newline")
    lines = wait_lines(tmp_path / "maillog", 3)
    assert lines == ["Nov 02 12:00:00 host postfix/smtpd[1]: connect from x[192.0.2.1]",
                     "Nov 02 12:00:01 host postfix/smtpd[1]: two forged line",
                     "Nov 02 12:00:02 host postfix/smtpd[1]: no newline"]
    assert os.stat(tmp_path / "maillog").st_mode & 0o777 == 0o600


def test_daemon_logs_through_postlog_socket(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    sock = postlog_socket(tmp_path)
    sock.settimeout(DEADLINE)
    daemon = Daemon(build_dir / "tests" / "libexec" / "test_echo_single", tmp_path,
                    [unix_listener(tmp_path / "s").fileno()], options=["-c"],
                    args=["fail-at-start"])
    daemons.append(daemon)
    assert daemon.wait() == 1
    record = sock.recv(65536).decode()
    match = LINE.match(record.rstrip("\n"))
    assert match, record
    assert match.groups() == ("test_echo_single", str(daemon.proc.pid),
                              "fatal: fail-at-start requested")
    assert not (tmp_path / "maillog").exists()


def test_daemon_writes_file_without_socket(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = Daemon(build_dir / "tests" / "libexec" / "test_echo_single", tmp_path,
                    [unix_listener(tmp_path / "s").fileno()], options=["-c"],
                    args=["fail-at-start"])
    daemons.append(daemon)
    assert daemon.wait() == 1
    (line,) = (tmp_path / "maillog").read_text().splitlines()
    match = LINE.match(line)
    assert match and match.group(3) == "fatal: fail-at-start requested", line


def test_refuses_file_outside_prefixes(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path, maillog_file_prefixes="/var")
    sock = postlog_socket(tmp_path)
    # -d keeps stderr: without it the refusal goes to syslog, as Postfix's does.
    daemon = Daemon(build_dir / "libexec" / "postlogd", tmp_path, [sock.fileno()],
                    service_type="unix-dgram", options=["-c", "-d"])
    daemons.append(daemon)
    assert daemon.wait() == 1
    err = daemon.proc.stderr.read().decode()
    assert not (tmp_path / "maillog").exists()
    assert daemon.record() is None
    assert (f"fatal: maillog_file value '{tmp_path}/maillog' does not match any prefix in "
            "maillog_file_prefixes") in err


def run_postmap_with_a_warning(build_dir, tmp_path):
    """postmap -q on a missing table: the command logs one fatal line."""
    return subprocess.run([str(build_dir / "sbin" / "postmap"), "-c", str(tmp_path), "-q", "x",
                           f"hash:{tmp_path}/missing"], capture_output=True, text=True)


def test_commands_log_through_the_postlog_socket(build_dir, tmp_path):
    write_main_cf(tmp_path)
    sock = postlog_socket(tmp_path)
    sock.settimeout(DEADLINE)
    try:
        result = run_postmap_with_a_warning(build_dir, tmp_path)
        assert result.returncode != 0
        record = sock.recv(4096).decode()
    finally:
        sock.close()
    assert LINE.match(record.rstrip("\n")), record
    assert "postfix/postmap[" in record and "missing" in record
    assert not (tmp_path / "maillog").exists(), "the command wrote maillog_file itself"


def test_commands_write_the_file_without_postlog(build_dir, tmp_path):
    write_main_cf(tmp_path)
    result = run_postmap_with_a_warning(build_dir, tmp_path)
    assert result.returncode != 0
    lines = wait_lines(tmp_path / "maillog", 1)
    assert "postfix/postmap[" in lines[0] and "missing" in lines[0]
