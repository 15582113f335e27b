"""The daemon skeletons (lib/server) driven by hand through the
master_proto.h descriptors: status records, max_use, max_idle, the
lifeline, privilege dropping, -o overrides and start-up failures.
"""
import os
import pathlib
import pwd
import socket
import tempfile

import pytest

from server_harness import (STATUS_AVAILABLE, STATUS_BUSY, Daemon, connect, converse,
                            unix_listener, write_main_cf)


@pytest.fixture
def daemons():
    started = []
    yield started
    for daemon in started:
        daemon.stop()


def start(daemons, build_dir, tmp_path, name, listeners, **kwargs):
    daemon = Daemon(build_dir / "tests" / "libexec" / name, tmp_path, [s.fileno() for s in listeners],
                    **kwargs)
    for s in listeners:
        s.close()
    daemons.append(daemon)
    return daemon


def test_single_reports_available_busy_available(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    sock_path = tmp_path / "echo"
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single", [unix_listener(sock_path)],
                   options=["-c"])
    pid = daemon.proc.pid
    assert daemon.record() == (pid, 7, STATUS_AVAILABLE)
    client = connect(sock_path)
    assert converse(client, "hello") == f"pid {pid}: hello"
    assert daemon.record() == (pid, 7, STATUS_BUSY)
    client.close()
    assert daemon.record() == (pid, 7, STATUS_AVAILABLE)


def test_single_exits_after_max_use(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    sock_path = tmp_path / "echo"
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single", [unix_listener(sock_path)],
                   options=["-c", "-o", "max_use=2"])
    for _ in range(2):
        client = connect(sock_path)
        converse(client, "x")
        client.close()
    assert daemon.wait() == 0
    statuses = []
    while (record := daemon.record()) is not None:
        statuses.append(record[2])
    assert statuses == [STATUS_AVAILABLE, STATUS_BUSY, STATUS_AVAILABLE, STATUS_BUSY]


@pytest.mark.parametrize("program", ["test_echo_single", "test_echo_multi"])
def test_exits_after_max_idle(daemons, build_dir, tmp_path, program):
    write_main_cf(tmp_path, max_idle="1s")
    daemon = start(daemons, build_dir, tmp_path, program, [unix_listener(tmp_path / "s")],
                   options=["-c"])
    assert daemon.record()[2] == STATUS_AVAILABLE
    assert daemon.wait() == 0


@pytest.mark.parametrize("program", ["test_echo_single", "test_echo_multi"])
def test_exits_when_master_goes(daemons, build_dir, tmp_path, program):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, program, [unix_listener(tmp_path / "s")],
                   options=["-c"])
    assert daemon.record()[2] == STATUS_AVAILABLE
    daemon.drop_lifeline()
    assert daemon.wait() == 0


def test_single_finishes_client_after_master_goes(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single",
                   [unix_listener(tmp_path / "s")], options=["-c"])
    pid = daemon.proc.pid
    client = connect(tmp_path / "s")
    assert converse(client, "first") == f"pid {pid}: first"
    daemon.drop_lifeline()
    assert converse(client, "second") == f"pid {pid}: second"
    client.close()
    assert daemon.wait() == 0


def test_fail_at_start_exits_before_reporting(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single",
                   [unix_listener(tmp_path / "s")], options=["-c"], args=["fail-at-start"])
    assert daemon.wait() == 1
    assert daemon.record() is None
    assert "fatal: fail-at-start requested" in (tmp_path / "maillog").read_text()


def test_single_exit_command_sets_status(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single",
                   [unix_listener(tmp_path / "s")], options=["-c"])
    client = connect(tmp_path / "s")
    converse(client, "exit 3")
    assert daemon.wait() == 3


def test_multi_serves_clients_at_once(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_multi",
                   [unix_listener(tmp_path / "s")], options=["-c"], args=["max-clients=2"])
    pid = daemon.proc.pid
    assert daemon.record()[2] == STATUS_AVAILABLE
    first, second = connect(tmp_path / "s"), connect(tmp_path / "s")
    assert converse(first, "a") == f"pid {pid}: a"
    assert converse(second, "b") == f"pid {pid}: b"
    assert daemon.record()[2] == STATUS_BUSY
    assert converse(first, "quit") == f"pid {pid}: quit"
    assert daemon.record()[2] == STATUS_AVAILABLE
    second.close()


def test_trigger_appends_bytes(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    out = tmp_path / "triggers"
    daemon = start(daemons, build_dir, tmp_path, "test_trigger", [unix_listener(tmp_path / "s")],
                   options=["-c"], args=[str(out)])
    assert daemon.record()[2] == STATUS_AVAILABLE
    for byte in (b"W", b"A"):
        client = connect(tmp_path / "s")
        client.sendall(byte)
        client.close()
        assert daemon.record()[2] == STATUS_BUSY
        assert daemon.record()[2] == STATUS_AVAILABLE
    assert out.read_bytes() == b"WA"


def test_trigger_reads_fifo(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    out = tmp_path / "triggers"
    fd = os.open(fifo, os.O_RDWR)  # as master opens it: never at end of file
    daemon = Daemon(build_dir / "tests" / "libexec" / "test_trigger", tmp_path, [fd],
                    service_type="fifo", options=["-c"], args=[str(out)])
    os.close(fd)
    daemons.append(daemon)
    assert daemon.record()[2] == STATUS_AVAILABLE
    writer = os.open(fifo, os.O_WRONLY)
    os.write(writer, b"F")
    os.close(writer)
    assert daemon.record()[2] == STATUS_BUSY
    assert daemon.record()[2] == STATUS_AVAILABLE
    assert out.read_bytes() == b"F"


@pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop needs root")
@pytest.mark.parametrize("chroot", [False, True])
def test_root_drops_to_mail_owner(daemons, build_dir, tmp_path, chroot):
    owner = pwd.getpwnam("postfix")
    write_main_cf(tmp_path, mail_owner="postfix")
    os.chmod(tmp_path, 0o755)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single",
                   [unix_listener(tmp_path / "s")], options=[] if chroot else ["-c"])
    pid = daemon.proc.pid
    client = connect(tmp_path / "s")
    client.sendall(b"id\n")
    reader = client.makefile("rb")
    assert reader.readline().decode() == f"pid {pid}: id\n"
    line = reader.readline().decode()
    uid, gid = owner.pw_uid, owner.pw_gid
    assert line == f"pid {pid}: uid {uid} euid {uid} gid {gid} egid {gid}\n"
    root = os.readlink(f"/proc/{pid}/root")
    assert root == (str(tmp_path / "queue") if chroot else "/")


def test_bad_command_line_is_fatal(daemons, build_dir, tmp_path):
    write_main_cf(tmp_path)
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single",
                   [unix_listener(tmp_path / "s")], options=["-o", "nonsense"])
    assert daemon.wait() == 1
    assert daemon.record() is None


def test_single_restarts_after_a_table_changes(daemons, build_dir, tmp_path):
    """A daemon whose table file changed finishes its client, then exits so
    master can start one that reads the new table."""
    write_main_cf(tmp_path)
    # As root the daemon reads the table as mail_owner: keep it where that user can.
    readable = tempfile.TemporaryDirectory(prefix="postern-table-")
    os.chmod(readable.name, 0o755)
    table = pathlib.Path(readable.name) / "table"
    table.write_text("key old\n")
    sock_path = tmp_path / "echo"
    daemon = start(daemons, build_dir, tmp_path, "test_echo_single", [unix_listener(sock_path)],
                   options=["-c"])
    client = connect(sock_path)
    replies = client.makefile("rb")
    client.sendall(f"lookup texthash:{table} key\n".encode())
    assert replies.readline().decode().startswith("pid ")
    assert replies.readline().decode().endswith(": found old\n")
    table.write_text("key new, and longer\n")
    client.sendall(b"quit\n")
    replies.readline()
    client.close()
    assert daemon.wait() == 0
    log = (tmp_path / "maillog").read_text()
    assert f"{table} has changed -- restarting" in log
    readable.cleanup()
