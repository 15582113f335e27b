"""postmap and postalias: tables interchangeable with Postfix's, atomic rebuilds.

Tables built by our postmap/postalias are read with Debian's Postfix 3.7
(tools/postfix-ref, given -c with an empty main.cf) and the other way
round, for hash: and btree: (the reference copy cannot load lmdb:).  A
reader running during repeated rebuilds must always see one complete
table, and a failed rebuild must leave the old file byte for byte.
"""
import os
import pathlib
import pwd
import shutil
import subprocess
import tempfile
import threading

import pytest

TOP = pathlib.Path(__file__).resolve().parents[2]
POSTFIX_REF = TOP / "tools" / "postfix-ref"
REFERENCE = pathlib.Path(os.environ.get("POSTERN_REFERENCE", "/var/cache/postern-ref"))

SOURCE = (
    "# a comment\n"
    "Mixed.Case@Example.COM   relay:[mx.example.com]:25\n"
    "plain value with  inner   spaces\n"
    "continued first\n"
    "  second\n"
    "example.org\tOK\n"
)
EXPECTED = {
    "mixed.case@example.com": "relay:[mx.example.com]:25",
    "plain": "value with  inner   spaces",
    "continued": "first  second",
    "example.org": "OK",
}
ALIASES = "Root: admin, \"|/usr/bin/cmd arg\"\npostmaster: root\nlist: a,\n  b, c\n"
ALIAS_EXPECTED = {"root": 'admin, "|/usr/bin/cmd arg"', "postmaster": "root", "list": "a, b, c",
                  "@": "@"}


@pytest.fixture(scope="module", autouse=True)
def reference_present():
    # A missing reference is a broken test setup, not a reason to skip.
    assert (REFERENCE / "root" / "usr" / "sbin" / "postmap").exists(), \
        "Postfix reference missing: run tools/bootstrap"


@pytest.fixture
def work(tmp_path):
    (tmp_path / "main.cf").write_text("")
    return tmp_path


def run(argv, cwd, stdin=""):
    return subprocess.run([str(a) for a in argv], cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=120)


def ours(sbin, program, work, *args, stdin=""):
    return run([sbin / program, "-c", work, *args], work, stdin)


def ref(program, work, *args, stdin=""):
    return run([POSTFIX_REF, program, "-c", work, *args], work, stdin)


def listing(result, separator="\t"):
    assert result.returncode == 0, result.stderr
    return dict(line.split(separator, 1) for line in result.stdout.splitlines())


@pytest.mark.parametrize("table_type", ["hash", "btree"])
@pytest.mark.parametrize("nul", [[], ["-n"], ["-N"]])
def test_ours_read_by_reference(sbin, work, table_type, nul):
    (work / "t").write_text(SOURCE)
    assert ours(sbin, "postmap", work, *nul, f"{table_type}:t").returncode == 0
    for key, value in EXPECTED.items():
        got = ref("postmap", work, "-q", key.upper(), f"{table_type}:t")
        assert (got.returncode, got.stdout) == (0, value + "\n"), (key, got.stderr)
    assert ref("postmap", work, "-q", "absent", f"{table_type}:t").returncode == 1
    assert listing(ref("postmap", work, "-s", f"{table_type}:t")) == EXPECTED


@pytest.mark.parametrize("table_type", ["hash", "btree"])
def test_reference_read_by_ours(sbin, work, table_type):
    (work / "t").write_text(SOURCE)
    assert ref("postmap", work, f"{table_type}:t").returncode == 0
    keys = "".join(k.upper() + "\n" for k in EXPECTED) + "absent\n"
    got = ours(sbin, "postmap", work, "-q", "-", f"{table_type}:t", stdin=keys)
    assert got.returncode == 0, got.stderr
    assert got.stdout == "".join(f"{k.upper()}\t{v}\n" for k, v in EXPECTED.items())
    assert listing(ours(sbin, "postmap", work, "-s", f"{table_type}:t")) == EXPECTED


@pytest.mark.parametrize("table_type", ["hash", "btree"])
def test_aliases_both_ways(sbin, work, table_type):
    (work / "aliases").write_text(ALIASES)
    name = f"{table_type}:aliases"
    for build, read in ((ours, ref), (ref, ours)):
        build_args = (sbin, "postalias", work) if build is ours else ("postalias", work)
        read_args = (sbin, "postalias", work) if read is ours else ("postalias", work)
        assert build(*build_args, name).returncode == 0
        for key, value in ALIAS_EXPECTED.items():
            got = read(*read_args, "-q", key.upper(), name)
            assert (got.returncode, got.stdout) == (0, value + "\n"), (build, key, got.stderr)
        entries = listing(read(*read_args, "-s", name), ":\t")
        assert set(entries) == set(ALIAS_EXPECTED) | {"YP_LAST_MODIFIED", "YP_MASTER_NAME"}


def test_reference_db_dump_matches(sbin, work):
    """Byte-level agreement: the same keys and values, NULs included."""
    (work / "t").write_text(SOURCE)
    dumps = []
    for build in ("ours", "ref"):
        if build == "ours":
            assert ours(sbin, "postmap", work, "hash:t").returncode == 0
        else:
            assert ref("postmap", work, "hash:t").returncode == 0
        dump = run(["db_dump", "-p", work / "t.db"], work)
        assert dump.returncode == 0, dump.stderr
        dumps.append(sorted(dump.stdout.split("HEADER=END\n", 1)[1].splitlines()))
    assert dumps[0] == dumps[1]


def write_version(path, version, count):
    path.write_text("".join(f"k{i} {version}{i}\n" for i in range(count)) +
                    f"version {version}\n")


def check_complete(entries, count):
    version = entries.get("version")
    assert version in ("A", "B"), entries.get("version")
    want = {f"k{i}": f"{version}{i}" for i in range(count)}
    want["version"] = version
    assert entries == want


def test_concurrent_reader_sees_whole_tables(sbin, work):
    count = 3000
    write_version(work / "t", "A", count)
    assert ours(sbin, "postmap", work, "hash:t").returncode == 0
    done = threading.Event()
    errors = []

    def rebuild():
        try:
            for round_ in range(12):
                write_version(work / "t", "B" if round_ % 2 == 0 else "A", count)
                result = ours(sbin, "postmap", work, "hash:t")
                assert result.returncode == 0, result.stderr
        except AssertionError as exc:
            errors.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=rebuild)
    writer.start()
    reads = 0
    while not done.is_set() or reads < 4:
        reader = ours if reads % 2 == 0 else None
        if reader:
            result = ours(sbin, "postmap", work, "-s", "hash:t")
        else:
            result = ref("postmap", work, "-s", "hash:t")
        check_complete(listing(result), count)
        reads += 1
    writer.join()
    assert errors == []
    assert not list(work.glob("*.tmp"))


def test_failed_rebuild_keeps_old_table(sbin, work):
    (work / "t").write_text(SOURCE)
    assert ours(sbin, "postmap", work, "hash:t").returncode == 0
    before = (work / "t.db").read_bytes()
    (work / "t").unlink()
    (work / "t").mkdir()  # reading the source now fails half-way into the build
    result = ours(sbin, "postmap", work, "hash:t")
    assert result.returncode == 1
    assert "fatal: read t:" in result.stderr
    assert (work / "t.db").read_bytes() == before
    assert sorted(p.name for p in work.iterdir()) == ["main.cf", "t", "t.db"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_root_builds_as_source_owner(sbin):
    nobody = pwd.getpwnam("nobody")
    work = pathlib.Path(tempfile.mkdtemp(prefix="postmap-owner-"))
    try:
        os.chmod(work, 0o777)
        (work / "main.cf").write_text("")
        for name in ("ours", "theirs", "kept"):
            (work / name).write_text(SOURCE)
            os.chmod(work / name, 0o640)
            os.chown(work / name, nobody.pw_uid, nobody.pw_gid)
        assert ours(sbin, "postmap", work, "ours").returncode == 0
        assert ref("postmap", work, "theirs").returncode == 0
        assert ours(sbin, "postmap", work, "-o", "kept").returncode == 0
        for name, uid in (("ours", nobody.pw_uid), ("theirs", nobody.pw_uid), ("kept", 0)):
            st = os.stat(work / f"{name}.db")
            assert (st.st_uid, st.st_mode & 0o777) == (uid, 0o640), name
    finally:
        shutil.rmtree(work)
