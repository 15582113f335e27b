"""master(8): configuration checks, the pid file lock, spawning on demand,
process limits, recycling, crash recovery, throttling, wakeups, reload and
stop, against a real master in its own instance (instance.py).
"""
import os
import pwd
import re
import signal
import socket
import threading

import pytest

from instance import DEADLINE, ROOT, TEST_LIBEXEC, Instance, running, wait_for

ECHO = str(TEST_LIBEXEC / "test_echo_single")
TRIGGER = str(TEST_LIBEXEC / "test_trigger")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return f.read()
    except OSError:
        return ""


class Client:
    """A line client of test_echo_single: every line comes back as "pid PID: LINE"."""

    def __init__(self, inst, service=None, port=None):
        if port is not None:
            self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
        else:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.settimeout(DEADLINE)
            self.sock.connect(str(inst.queue / "private" / service))
        self.file = self.sock.makefile("rw", newline="\n")

    def say(self, line):
        self.file.write(line + "\n")
        self.file.flush()
        reply = self.file.readline()
        match = re.fullmatch(r"pid (\d+): (.*)\n", reply)
        assert match and match.group(2) == line, f"got {reply!r}, want an echo of {line!r}"
        return int(match.group(1))

    def close(self):
        self.file.close()
        self.sock.close()


@pytest.fixture
def instance(tmp_path):
    made = []

    def make(master_cf, **main_cf):
        inst = Instance(tmp_path / f"i{len(made)}", master_cf, **main_cf)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.stop()


def test_bad_master_cf_names_file_and_line_and_starts_nothing(instance):
    port = free_port()
    inst = instance(f"{port} inet n - n - 2 {ECHO}\n"
                    "# a comment\n"
                    f"echo unix - - n bogus 2 {ECHO}\n")
    result = inst.run_master("-d")
    assert result.returncode != 0, f"got exit {result.returncode}, want failure"
    want = f"{inst.config}/master.cf: line 3:"
    assert want in result.stderr, f"got {result.stderr!r}, want {want!r}"
    assert "daemon started" not in inst.log()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "a listener was opened"
    assert not inst.pid_file().exists()


def test_missing_command_is_refused_before_start(instance):
    inst = instance("echo unix - - n - 2 no_such_daemon\n")
    result = inst.run_master("-d")
    assert result.returncode != 0
    assert "line 1: service echo: command" in result.stderr, f"got {result.stderr!r}"
    assert not (inst.queue / "private" / "echo").exists()


def test_pid_file_lock_and_second_start_refused(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    assert inst.run_master("-t").returncode == 0, "master -t says running before start"
    pid = inst.start()
    text = inst.pid_file().read_text()
    assert text == "%32d\n" % pid, f"got {text!r}, want the pid right-aligned in 32 columns"
    lock = (inst.data / "master.lock").read_text()
    assert lock == text, f"got master.lock {lock!r}, want {text!r}"
    assert inst.run_master("-t").returncode != 0, "master -t says not running"
    second = inst.run_master("-d")
    assert second.returncode != 0
    assert "mail system is already running" in second.stderr, f"got {second.stderr!r}"
    assert inst.master.poll() is None, "the first master died"
    inst.stop()
    assert inst.run_master("-t").returncode == 0, "master -t says running after stop"
    assert "terminating on signal 15" in inst.log()
    assert re.search(r"master\[\d+\]: daemon started -- version \S+, configuration " +
                     re.escape(str(inst.config)), inst.log())


def test_children_spawn_on_demand(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    assert inst.processes() == [], "a child started before any client"
    c = Client(inst, "echo")
    pid = c.say("hello")
    assert inst.processes() == [pid]
    c.close()


def test_process_limit_holds_under_50_clients(instance):
    port = free_port()
    inst = instance(f"127.0.0.1:{port} inet n - n - 3 {ECHO}\n")
    inst.start()
    served, errors = [], []

    def one(i):
        try:
            c = Client(inst, port=port)
            served.append(c.say(f"client {i}"))
            c.close()
        except Exception as e:  # reported below, with the count
            errors.append(repr(e))

    peak = 0
    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, len(inst.processes()))
    for t in threads:
        t.join()
    assert errors == [], f"got errors {errors[:3]}"
    assert len(served) == 50
    assert 1 <= len(set(served)) <= 3, f"got {len(set(served))} serving pids, want at most 3"
    assert peak <= 3, f"got {peak} processes at once, want at most 3"


def test_max_use_recycles_a_child(instance):
    inst = instance(f"echo unix - - n - 1 {ECHO} -o max_use=2\n")
    inst.start()
    pids = []
    for i in range(3):
        c = Client(inst, "echo")
        pids.append(c.say(f"n{i}"))
        c.close()
    assert pids[0] == pids[1], f"got {pids}, want the first two clients on one process"
    assert pids[2] != pids[0], f"got {pids}, want a new process after max_use"


def test_killed_busy_child_next_client_served(instance):
    inst = instance(f"echo unix - - n - 1 {ECHO}\n")
    inst.start()
    c = Client(inst, "echo")
    pid = c.say("busy")
    os.kill(pid, signal.SIGKILL)
    inst.wait_log(rf"warning: process {re.escape(ECHO)} pid {pid} "
                  r"killed by signal 9")
    c.close()
    c2 = Client(inst, "echo")
    assert c2.say("next") != pid
    c2.close()
    assert "throttling" not in inst.log(), "a child that served a client counted as a bad start"


def test_crash_looping_service_is_throttled_others_go_on(instance):
    inst = instance(f"bad unix - - n - 2 {ECHO} fail-at-start\n"
                    f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    bad = socket.socket(socket.AF_UNIX)
    bad.connect(str(inst.queue / "private" / "bad"))
    path = re.escape(ECHO)
    inst.wait_log(rf"warning: process {path} pid \d+ exit status 1")
    inst.wait_log(rf"warning: {path}: bad command startup -- throttling")
    starts = len(re.findall(r"exit status 1", inst.log()))
    c = Client(inst, "echo")
    c.say("still served")
    c.close()
    # While throttled (60s), the waiting client makes no new process.
    assert len(re.findall(r"exit status 1", inst.log())) == starts
    bad.close()


def test_wakeup_triggers_a_trigger_service(instance, tmp_path):
    out = tmp_path / "triggers"
    inst = instance(f"tick unix - - n 1 1 {TRIGGER} {out}\n")
    inst.start()
    wait_for(lambda: out.exists() and out.read_bytes().count(b"W") >= 2, what="two wakeups")


def test_reload_adds_changes_removes_without_dropping_a_connection(instance):
    inst = instance(f"keep unix - - n - 2 {ECHO}\n"
                    f"change unix - - n - 2 {ECHO}\n"
                    f"gone unix - - n - 2 {ECHO}\n")
    inst.start()
    held = Client(inst, "change")
    old_pid = held.say("before")
    kept = Client(inst, "keep")
    kept_pid = kept.say("before")
    kept.close()
    gone = Client(inst, "gone")
    gone_pid = gone.say("x")
    inst.write_master_cf(f"keep unix - - n - 2 {ECHO}\n"
                         f"change unix - - n - 3 {ECHO} -o max_use=5\n"
                         f"added unix - - n - 2 {ECHO}\n")
    inst.reload()
    inst.wait_log(r"reload -- version \S+, configuration " + re.escape(str(inst.config)))
    wait_for(lambda: (inst.queue / "private" / "added").exists(), what="the added socket")
    assert held.say("after") == old_pid, "the established connection was dropped"
    wait_for(lambda: gone_pid not in inst.processes(), what="the removed service's child to go")
    assert not (inst.queue / "private" / "gone").exists() or \
        socket.socket(socket.AF_UNIX).connect_ex(str(inst.queue / "private" / "gone")) != 0
    fresh = Client(inst, "change")
    assert fresh.say("new") != old_pid, "a retired child took a new client"
    fresh.close()
    held.close()
    wait_for(lambda: old_pid not in inst.processes(), what="the retired child to finish")
    c = Client(inst, "keep")
    assert c.say("again") == kept_pid, "an unchanged service lost its idle child"
    c.close()
    c = Client(inst, "added")
    c.say("hi")
    c.close()


def test_reload_with_bad_master_cf_keeps_running(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    inst.write_master_cf(f"echo unix - - n - x {ECHO}\n")
    inst.reload()
    inst.wait_log(r"warning: reload: configuration errors")
    assert "master.cf: line 1:" in inst.log()
    c = Client(inst, "echo")
    c.say("alive")
    c.close()


def test_stop_leaves_no_process_behind(instance):
    port = free_port()
    inst = instance(f"echo unix - - n - 4 {ECHO}\n"
                    f"127.0.0.1:{port} inet n - n - 4 {ECHO}\n")
    inst.start()
    clients = [Client(inst, "echo") for _ in range(2)] + [Client(inst, port=port)]
    for i, c in enumerate(clients):
        c.say(f"c{i}")
    assert len(inst.processes()) == 3
    seen = set(inst.processes())
    inst.stop()
    alive = [p for p in seen if running(p)]
    assert alive == [], f"got processes {alive} after stop"
    for c in clients:
        c.close()


@pytest.mark.skipif(not ROOT, reason="root mode needs root")
def test_root_mode_child_runs_as_mail_owner(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    c = Client(inst, "echo")
    pid = c.say("id")
    reply = c.file.readline()
    c.close()
    owner = pwd.getpwnam(inst.owner.pw_name)
    want = f"pid {pid}: uid {owner.pw_uid} euid {owner.pw_uid} gid {owner.pw_gid} " \
           f"egid {owner.pw_gid}\n"
    assert reply == want, f"got {reply!r}, want {want!r}"
    sock = inst.queue / "private" / "echo"
    assert os.stat(sock).st_uid == owner.pw_uid, "the socket is not mail_owner's"


@pytest.mark.skipif(not ROOT, reason="root mode needs root")
def test_root_mode_refuses_privileged_smtpd(instance):
    inst = instance("smtp inet n n n - - /bin/true\n"
                    "smtp2 unix - n n - - /no/such/smtpd\n")
    result = inst.run_master("-d")
    assert result.returncode != 0
    want = "line 2: service smtp2: command smtpd must not run privileged"
    assert want in result.stderr, f"got {result.stderr!r}, want {want!r}"


def test_instance_mode_mail_owner_must_be_master_user(instance):
    user = pwd.getpwuid(os.geteuid()).pw_name if not ROOT else "postfix"
    inst = instance(f"echo unix - - n - 2 {ECHO}\n", run_as=user if ROOT else None,
                    mail_owner="nobody", default_privs="daemon")
    result = inst.run_master("-d")
    assert result.returncode != 0, "master ran with a mail_owner that is not its user"
    assert "in instance mode mail_owner must name that user" in result.stderr, \
        f"got {result.stderr!r}"


@pytest.mark.skipif(not ROOT, reason="needs root to run master as another user")
def test_instance_mode_runs_everything_as_master_user_without_chroot(instance):
    inst = instance(f"jail unix - - y - 2 {ECHO}\n", run_as="postfix", mail_owner="postfix")
    inst.start()
    c = Client(inst, "jail")
    pid = c.say("id")
    reply = c.file.readline()
    c.close()
    owner = pwd.getpwnam("postfix")
    want = f"pid {pid}: uid {owner.pw_uid} euid {owner.pw_uid} gid {owner.pw_gid} " \
           f"egid {owner.pw_gid}\n"
    assert reply == want, f"got {reply!r}, want {want!r}"
    assert os.readlink(f"/proc/{pid}/root") == "/", "a daemon chrooted in instance mode"


def test_background_start_with_w(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    pid = inst.start_background()
    assert running(pid)
    assert inst.run_master("-t").returncode != 0, "master -t says not running"
    c = Client(inst, "echo")
    c.say("from the background")
    c.close()
    inst.stop()
    assert not running(pid)


def test_bare_port_listens_per_inet_interfaces(instance):
    port = free_port()
    inst = instance(f"{port} inet n - n - 2 {ECHO}\n", inet_interfaces="loopback-only")
    inst.start()
    c = Client(inst, port=port)
    c.say("loopback")
    c.close()


@pytest.mark.parametrize("kind,where,mode", [("unix", "private", 0o666),
                                             ("fifo", "public", 0o622),
                                             ("unix-dgram", "public", 0o666)])
def test_wakeup_on_each_local_type(instance, tmp_path, kind, where, mode):
    out = tmp_path / "triggers"
    private = "y" if where == "private" else "n"
    inst = instance(f"tick {kind} {private} - n 1 1 {TRIGGER} {out}\n")
    inst.start()
    assert os.stat(inst.queue / where / "tick").st_mode & 0o7777 == mode
    wait_for(lambda: out.exists() and out.read_bytes().count(b"W") >= 2, what="two wakeups")


def test_master_service_disable(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n"
                    f"other unix - - n - 2 {ECHO}\n", master_service_disable="echo/unix")
    inst.start()
    assert not (inst.queue / "private" / "echo").exists()
    assert (inst.queue / "private" / "other").exists()


def test_child_environment_is_export_environment(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n",
                    export_environment="TZ MAIL_CONFIG LANG POSTERN_TEST=exported")
    inst.start()
    c = Client(inst, "echo")
    pid = c.say("env")
    with open(f"/proc/{pid}/environ", "rb") as f:
        names = sorted(item.split(b"=", 1)[0].decode() for item in f.read().split(b"\0") if item)
    c.close()
    assert "POSTERN_TEST" in names and "MAIL_CONFIG" in names, f"got {names}"
    extra = set(names) - {"TZ", "MAIL_CONFIG", "LANG", "POSTERN_TEST", "MASTER_GENERATION"}
    assert not extra, f"got unexpected variables {sorted(extra)}"


def test_daemons_log_through_postlogd(instance):
    inst = instance(f"bad unix - - n - 2 {ECHO} fail-at-start\n", postlog=True)
    inst.start()
    assert (inst.queue / "public" / "postlog").exists()
    bad = socket.socket(socket.AF_UNIX)
    bad.connect(str(inst.queue / "private" / "bad"))
    inst.wait_log(r"test_echo_single\[\d+\]: fatal: fail-at-start requested")
    wait_for(lambda: any("postlogd" in cmdline(p) for p in inst.processes()),
             what="a postlogd process")
    bad.close()


def test_exit_time_ends_master(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start("-e", "1")
    assert inst.master.wait(timeout=DEADLINE) == 0
    assert "master exit time has arrived" in inst.log()


def test_children_leave_when_master_is_killed(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    c = Client(inst, "echo")
    pid = c.say("x")
    c.close()
    inst.master.kill()
    inst.master.wait()
    wait_for(lambda: not running(pid), what="the child to see the lifeline close")


@pytest.mark.skipif(not ROOT, reason="chroot needs root")
def test_root_mode_chroot_service_runs_in_queue_directory(instance):
    inst = instance(f"jail unix - - y - 2 {ECHO}\n"
                    f"free unix - - n - 2 {ECHO}\n")
    inst.start()
    roots = {}
    for name in ("jail", "free"):
        c = Client(inst, name)
        roots[name] = os.readlink(f"/proc/{c.say('where')}/root")
        c.close()
    assert roots == {"jail": str(inst.queue), "free": "/"}, f"got {roots}"


def test_conditional_wakeup_waits_for_first_use(instance, tmp_path):
    tick, tock = tmp_path / "tick", tmp_path / "tock"
    inst = instance(f"tick unix - - n 1? 1 {TRIGGER} {tick}\n"
                    f"tock unix - - n 1 1 {TRIGGER} {tock}\n")
    inst.start()
    # tock's wakeups prove that tick's timer has fired meanwhile too.
    wait_for(lambda: tock.exists() and tock.read_bytes().count(b"W") >= 2, what="tock wakeups")
    assert not tick.exists(), "a 1? service was woken before it was used"
    s = socket.socket(socket.AF_UNIX)
    s.connect(str(inst.queue / "private" / "tick"))
    s.sendall(b"X")
    s.close()
    wait_for(lambda: tick.exists() and b"W" in tick.read_bytes(), what="a wakeup after use")


def test_shared_data_directory_refused(instance):
    first = instance(f"echo unix - - n - 2 {ECHO}\n")
    first.start()
    second = instance(f"echo unix - - n - 2 {ECHO}\n", data_directory=first.data)
    result = second.run_master("-d")
    assert result.returncode != 0, "a second master ran on the same data_directory"
    assert "mail system is already running" in result.stderr, f"got {result.stderr!r}"


def test_process_limit_warning(instance):
    inst = instance(f"echo unix - - n - 2 {ECHO}\n")
    inst.start()
    clients = [Client(inst, "echo") for _ in range(2)]
    for i, c in enumerate(clients):
        c.say(f"busy {i}")
    inst.wait_log(r'warning: service "echo" \(private/echo\) has reached its process limit "2": '
                  r"new clients may experience noticeable delays")
    assert "to avoid this condition, increase the process count in master.cf" in inst.log()
    for c in clients:
        c.close()


@pytest.mark.skipif(not ROOT, reason="root mode needs root")
@pytest.mark.parametrize("unprivileged", ["n", "-"])
def test_root_mode_unprivileged_field_decides_for_root_daemons(instance, unprivileged):
    """A daemon that may keep root (as local delivery) keeps it only with
    unprivileged = n; master passes -u otherwise and it drops to mail_owner."""
    inst = instance(f"echo unix - {unprivileged} n - 2 {ECHO} keep-root\n")
    inst.start()
    c = Client(inst, "echo")
    pid = c.say("id")
    reply = c.file.readline()
    c.close()
    uid = 0 if unprivileged == "n" else pwd.getpwnam(inst.owner.pw_name).pw_uid
    assert reply.startswith(f"pid {pid}: uid {uid} euid {uid} "), f"got {reply!r}, want uid {uid}"
