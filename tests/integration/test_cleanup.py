"""cleanup against a real instance: a test client (tests/daemons/
test_cleanup_client) submits messages over public/cleanup and the tests
read the queue files back with postcat (ours, and Debian's Postfix
postcat where it is unpacked, to prove the format is Postfix's)."""
import os
import pathlib
import re
import signal
import subprocess

import pytest

from instance import Instance, TEST_LIBEXEC, wait_for, running
from conftest import BUILD, TOP

MASTER_CF = "cleanup unix n - n - 0 cleanup"
CLIENT = TEST_LIBEXEC / "test_cleanup_client"
REF_POSTCAT = pathlib.Path("/var/cache/postern-ref/root/usr/sbin/postcat")

STAT_SIZE, STAT_HOPS, STAT_RCPT = 1 << 2, 1 << 4, 1 << 5
FLAG_HOLD, FLAG_EXTRACT, FLAG_LOCAL = 1 << 0, 1 << 5, 1 << 6

ENVELOPE = ("S\talice@example.com\n"
            "A\tclient_address\t127.0.0.1\n"
            "R\tbob@example.com\trfc822;bob@example.com\t6\n")


@pytest.fixture
def inst(tmp_path):
    with Instance(tmp_path, MASTER_CF, **{"message_size_limit": 200000}) as instance:
        for name in ("incoming", "hold"):
            (instance.queue / name).mkdir(mode=0o700)
            os.chown(instance.queue / name, instance.owner.pw_uid, instance.owner.pw_gid)
        instance.start()
        yield instance


def submit(inst, text, *args):
    """Runs the client; returns (queue id, status, reason)."""
    result = subprocess.run([str(CLIENT), *args, str(inst.queue / "public" / "cleanup")],
                            input=text.encode(), capture_output=True, timeout=60)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    queue_id = re.search(r"queue_id: (\S+)", out).group(1)
    status = re.search(r"status: (\d+)", out)
    return queue_id, int(status.group(1)) if status else None, out


def queue_files(inst, name="incoming"):
    return sorted((inst.queue / name).iterdir())


def postcat(path, *options, program=None):
    """Our postcat (or Postfix's with program=REF_POSTCAT) on one file."""
    env = dict(os.environ)
    conf = path.parents[2] / "etc"
    command = [str(program or BUILD / "sbin" / "postcat"), "-c", str(conf), *options, str(path)]
    if program == REF_POSTCAT:
        conf = path.parents[2] / "refconf"
        conf.mkdir(exist_ok=True)
        (conf / "main.cf").touch()
        command[2] = str(conf)
        env["LD_LIBRARY_PATH"] = "/var/cache/postern-ref/root/usr/lib/postfix"
    result = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_message_is_queued_complete_and_readable(inst):
    body = "Subject: hello\nX-Bytes: tab\there\n\nline one\n\nline three\n"
    queue_id, status, out = submit(inst, ENVELOPE + "\n" + body)
    assert status == 0, out
    files = queue_files(inst)
    assert [f.name for f in files] == [queue_id]
    assert files[0].stat().st_mode & 0o777 == 0o700
    text = postcat(files[0])
    assert "sender: alice@example.com\n" in text
    assert "named_attribute: client_address=127.0.0.1\n" in text
    assert "dsn_original_recipient: rfc822;bob@example.com\ndsn_notify_flags: 6\n" in text
    assert "original_recipient: bob@example.com\nrecipient: bob@example.com\n" in text
    contents = text.split("*** MESSAGE CONTENTS")[1].split("\n", 1)[1]
    assert contents.split("*** HEADER EXTRACTED")[0] == body
    inst.wait_log(rf"cleanup\[\d+\]: {queue_id}: message-id=<>")


@pytest.mark.skipif(not REF_POSTCAT.exists(), reason="Postfix reference not unpacked")
def test_postfix_postcat_reads_our_queue_file(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: x\n\nbody\n", "-l", "3")
    assert status == 0, out
    path = queue_files(inst)[0]
    for options in ((), ("-o",), ("-b",), ("-h",), ("-e",)):
        ours = postcat(path, *options)
        theirs = postcat(path, *options, program=REF_POSTCAT)
        assert ours == theirs, options


def test_partial_lines_are_kept_byte_exact(inst):
    long_line = "x" * 50 + "y" * 7
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: y\n\n" + long_line + "\n",
                                   "-l", "10")
    assert status == 0, out
    assert "\n" + long_line + "\n" in postcat(queue_files(inst)[0], "-b")


def test_size_limit_rejects_and_leaves_no_file(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\n" + "Subject: big\n\n" + ("z" * 80 + "\n") * 3000)
    assert status == STAT_SIZE, out
    assert "Message file too big" in out
    assert queue_files(inst) == []


def test_hopcount_limit(inst):
    headers = "".join(f"Received: from hop{i}\n" for i in range(50))
    queue_id, status, out = submit(inst, ENVELOPE + "\n" + headers + "\nbody\n")
    assert status == STAT_HOPS, out
    assert queue_files(inst) == []


def test_no_recipients(inst):
    queue_id, status, out = submit(inst, "S\ta@example.com\n\nSubject: x\n\nbody\n")
    assert status == STAT_RCPT, out
    assert queue_files(inst) == []


def test_duplicate_recipients_and_dropped_headers(inst):
    envelope = ENVELOPE + "R\tbob@example.com\trfc822;bob@example.com\t6\nR\tcarol@example.com\n"
    body = "Return-Path: <x@y>\nSubject: z\nContent-Length: 12\n\nbody\n"
    queue_id, status, out = submit(inst, envelope + "\n" + body)
    assert status == 0, out
    text = postcat(queue_files(inst)[0])
    assert text.count("recipient: bob@example.com\n") == 2  # original_ and plain
    assert "recipient: carol@example.com\n" in text
    assert re.search(r"message_size: +\d+ +\d+ +2 ", text)
    assert "Return-Path" not in text and "Content-Length" not in text


def test_local_submission_gets_missing_headers(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: local\n\nbody\n",
                                   "-f", str(FLAG_LOCAL))
    assert status == 0, out
    headers = postcat(queue_files(inst)[0], "-h")
    hostname = re.search(r"@([^>]+)>", headers).group(1)
    assert re.search(rf"^Message-Id: <\d{{14}}\.{queue_id}@{re.escape(hostname)}>$", headers, re.M)
    assert re.search(r"^Date: \w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d [-+]\d{4} \(.+\)$",
                     headers, re.M)
    assert "\nFrom: alice@example.com\n" in headers
    inst.wait_log(rf"{queue_id}: message-id=<\d{{14}}\.{queue_id}@")


def test_existing_message_id_is_logged(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\nMessage-ID:  <abc@example.org>\n\nb\n",
                                   "-f", str(FLAG_LOCAL))
    assert status == 0, out
    inst.wait_log(rf"{queue_id}: message-id=<abc@example\.org>$")
    assert postcat(queue_files(inst)[0], "-h").count("Message-") == 1


def test_extract_recipients_and_remove_bcc(inst):
    body = ('To: "Bob B" <bob@example.com>, dave@example.com (Dave)\n'
            "Cc: undisclosed:;\n"
            "Bcc: secret@example.com\n\nbody\n")
    queue_id, status, out = submit(inst, "S\talice@example.com\n\n" + body,
                                   "-f", str(FLAG_EXTRACT))
    assert status == 0, out
    text = postcat(queue_files(inst)[0])
    extracted = text.split("*** HEADER EXTRACTED")[1]
    for rcpt in ("bob@example.com", "dave@example.com", "secret@example.com"):
        assert f"\nrecipient: {rcpt}\n" in extracted
    assert "Bcc" not in text


def test_hold_flag_puts_the_file_on_hold(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: h\n\nb\n", "-f", str(FLAG_HOLD))
    assert status == 0, out
    assert queue_files(inst) == []
    assert [f.name for f in queue_files(inst, "hold")] == [queue_id]


def test_client_abort_leaves_no_file(inst):
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: a\n\nb\n", "-a")
    assert "aborted" in out
    wait_for(lambda: queue_files(inst) == [], what="queue file removal")


def start_client(inst):
    client = subprocess.Popen([str(CLIENT), str(inst.queue / "public" / "cleanup")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    queue_id = client.stdout.readline().decode().split()[1]
    client.stdin.write((ENVELOPE + "\nSubject: s\n\n" + "line\n" * 20000).encode())
    client.stdin.flush()
    wait_for(lambda: [f.name for f in queue_files(inst)] == [queue_id], what="queue file")
    return client, queue_id


def test_client_that_vanishes_mid_message_leaves_no_file(inst):
    client, queue_id = start_client(inst)
    client.kill()
    client.wait()
    wait_for(lambda: queue_files(inst) == [], what="queue file removal")


def test_killed_cleanup_leaves_no_completed_file(inst):
    client, queue_id = start_client(inst)
    cleanups = [p for p in inst.processes()
                if b"cleanup" in pathlib.Path(f"/proc/{p}/cmdline").read_bytes()]
    assert len(cleanups) == 1
    os.kill(cleanups[0], signal.SIGKILL)
    wait_for(lambda: not running(cleanups[0]), what="cleanup to die")
    client.stdin.close()
    out = client.stdout.read().decode()
    client.wait()
    assert "status: 2\n" in out  # CLEANUP_STAT_WRITE: no OK without a durable file
    for path in queue_files(inst):
        assert path.stat().st_mode & 0o100 == 0


def test_line_longer_than_a_request_arrives_whole(inst):
    line = "".join(chr(ord("a") + i % 26) for i in range(100000))
    queue_id, status, out = submit(inst, ENVELOPE + "\nSubject: long\n\n" + line + "\nend\n")
    assert status == 0, out
    assert "\n" + line + "\nend\n" in postcat(queue_files(inst)[0], "-b")
