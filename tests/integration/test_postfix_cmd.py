"""Integration tests for the postfix command against a real master.

Each test builds its own instance in a temporary directory (root mode
with mail_owner postfix when run as root, instance mode otherwise), with
a master.cf that has no services, so only master itself runs.  Every
master started is stopped by its pid at the end.
"""
import grp
import os
import pwd
import signal
import stat
import subprocess
import time

import pytest

DEADLINE = 30  # seconds; generous, only the condition decides


def wait_for(condition):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Instance:
    def __init__(self, root, build, maillog):
        self.root = root
        self.etc = root / "etc"
        self.queue = root / "queue"
        self.log = root / "maillog"
        self.build = build
        self.etc.mkdir()
        self.queue.mkdir()
        if os.geteuid() == 0:
            owner, group = "postfix", "postdrop"
        else:
            owner = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
        (self.etc / "main.cf").write_text(
            f"queue_directory = {self.queue}\n"
            f"data_directory = {root / 'data'}\n"
            f"daemon_directory = {build / 'libexec'}\n"
            f"command_directory = {build / 'sbin'}\n"
            f"mail_owner = {owner}\n"
            f"setgid_group = {group}\n")
        self.write_master_cf("")
        if maillog:
            # postlogd does not exist yet: only commands that start no master log to a file.
            with open(self.etc / "main.cf", "a") as f:
                f.write(f"maillog_file = {self.log}\nmaillog_file_prefixes = {root}\n")
            self.write_master_cf("postlog unix-dgram n - n - 1 postlogd\n")
        os.chmod(self.etc / "main.cf", 0o644)

    def write_master_cf(self, text):
        (self.etc / "master.cf").write_text("# test instance\n" + text)
        os.chmod(self.etc / "master.cf", 0o644)

    def postfix(self, *args):
        return subprocess.run([str(self.build / "sbin" / "postfix"), "-c", str(self.etc), *args],
                              capture_output=True, text=True, timeout=120)

    def pid(self):
        try:
            return int((self.queue / "pid" / "master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0



@pytest.fixture
def make_instance(tmp_path, build_dir):
    made = []

    def make(maillog=False):
        os.chmod(tmp_path, 0o755)
        made.append(Instance(tmp_path, build_dir, maillog))
        return made[-1]

    yield make
    for inst in made:
        pid = inst.pid()
        if pid and alive(pid) and inst.postfix("status").returncode == 0:
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def instance(make_instance):
    inst = make_instance()
    yield inst


def test_start_status_reload_stop(instance):
    result = instance.postfix("start")
    assert result.returncode == 0, result.stderr
    assert "postfix/postfix-script: starting the Postfix mail system" in result.stderr
    pid = instance.pid()
    assert pid > 0 and alive(pid)

    result = instance.postfix("status")
    assert result.returncode == 0
    assert f"the Postfix mail system is running: PID: {pid}" in result.stderr

    again = instance.postfix("start")
    assert again.returncode == 1
    assert "fatal: the Postfix mail system is already running" in again.stderr
    assert instance.pid() == pid

    reload = instance.postfix("reload")
    assert reload.returncode == 0, reload.stderr
    assert "postfix/postfix-script: refreshing the Postfix mail system" in reload.stderr
    assert instance.postfix("status").returncode == 0
    assert alive(pid)

    stop = instance.postfix("stop")
    assert stop.returncode == 0, stop.stderr
    assert "stopping the Postfix mail system" in stop.stderr
    assert wait_for(lambda: not alive(pid))
    status = instance.postfix("status")
    assert status.returncode == 1
    assert "the Postfix mail system is not running" in status.stderr
    assert instance.postfix("stop").returncode == 1


def test_start_refuses_bad_master_cf(instance):
    instance.write_master_cf("smtp inet n - n - - smtpd\n"
                             "broken unix n - bogus - - thing\n")
    result = instance.postfix("start")
    assert result.returncode == 1
    assert "master.cf: line 3:" in result.stderr, result.stderr
    assert "starting the Postfix mail system" not in result.stderr
    assert instance.pid() == 0
    assert instance.postfix("status").returncode == 1


def test_check_reports_group_writable_main_cf(instance):
    os.chmod(instance.etc / "main.cf", 0o664)
    result = instance.postfix("check")
    assert result.returncode == 0
    assert f"warning: group or other writable: {instance.etc / 'main.cf'}" in result.stderr
    os.chmod(instance.etc / "main.cf", 0o644)
    assert "writable" not in instance.postfix("check").stderr


def test_set_permissions_repairs_queue_mode(instance):
    assert instance.postfix("check").returncode == 0
    incoming = instance.queue / "incoming"
    os.chmod(incoming, 0o777)
    result = instance.postfix("check")
    assert f"warning: group or other writable: {incoming}" in result.stderr
    assert "postfix set-permissions" in result.stderr
    fixed = instance.postfix("set-permissions")
    assert fixed.returncode == 0, fixed.stderr
    assert stat.S_IMODE(os.stat(incoming).st_mode) == 0o700
    assert instance.postfix("check").stderr == ""


def test_start_fg_runs_in_foreground(instance):
    proc = subprocess.Popen([str(instance.build / "sbin" / "postfix"), "-c", str(instance.etc),
                             "start-fg"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: instance.pid() == proc.pid), "master did not take over"
        assert instance.postfix("status").returncode == 0
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=DEADLINE)
        assert instance.postfix("status").returncode == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_flush_without_queue_manager(instance):
    result = instance.postfix("flush")
    assert result.returncode == 69
    assert "warning: unable to look up public/qmgr" in result.stderr
    assert "fatal: Cannot flush mail queue - mail system is down" in result.stderr


def test_logrotate(make_instance):
    instance = make_instance(maillog=True)
    assert instance.postfix("check").returncode == 0
    assert instance.log.exists()
    result = instance.postfix("logrotate")
    assert result.returncode == 0, result.stderr
    rotated = [p.name for p in instance.root.iterdir() if p.name.startswith("maillog.")]
    assert len(rotated) == 1 and rotated[0].endswith(".gz"), rotated
    assert not instance.log.exists() or "rotation" not in instance.log.read_text()
