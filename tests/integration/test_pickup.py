"""Local submission end to end: sendmail -> postdrop -> maildrop/ ->
pickup -> cleanup -> incoming/, read back with postcat; sendmail -t;
malformed maildrop files; mail queued while master is down; and
authorized_submit_users in sendmail and postdrop."""
import grp
import os
import re
import subprocess

import pytest

from instance import Instance, ROOT, wait_for, _setgid_group
from conftest import BUILD
from test_cleanup import postcat

# wakeup 1: a file left in maildrop/ is found within a second.
MASTER_CF = "pickup unix n - n 1 1 pickup\ncleanup unix n - n - 0 cleanup"


def make_queue(inst):
    for name, mode in (("maildrop", 0o1730), ("incoming", 0o700), ("corrupt", 0o700),
                       ("hold", 0o700)):
        path = inst.queue / name
        path.mkdir(exist_ok=True)
        os.chmod(path, mode)
        os.chown(path, inst.owner.pw_uid, grp.getgrnam(_setgid_group(inst.owner.pw_name)).gr_gid)


@pytest.fixture
def inst(tmp_path):
    with Instance(tmp_path, MASTER_CF, authorized_submit_users="!nobody, static:anyone") as i:
        make_queue(i)
        yield i


def sendmail(inst, text, *args, user=None):
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if user else []
    return subprocess.run(prefix + [str(BUILD / "sbin" / "sendmail"), "-C", str(inst.config),
                                    *args], input=text.encode(), capture_output=True, timeout=60)


def files(inst, name):
    return sorted(p.name for p in (inst.queue / name).iterdir())


def queued(inst):
    return wait_for(lambda: files(inst, "maildrop") == [] and files(inst, "incoming"),
                    what="the message in incoming/")


def test_message_travels_to_incoming(inst):
    inst.start()
    body = "Subject: local\n\nline one\n..dots stay\n"
    result = sendmail(inst, body + ".\nafter the dot\n", "-f", "alice@example.com",
                      "-N", "delay,failure", "bob@example.com, carol@example.com")
    assert result.returncode == 0, result.stderr
    [queue_id] = queued(inst)
    text = postcat(inst.queue / "incoming" / queue_id)
    assert "sender: alice@example.com\n" in text
    assert "named_attribute: rewrite_context=local\n" in text
    assert "dsn_notify_flags: 12\noriginal_recipient: bob@example.com\nrecipient: bob@example.com\n" in text
    assert "dsn_notify_flags: 12\noriginal_recipient: carol@example.com\nrecipient: carol@example.com\n" in text
    contents = text.split("*** MESSAGE CONTENTS")[1].split("\n", 1)[1]
    assert contents.startswith("Subject: local\n")
    assert "\nline one\n..dots stay\n" in contents
    assert "after the dot" not in contents
    inst.wait_log(rf"pickup\[\d+\]: {queue_id}: uid=0 from=<alice@example\.com>")


def test_dash_i_keeps_a_dot_line(inst):
    inst.start()
    result = sendmail(inst, "Subject: i\n\n.\nafter\n", "-oi", "bob@example.com")
    assert result.returncode == 0, result.stderr
    [queue_id] = queued(inst)
    assert "\n.\nafter\n" in postcat(inst.queue / "incoming" / queue_id, "-b")


def test_extract_recipients_drops_bcc(inst):
    inst.start()
    body = "To: bob@example.com\nBcc: hidden@example.com\nSubject: t\n\nbody\n"
    result = sendmail(inst, body, "-t", "-f", "alice@example.com")
    assert result.returncode == 0, result.stderr
    [queue_id] = queued(inst)
    text = postcat(inst.queue / "incoming" / queue_id)
    extracted = text.split("*** HEADER EXTRACTED")[1]
    assert "\nrecipient: bob@example.com\n" in extracted
    assert "\nrecipient: hidden@example.com\n" in extracted
    assert "Bcc" not in text


def test_recipient_errors_exit_75_and_queue_nothing(inst):
    result = sendmail(inst, "Subject: x\n\nbody\n")
    assert result.returncode == 75
    assert b"Recipient addresses must be specified on the command line or via the -t option" \
        in result.stderr
    result = sendmail(inst, "Subject: x\nCc: undisclosed:;\n\nbody\n", "-t")
    assert result.returncode == 75
    assert b"No recipient addresses found in message header" in result.stderr
    wait_for(lambda: files(inst, "maildrop") == [], what="postdrop to remove its file")


def test_malformed_maildrop_file_goes_to_corrupt(inst):
    bad = inst.queue / "maildrop" / "ABCDE12345"
    bad.write_bytes(b"T\x0c1700000000 1S\x05aliceR\x03bobN\x02hi")  # no M, no E
    os.chmod(bad, 0o744)
    incomplete = inst.queue / "maildrop" / "ABCDE12346"
    incomplete.write_bytes(b"garbage")
    os.chmod(incomplete, 0o644)
    inst.start()
    wait_for(lambda: files(inst, "corrupt") == ["ABCDE12345"], what="file in corrupt/")
    inst.wait_log(r"warning: maildrop/ABCDE12345: .*; moved to corrupt/")
    assert files(inst, "maildrop") == ["ABCDE12346"]  # no owner-execute bit: not complete
    assert files(inst, "incoming") == []


def test_mail_sent_while_master_is_down_is_picked_up(inst):
    result = sendmail(inst, "Subject: later\n\nbody\n", "bob@example.com")
    assert result.returncode == 0, result.stderr
    assert b"public/pickup" in result.stderr  # a warning, not an error
    [name] = files(inst, "maildrop")
    assert os.stat(inst.queue / "maildrop" / name).st_mode & 0o777 == 0o744
    assert files(inst, "incoming") == []
    inst.start()
    [queue_id] = queued(inst)
    inst.wait_log(rf"{queue_id}: uid=0 from=<root>")


@pytest.mark.skipif(not ROOT, reason="needs root to run as nobody")
def test_unauthorized_user_is_refused(inst):
    result = sendmail(inst, "Subject: no\n\nbody\n", "bob@example.com", user="nobody")
    assert result.returncode == 75, result.stderr
    assert b"User nobody(65534) is not allowed to submit mail" in result.stderr
    result = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                             str(BUILD / "sbin" / "postdrop"), "-c", str(inst.config)],
                            input=b"", capture_output=True, timeout=60)
    assert result.returncode == 1
    assert b"User nobody(65534) is not allowed to submit mail" in result.stderr
    assert files(inst, "maildrop") == []
