"""postconf: atomic main.cf editing and side-by-side agreement with Postfix.

The editing tests check the promise in lib/config/main_cf_edit.h: after a
failed edit main.cf is byte-identical and no temporary file is left, a
successful edit keeps the file mode, and concurrent editors do not lose
each other's changes.
"""
import os
import re
import resource
import shutil
import signal
import stat
import subprocess

import pytest

MAIN_CF = (
    "# comment kept\n"
    "alias_database = hash:$config_directory/aliases\n"
    "inet_interfaces = $myhostname,\n"
    "    localhost\n"
    "# another comment\n"
    "mynetworks = 127.0.0.0/8\n"
)


@pytest.fixture
def confdir(tmp_path):
    (tmp_path / "main.cf").write_text(MAIN_CF)
    os.chmod(tmp_path / "main.cf", 0o640)
    return tmp_path


def postconf(sbin, *args, **kwargs):
    return subprocess.run([str(sbin / "postconf"), *args], capture_output=True, text=True,
                          timeout=30, **kwargs)


def leftovers(directory):
    return sorted(n for n in os.listdir(directory) if n != "main.cf")


def test_edit_keeps_mode_comments_and_leaves_no_temporary(sbin, confdir):
    proc = postconf(sbin, "-c", str(confdir), "-e", "inet_interfaces=localhost", "new = 1")
    assert proc.returncode == 0, proc.stderr
    assert (confdir / "main.cf").read_text() == (
        "# comment kept\nalias_database = hash:$config_directory/aliases\n"
        "inet_interfaces = localhost\n"
        "# another comment\nmynetworks = 127.0.0.0/8\nnew = 1\n")
    assert stat.S_IMODE(os.stat(confdir / "main.cf").st_mode) == 0o640
    assert leftovers(confdir) == []


def _small_file_limit():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))


def test_write_failure_leaves_main_cf_identical(sbin, confdir):
    before = (confdir / "main.cf").read_bytes()
    proc = postconf(sbin, "-c", str(confdir), "-e", "mail_name=example",
                    preexec_fn=_small_file_limit)
    assert proc.returncode == 1
    assert re.search(r"postconf: fatal: write .*main\.cf\.tmp: File too large", proc.stderr)
    assert (confdir / "main.cf").read_bytes() == before
    assert leftovers(confdir) == []


def test_blocked_temporary_leaves_main_cf_identical(sbin, confdir):
    before = (confdir / "main.cf").read_bytes()
    (confdir / "main.cf.tmp").mkdir()
    proc = postconf(sbin, "-c", str(confdir), "-X", "alias_database")
    assert proc.returncode == 1
    assert "main.cf.tmp: Is a directory" in proc.stderr
    assert (confdir / "main.cf").read_bytes() == before
    assert leftovers(confdir) == ["main.cf.tmp"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_leaves_main_cf_identical(sbin, confdir):
    before = (confdir / "main.cf").read_bytes()
    os.chmod(confdir, 0o555)
    try:
        proc = postconf(sbin, "-c", str(confdir), "-e", "mail_name=example")
    finally:
        os.chmod(confdir, 0o755)
    assert proc.returncode == 1
    assert (confdir / "main.cf").read_bytes() == before
    assert leftovers(confdir) == []


def test_concurrent_edits_all_land(sbin, confdir):
    procs = [subprocess.Popen([str(sbin / "postconf"), "-c", str(confdir), "-e",
                               f"param_{i} = {i}"]) for i in range(20)]
    assert all(p.wait(timeout=30) == 0 for p in procs)
    text = (confdir / "main.cf").read_text()
    for i in range(20):
        assert f"\nparam_{i} = {i}\n" in text
    assert text.startswith(MAIN_CF)
    assert leftovers(confdir) == []


def test_tls_versions(sbin):
    for mode in ("compile-version", "run-version"):
        proc = postconf(sbin, "-T", mode)
        assert proc.returncode == 0
        assert re.fullmatch(r"GnuTLS \d+\.\d+\.\d+\n", proc.stdout), proc.stdout


REAL = shutil.which("real-postconf")

# Settings whose output must agree with Postfix's, by option.
COMPARE_MAIN_CF = (
    "myhostname = mx.example.com\n"
    "alias_database = $myhostname ${myhostname?yes} ${nonexistent:empty}\n"
    "  ${myhostname?{A}:{B}} ${{1} <level {2} ? {lt}:{ge}} $$x $(myhostname)\n"
    "mail_name = $user_defined\n"
    "user_defined = $mydomain\n"
    "compatibility_level = 3.6\n"
)
COMPARE_ARGS = [
    ["-n"],
    ["-nx"],
    ["-x", "alias_database", "mail_name", "mynetworks_style", "syslog_name"],
    ["-h", "alias_database", "nosuch"],
    ["-d", "inet_interfaces", "mynetworks_style", "syslog_name", "mynetworks", "mydomain",
     "myhostname", "parent_domain_matches_subdomains", "import_environment", "daemon_timeout"],
    ["-dx", "mynetworks_style", "syslog_name"],
    ["mydomain", "mail_name"],
    ["-o", "mail_name=x", "-n"],
]


@pytest.mark.skipif(REAL is None, reason="real-postconf (Debian's Postfix) not available")
@pytest.mark.parametrize("args", COMPARE_ARGS, ids=lambda a: " ".join(a))
def test_agrees_with_postfix(sbin, tmp_path, args):
    (tmp_path / "main.cf").write_text(COMPARE_MAIN_CF)
    # Postfix also reads master.cf (and warns when it is missing); we do not yet.
    (tmp_path / "master.cf").write_text("")
    ours = postconf(sbin, "-c", str(tmp_path), *args)
    theirs = subprocess.run([REAL, "-c", str(tmp_path), *args], capture_output=True, text=True,
                            timeout=30)
    assert ours.returncode == theirs.returncode
    assert ours.stdout == theirs.stdout
    want = sorted(set(re.sub(r"^\S*postconf: ", "postconf: ", line)
                      for line in theirs.stderr.splitlines()))
    assert sorted(set(ours.stderr.splitlines())) == want


def test_no_arguments_lists_every_parameter_sorted(sbin, confdir):
    (confdir / "master.cf").write_text("")
    (confdir / "main.cf").write_text("mail_name = $user_param\nuser_param = x\nunused_param = y\n")
    shown = postconf(sbin, "-c", str(confdir))
    defaults = postconf(sbin, "-c", str(confdir), "-d")
    assert shown.returncode == 0 and defaults.returncode == 0
    names = [line.split(" =")[0] for line in shown.stdout.splitlines()]
    default_names = [line.split(" =")[0] for line in defaults.stdout.splitlines()]
    assert names == sorted(names)
    assert default_names == sorted(default_names)
    assert set(names) == set(default_names) | {"user_param"}
    assert "unused parameter: unused_param=y" in shown.stderr
