"""make install DESTDIR=...: every program lands with its mode, the
newaliases link points at postalias, and an administrator's edited
main.cf survives a second install."""
import grp
import os
import stat
import subprocess

from conftest import BUILD, TOP


def configured(name):
    with open(TOP / "config.mk") as f:
        for line in f:
            key, _, value = line.partition("=")
            if key.strip() == name:
                return value.strip()
    raise KeyError(name)


def make_install(destdir):
    subprocess.run(["make", "-s", "-C", str(TOP), f"BUILDDIR={BUILD}", "install",
                    f"DESTDIR={destdir}"], check=True, capture_output=True)


def test_install_places_programs_links_and_configuration(tmp_path):
    make_install(tmp_path)
    sbin = tmp_path / configured("COMMAND_DIRECTORY").lstrip("/")
    libexec = tmp_path / configured("DAEMON_DIRECTORY").lstrip("/")
    config = tmp_path / configured("CONFIG_DIRECTORY").lstrip("/")
    for program in ("postconf", "postfix", "postmap", "postalias", "sendmail"):
        mode = stat.S_IMODE(os.stat(sbin / program).st_mode)
        assert mode == 0o755, f"{program}: got mode {mode:o}, want 755"
    postdrop = os.stat(sbin / "postdrop")
    assert stat.S_IMODE(postdrop.st_mode) == 0o2555, f"postdrop: got mode {postdrop.st_mode:o}"
    assert grp.getgrgid(postdrop.st_gid).gr_name == configured("SETGID_GROUP")
    for daemon in ("master", "postlogd", "pickup"):
        assert os.access(libexec / daemon, os.X_OK), f"{daemon} not installed"
    assert os.stat(sbin / "newaliases").st_ino == os.stat(sbin / "postalias").st_ino
    for name in ("main.cf", "master.cf"):
        mode = stat.S_IMODE(os.stat(config / name).st_mode)
        assert mode == 0o644, f"{name}: got mode {mode:o}, want 644"


def test_second_install_keeps_edited_main_cf(tmp_path):
    make_install(tmp_path)
    main_cf = tmp_path / configured("CONFIG_DIRECTORY").lstrip("/") / "main.cf"
    main_cf.write_text("myhostname = edited.example\n")
    make_install(tmp_path)
    assert main_cf.read_text() == "myhostname = edited.example\n"
