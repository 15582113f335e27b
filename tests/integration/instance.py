"""A postern instance for integration tests: its own configuration
directory, queue directory and maillog under a pytest tmp_path, a master
started in the foreground (master -d) from the build directory, and a
teardown that stops master and every daemon of the instance by pid, even
when the test failed.

    with Instance(tmp_path, f"echo unix - - n - 2 {TEST_LIBEXEC}/test_echo_single") as inst:
        inst.start()
        ...

daemon_directory is the build's libexec (real daemons by name); test-only
daemons are named by their absolute path under TEST_LIBEXEC.  With
postlog=True the instance's master.cf starts with the postlog service, so
daemons log through postlogd as they do in production.

Modes: when the tests run as root (CI), master runs in root mode and
daemons drop to mail_owner, which is the existing "postfix" account
(override with POSTERN_TEST_MAIL_OWNER); the instance directories are
made traversable for that account.  Otherwise master runs in instance
mode and mail_owner is the current user.
"""
import grp
import os
import pathlib
import pwd
import re
import signal
import subprocess
import time

from conftest import BUILD

DEADLINE = 30  # seconds; generous, only ever a limit while waiting for a condition
ROOT = os.geteuid() == 0
TEST_LIBEXEC = BUILD / "tests" / "libexec"


def mail_owner():
    if ROOT:
        return os.environ.get("POSTERN_TEST_MAIL_OWNER", "postfix")
    return pwd.getpwuid(os.geteuid()).pw_name


def wait_for(condition, deadline=DEADLINE, what="condition"):
    """Polls condition() until it returns something true; fails after deadline."""
    end = time.monotonic() + deadline
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _setgid_group(owner=None):
    """A group for setgid_group that differs from mail_owner's own group."""
    owner_gid = pwd.getpwnam(owner or mail_owner()).pw_gid
    for name in ("postdrop", "nogroup", "users"):
        try:
            if grp.getgrnam(name).gr_gid not in (0, owner_gid):
                return name
        except KeyError:
            continue
    raise RuntimeError("no group usable as setgid_group")


def running(pid):
    """True while pid exists and is not a zombie (the test host's init may not reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _stop_pid(pid):
    """SIGTERM, then SIGKILL after the deadline, for a process that is not our child."""
    try:
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not running(pid), what=f"pid {pid} to exit")
    except ProcessLookupError:
        pass
    except AssertionError:
        os.kill(pid, signal.SIGKILL)


class Instance:
    def __init__(self, tmp_path, master_cf, postlog=False, run_as=None, **main_cf):
        self.dir = pathlib.Path(tmp_path)
        self.config = self.dir / "etc"
        self.queue = self.dir / "queue"
        self.data = self.dir / "data"
        self.maillog = self.dir / "maillog"
        self.master = None
        self.background_pid = None
        # run_as (tests running as root): master runs as that user, in instance mode.
        self.run_as = pwd.getpwnam(run_as) if run_as else None
        self.owner = self.run_as or pwd.getpwnam(mail_owner())
        self._make_dirs()
        settings = {
            "queue_directory": self.queue,
            "data_directory": self.data,
            "daemon_directory": BUILD / "libexec",
            "command_directory": BUILD / "sbin",
            "mail_owner": self.owner.pw_name,
            "setgid_group": _setgid_group(self.owner.pw_name),
            "maillog_file": self.maillog,
            "maillog_file_prefixes": self.dir,
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "compatibility_level": "3.6",
        }
        settings.update(main_cf)
        self.write_main_cf(settings)
        if postlog:
            master_cf = "postlog unix-dgram n - n - 1 postlogd\n" + master_cf
        self.write_master_cf(master_cf)

    def _make_dirs(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        if ROOT:
            # Daemons running as mail_owner must reach the queue directory.
            for parent in [self.dir] + list(self.dir.parents):
                if str(parent) in ("/", "/tmp"):
                    break
                os.chmod(parent, os.stat(parent).st_mode | 0o111)
        for d in (self.config, self.queue / "pid", self.data):
            d.mkdir(parents=True, exist_ok=True)
        private, public = self.queue / "private", self.queue / "public"
        private.mkdir(mode=0o700, exist_ok=True)
        public.mkdir(mode=0o710, exist_ok=True)
        if ROOT:
            os.chown(private, self.owner.pw_uid, -1)
            os.chown(public, self.owner.pw_uid, grp.getgrnam(_setgid_group(self.owner.pw_name)).gr_gid)
            os.chown(self.data, self.owner.pw_uid, -1)
        # Every process of the instance appends to the one file.
        self.maillog.touch(mode=0o666)
        os.chmod(self.maillog, 0o666)
        if self.run_as:
            for root, dirs, files in os.walk(self.dir):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.chown(name, self.run_as.pw_uid, self.run_as.pw_gid)

    def write_main_cf(self, settings):
        self.settings = dict(settings)
        text = "".join(f"{k} = {v}\n" for k, v in settings.items())
        (self.config / "main.cf").write_text(text)

    def write_master_cf(self, text):
        (self.config / "master.cf").write_text(text if text.endswith("\n") else text + "\n")

    def _user(self):
        if self.run_as is None:
            return {}
        return {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}

    def run_master(self, *args, timeout=DEADLINE):
        """Runs master to completion (e.g. -t, or a start that must fail)."""
        return subprocess.run([str(BUILD / "libexec" / "master"), "-c", str(self.config), *args],
                              capture_output=True, text=True, timeout=timeout, **self._user())

    def start(self, *args):
        """Starts master -d and waits for its "daemon started" line."""
        # Files, not pipes: daemons inherit master's stdio under -d.
        with open(self.dir / "master.out", "w") as out:
            self.master = subprocess.Popen(
                [str(BUILD / "libexec" / "master"), "-d", "-c", str(self.config), *args],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, **self._user())
        wait_for(lambda: self.master.poll() is not None or
                 "daemon started" in self.log(), what="master start-up")
        if self.master.poll() is not None:
            output = (self.dir / "master.out").read_text(errors="replace")
            raise AssertionError(f"master exited {self.master.returncode}: {output}")
        return self.master.pid

    def start_background(self):
        """Starts master -w (as postfix start does); returns the pid from master.pid."""
        result = self.run_master("-w")
        if result.returncode != 0:
            raise AssertionError(f"master -w exited {result.returncode}: {result.stderr}")
        self.background_pid = int(self.pid_file().read_text())
        return self.background_pid

    def log(self):
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else ""

    def wait_log(self, pattern, count=1, deadline=DEADLINE):
        """Waits until pattern (a regex) matched count lines of the maillog."""
        regex = re.compile(pattern)
        return wait_for(lambda: len(regex.findall(self.log())) >= count and regex.findall(self.log()),
                        deadline, what=f"{count} log lines matching {pattern!r}")

    def pid_file(self):
        return self.queue / "pid" / "master.pid"

    def processes(self):
        """Pids of live processes of this instance other than master (by environment)."""
        found = []
        want = f"MAIL_CONFIG={self.config}".encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in self._master_pids():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    env = f.read().split(b"\0")
                with open(f"/proc/{entry}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if want in env and state != "Z":
                found.append(int(entry))
        return found

    def reload(self):
        os.kill(self.master.pid, signal.SIGHUP)

    def _master_pids(self):
        return [p for p in (self.master and self.master.pid, self.background_pid) if p]

    def stop(self):
        """SIGTERM to master; waits for it and for every daemon to be gone."""
        if self.master is None and self.background_pid is None:
            return
        self.processes()
        if self.master is not None:
            if self.master.poll() is None:
                os.kill(self.master.pid, signal.SIGTERM)
            try:
                self.master.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.master.kill()
                self.master.wait()
        if self.background_pid is not None:
            _stop_pid(self.background_pid)
        try:
            wait_for(lambda: not self.processes(), what="daemons to exit")
        finally:
            for pid in self.processes():
                os.kill(pid, signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
