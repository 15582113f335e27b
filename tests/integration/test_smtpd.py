"""smtpd against a real instance (master, smtpd, cleanup): replies to
every command and error case as Postfix's smtpd gives them (checked
side by side with Postfix 3.7's smtpd), pipelining, DATA and BDAT
content read back from the queue file, limits, the relay matrix and
hostile input."""
import subprocess

import pytest

from conftest import BUILD
from instance import wait_for
from smtpd_harness import Client, smtpd_instance

EHLO = ("250-mx.example.net\n250-PIPELINING\n250-SIZE 10240000\n250-VRFY\n250-ETRN\n"
        "250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-DSN\n250-SMTPUTF8\n250 CHUNKING")


@pytest.fixture
def inst(tmp_path):
    with smtpd_instance(tmp_path) as instance:
        instance.start()
        yield instance


def connect(inst, source="127.0.0.1"):
    client = Client(inst.port, source)
    assert client.reply() == "220 mx.example.net ESMTP postern"
    return client


def body(inst, queue_id):
    """The message content of a queue file, as postcat -h -b prints it."""
    path = next(inst.queue.glob(f"incoming/**/{queue_id}"))
    result = subprocess.run([str(BUILD / "sbin" / "postcat"), "-c", str(inst.config), "-h", "-b",
                             str(path)], capture_output=True, check=True)
    return result.stdout


def send_message(client, data, rcpt="x@mx.example.net"):
    assert client.cmd("MAIL FROM:<a@b.example>") == "250 2.1.0 Ok"
    assert client.cmd(f"RCPT TO:<{rcpt}>") == "250 2.1.5 Ok"
    assert client.cmd("DATA") == "354 End data with <CR><LF>.<CR><LF>"
    client.send(data)
    reply = client.reply()
    assert reply.startswith("250 2.0.0 Ok: queued as "), reply
    return reply.split()[-1]


def test_session_replies(inst):
    c = connect(inst)
    assert c.cmd("HELO") == "501 Syntax: HELO hostname"
    assert c.cmd("EHLO") == "501 Syntax: EHLO hostname"
    assert c.cmd("EHLO client.example") == EHLO
    assert c.cmd("RCPT TO:<x@y>") == "503 5.5.1 Error: need MAIL command"
    assert c.cmd("DATA") == "503 5.5.1 Error: need RCPT command"
    assert c.cmd("MAIL TO:<a@b>") == "501 5.5.4 Syntax: MAIL FROM:<address>"
    assert c.cmd("MAIL FROM:<a b@c>") == "501 5.1.7 Bad sender address syntax"
    assert c.cmd("MAIL FROM:<a@b> FOO=BAR") == "555 5.5.4 Unsupported option: FOO=BAR"
    assert c.cmd("MAIL FROM:<a@b> SIZE=abc") == "501 5.5.4 Bad message size syntax"
    assert c.cmd("MAIL FROM:<a@b> SIZE=99999999999") == "552 5.3.4 Message size exceeds fixed limit"
    assert c.cmd("MAIL FROM:<a@b> BODY=FOO") == "555 5.5.4 Unsupported option: BODY=FOO"
    assert c.cmd("MAIL FROM:<a@b> RET=X") == "501 5.5.4 Bad RET parameter syntax"
    assert c.cmd("MAIL FROM:<a@b> ENVID=a+2") == "501 5.5.4 Bad ENVID parameter syntax"
    assert c.cmd("MAIL FROM:<> SMTPUTF8 BODY=8BITMIME RET=HDRS ENVID=x SIZE=10 AUTH=<>") == \
        "250 2.1.0 Ok"
    assert c.cmd("MAIL FROM:<c@d>") == "503 5.5.1 Error: nested MAIL command"
    assert c.cmd("DATA") == "503 5.5.1 Error: need RCPT command"
    assert c.cmd("RCPT FROM:<x@y>") == "501 5.5.4 Syntax: RCPT TO:<address>"
    assert c.cmd("RCPT TO:<>") == "501 5.1.3 Bad recipient address syntax"
    assert c.cmd("RCPT TO:<x@y") == "501 5.1.3 Bad recipient address syntax"
    assert c.cmd("RCPT TO:<x@y> NOTIFY=NEVER,SUCCESS") == \
        "501 5.5.4 Error: Bad NOTIFY parameter syntax"
    assert c.cmd("RCPT TO:<x@y> ORCPT=foo") == "501 5.5.4 Error: Bad ORCPT parameter syntax"
    assert c.cmd("DATA") == "554 5.5.1 Error: no valid recipients"
    assert c.cmd("RCPT TO:<x@y> ORCPT=rfc822;a@b NOTIFY=SUCCESS,FAILURE") == "250 2.1.5 Ok"
    assert c.cmd("RSET x") == "501 5.5.4 Syntax: RSET"
    assert c.cmd("RSET") == "250 2.0.0 Ok"
    assert c.cmd("NOOP x") == "250 2.0.0 Ok"
    assert c.cmd("VRFY") == "501 5.5.4 Syntax: VRFY address [SMTPUTF8]"
    assert c.cmd("VRFY <a@b>") == "252 2.0.0 <a@b>"
    assert c.cmd("ETRN") == "500 Syntax: ETRN domain"
    assert c.cmd("ETRN foo") == "459 <foo>: service unavailable"
    assert c.cmd("EXPN x") == "500 5.5.2 Error: command not recognized"
    assert c.cmd("") == "500 5.5.2 Error: bad syntax"
    assert c.cmd("DATA x") == "501 5.5.4 Syntax: DATA"
    assert c.cmd("QUIT") == "221 2.0.0 Bye"
    assert c.closed()
    inst.wait_log(r"disconnect from unknown\[127\.0\.0\.1\] helo=0/1 ehlo=1/2 mail=1/10 "
                  r"rcpt=1/7 data=0/4 rset=1/2 noop=1 vrfy=1/2 etrn=0/2 quit=1 unknown=0/1 "
                  r"commands=7/33$")
    assert "warning: reject: ETRN foo... from unknown[127.0.0.1]" in inst.log()


def test_forbidden_commands_hang_up(inst):
    for line in ("GET / HTTP/1.0", "1abc", "\x16\x03\x01"):
        c = connect(inst)
        assert c.cmd(line) == "221 2.7.0 Error: I can break rules, too. Goodbye."
        assert c.closed()
    c = connect(inst)
    assert c.cmd("FOO") == "500 5.5.2 Error: command not recognized"
    inst.wait_log(r"warning: non-SMTP command from unknown\[127\.0\.0\.1\]: GET / HTTP/1\.0")


def test_helo_required_and_vrfy_disabled(tmp_path):
    with smtpd_instance(tmp_path, smtpd_helo_required="yes", disable_vrfy_command="yes",
                        smtpd_discard_ehlo_keywords="dsn, chunking") as inst:
        inst.start()
        c = connect(inst)
        assert c.cmd("MAIL FROM:<a@b>") == "503 5.5.1 Error: send HELO/EHLO first"
        assert c.cmd("VRFY x") == "503 5.5.1 Error: send HELO/EHLO first"
        assert c.cmd("HELO x") == "250 mx.example.net"
        assert c.cmd("VRFY x") == "502 5.5.1 VRFY command is disabled"
        assert c.cmd("EHLO x") == EHLO.replace("250-DSN\n", "").replace(
            "250-SMTPUTF8\n250 CHUNKING", "250 SMTPUTF8")


def test_too_many_errors(tmp_path):
    with smtpd_instance(tmp_path, smtpd_hard_error_limit="3") as inst:
        inst.start()
        c = connect(inst)
        for _ in range(3):
            assert c.cmd("FOO") == "500 5.5.2 Error: command not recognized"
        assert c.reply() == "421 4.7.0 mx.example.net Error: too many errors"
        assert c.closed()
        inst.wait_log(r"too many errors after CONNECT from unknown\[127\.0\.0\.1\]")


def test_timeout(tmp_path):
    with smtpd_instance(tmp_path, smtpd_timeout="1s") as inst:
        inst.start()
        c = connect(inst)
        assert c.reply() == "421 4.4.2 mx.example.net Error: timeout exceeded"
        inst.wait_log(r"timeout after CONNECT from unknown\[127\.0\.0\.1\]")


def test_pipelining_in_one_write(inst):
    c = connect(inst)
    c.send("EHLO a\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@mx.example.net>\r\n"
           "RCPT TO:<y@mx.example.net>\r\nDATA\r\n")
    assert c.reply() == EHLO
    assert c.reply() == "250 2.1.0 Ok"
    assert c.reply() == "250 2.1.5 Ok"
    assert c.reply() == "250 2.1.5 Ok"
    assert c.reply() == "354 End data with <CR><LF>.<CR><LF>"
    c.send("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n")
    queue_id = c.reply().split()[-1]
    assert c.reply() == "221 2.0.0 Bye"
    content = body(inst, queue_id)
    assert content.startswith(b"Received: from a (unknown [127.0.0.1])\n\tby mx.example.net "
                              b"(postern) with ESMTP id " + queue_id.encode() + b";\n\t")
    assert content.endswith(b"\nSubject: x\n\nhi\n")
    inst.wait_log(rf"{queue_id}: client=unknown\[127\.0\.0\.1\]")
    assert "improper command pipelining" not in inst.log()


def test_improper_pipelining_after_data(inst):
    c = connect(inst)
    c.cmd("EHLO a")
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<x@mx.example.net>")
    c.send("DATA\r\nHELO x\r\n.\r\n")
    assert c.reply() == "354 End data with <CR><LF>.<CR><LF>"
    assert c.reply().startswith("250 2.0.0 Ok: queued as ")
    inst.wait_log(r"improper command pipelining after DATA from unknown\[127\.0\.0\.1\]: "
                  r"HELO x\\r\\n\.\\r\\n")


def test_dot_stuffing_and_received(inst):
    c = connect(inst)
    c.cmd("EHLO client.example")
    queue_id = send_message(c, b"Subject: s\r\n\r\n..x\r\n...\r\nline\rwith CR\r\n.\r\n")
    content = body(inst, queue_id)
    assert content.startswith(b"Received: from client.example (unknown [127.0.0.1])\n\tby "
                              b"mx.example.net (postern) with ESMTP id " + queue_id.encode() +
                              b"\n\tfor <x@mx.example.net>; ")
    assert content.endswith(b"\nSubject: s\n\n.x\n..\nline\rwith CR\n")


def test_bare_newline_normalize_default(inst):
    c = connect(inst, "127.0.0.2")
    c.cmd("EHLO a")
    queue_id = send_message(c, b"Subject: s\r\n\r\na\nb\r\n.\nx\r\n.\r\n",
                            rcpt="x@relay.example")
    assert body(inst, queue_id).endswith(b"\nSubject: s\n\na\nb\nx\n")


def test_bare_newline_no_ends_at_lf_dot_lf(tmp_path):
    with smtpd_instance(tmp_path, smtpd_forbid_bare_newline="no") as inst:
        inst.start()
        c = connect(inst)
        c.cmd("EHLO a")
        queue_id = send_message(c, b"Subject: s\r\n\r\na\n.\nNOOP\r\n")
        assert c.reply() == "250 2.0.0 Ok"
        assert body(inst, queue_id).endswith(b"\n\na\n")


def test_bare_newline_reject(tmp_path):
    with smtpd_instance(tmp_path, smtpd_forbid_bare_newline="reject") as inst:
        inst.start()
        c = connect(inst, "127.0.0.2")
        c.cmd("EHLO a")
        c.cmd("MAIL FROM:<a@b>")
        c.cmd("RCPT TO:<x@relay.example>")
        c.cmd("DATA")
        c.send(b"a\nb\r\n.\r\n")
        assert c.reply() == "550 5.5.2 mx.example.net Error: bare <LF> received"
        assert c.cmd("NOOP") == "250 2.0.0 Ok"
        c.send(b"NOOP\n")
        assert c.reply() == "550 5.5.2 mx.example.net Error: bare <LF> received"
        assert c.closed()
        inst.wait_log(r": reject: END-OF-MESSAGE from unknown\[127\.0\.0\.2\]: bare <LF> "
                      r"received; from=<a@b> to=<x@relay\.example> proto=ESMTP helo=<a>")
        # mynetworks (the default exclusions) may send bare LF.
        c = connect(inst, "127.0.0.1")
        assert c.cmd("NOOP") == "250 2.0.0 Ok"
        c.send(b"NOOP\n")
        assert c.reply() == "250 2.0.0 Ok"


def test_bdat(inst):
    c = connect(inst)
    c.cmd("EHLO a")
    c.send("BDAT 1\r\nx")
    assert c.reply() == "503 5.5.1 Error: need RCPT command"
    assert c.cmd("MAIL FROM:<a@b.example>") == "503 5.5.1 Error: MAIL after BDAT"
    assert c.cmd("RSET") == "250 2.0.0 Ok"
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<x@mx.example.net>")
    # CR LF split across chunks, no dot-stuffing.
    c.send(b"BDAT 11\r\nSubject: s\rBDAT 11 LAST\r\n\n\r\nab\r\n.x\r\n")
    assert c.reply() == "250 2.0.0 Ok: 11 bytes"
    reply = c.reply()
    assert reply.startswith("250 2.0.0 Ok: 22 bytes queued as "), reply
    assert body(inst, reply.split()[-1]).endswith(b"\nSubject: s\n\nab\n.x\n")
    c.send("BDAT\r\n")
    assert c.reply() == "521 5.5.4 Syntax: BDAT count [LAST]"
    assert c.closed()


def test_message_size_limit(tmp_path):
    with smtpd_instance(tmp_path, message_size_limit="1000") as inst:
        inst.start()
        c = connect(inst)
        assert "250-SIZE 1000\n" in c.cmd("EHLO a")
        assert c.cmd("MAIL FROM:<a@b> SIZE=1001") == "552 5.3.4 Message size exceeds fixed limit"
        c.cmd("MAIL FROM:<a@b> SIZE=1000")
        c.cmd("RCPT TO:<x@mx.example.net>")
        c.cmd("DATA")
        c.send(b"x" * 2000 + b"\r\n.\r\n")
        assert c.reply() == "552 5.3.4 Message size exceeds fixed limit"
        assert c.cmd("QUIT") == "221 2.0.0 Bye"
        assert list(inst.queue.glob("incoming/**/*[0-9A-F]")) == []


RELAY_MATRIX = [
    # client, recipient, reply
    ("127.0.0.1", "x@foreign.example", "250 2.1.5 Ok"),
    ("127.0.0.1", "x@relay.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@foreign.example", "454 4.7.1 <x@foreign.example>: Relay access denied"),
    ("127.0.0.2", "x@foreign.example.", "454 4.7.1 <x@foreign.example.>: Relay access denied"),
    ("127.0.0.2", "@a:x@foreign.example", "454 4.7.1 <x@foreign.example>: Relay access denied"),
    ("127.0.0.2", "x%y@relay.example", "454 4.7.1 <x%y@relay.example>: Relay access denied"),
    ("127.0.0.2", "x@[127.0.0.2]", "454 4.7.1 <x@[127.0.0.2]>: Relay access denied"),
    ("127.0.0.2", "x@relay.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@sub.relay.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@mx.example.net", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@localhost", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@[127.0.0.1]", "250 2.1.5 Ok"),
    ("127.0.0.2", "x", "250 2.1.5 Ok"),
]


def test_relay_matrix(inst):
    for source, rcpt, want in RELAY_MATRIX:
        c = connect(inst, source)
        c.cmd("EHLO h")
        c.cmd("MAIL FROM:<a@b>")
        assert c.cmd(f"RCPT TO:<{rcpt}>") == want, (source, rcpt)
        c.close()
    inst.wait_log(r"NOQUEUE: reject: RCPT from unknown\[127\.0\.0\.2\]: 454 4\.7\.1 "
                  r"<x@foreign\.example>: Relay access denied; from=<a@b> "
                  r"to=<x@foreign\.example> proto=ESMTP helo=<h>")


def test_no_open_relay_with_default_configuration(tmp_path):
    # relay_domains and mynetworks back at their defaults (compatibility_level 3.6).
    with smtpd_instance(tmp_path, relay_domains="${relay_domains}") as inst:
        inst.write_main_cf({k: v for k, v in inst.settings.items()
                            if k not in ("relay_domains", "mynetworks")})
        inst.start()
        c = connect(inst, "127.0.0.2")
        c.cmd("EHLO h")
        c.cmd("MAIL FROM:<a@b>")
        assert c.cmd("RCPT TO:<x@foreign.example>") == \
            "454 4.7.1 <x@foreign.example>: Relay access denied"


def test_restrictions(tmp_path):
    with smtpd_instance(tmp_path, smtpd_relay_restrictions="reject_unauth_destination",
                        smtpd_recipient_restrictions="reject_non_fqdn_sender, "
                        "reject_non_fqdn_recipient, bogus_restriction") as inst:
        inst.start()
        c = connect(inst)
        c.cmd("EHLO h")
        c.cmd("MAIL FROM:<a>")
        assert c.cmd("RCPT TO:<x@foreign.example>") == \
            "554 5.7.1 <x@foreign.example>: Relay access denied"
        assert c.cmd("RCPT TO:<x@relay.example>") == \
            "504 5.5.2 <a>: Sender address rejected: need fully-qualified address"
        c.cmd("RSET")
        c.cmd("MAIL FROM:<a@b.example>")
        assert c.cmd("RCPT TO:<x>") == \
            "504 5.5.2 <x>: Recipient address rejected: need fully-qualified address"
        assert c.cmd("RCPT TO:<x@relay.example>") == "451 4.3.5 Server configuration error"
        inst.wait_log(r'warning: unknown smtpd restriction: "bogus_restriction"')


def test_relay_restrictions_that_cannot_refuse_stop_smtpd(tmp_path):
    with smtpd_instance(tmp_path, smtpd_relay_restrictions="permit_mynetworks") as inst:
        inst.start()
        Client(inst.port).close()
        inst.wait_log(r"fatal: parameters smtpd_relay_restrictions and "
                      r"smtpd_recipient_restrictions: specify at least one working instance")


HOSTILE = [
    b"EHLO a\x00b\r\n",
    b"\r\n\r\n\n\r\r\n",
    b"MAIL FROM:<a@b>\x00 SIZE=1\r\n",
    b"MAIL FROM:<\xff\xfe@b>\r\nRCPT TO:<\xc0\xaf@mx.example.net>\r\n",
    b"RCPT TO:<" + b"a" * 100000 + b"@mx.example.net>\r\n",
    b"X" * 100000 + b"\r\n",
    b"DATA\r\n\x00\x01\x02garbage\r\n\r\n",
    b"BDAT 99999999999999999999999\r\n",
]


def test_hostile_input(inst):
    for data in HOSTILE:
        c = connect(inst, "127.0.0.2")
        c.send(data)
        c.send(b"\r\nQUIT\r\n")
        replies = []
        try:
            while True:
                replies.append(c.reply())
        except (EOFError, ConnectionResetError):
            pass
        assert replies, data[:40]
        assert all(r[:1] in "2345" for r in replies), replies
        c.close()
    inst.wait_log(r"disconnect from unknown\[127\.0\.0\.2\]", count=len(HOSTILE))
    assert "fatal" not in inst.log() and "panic" not in inst.log()
