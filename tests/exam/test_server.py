"""The real SSH server on 127.0.0.1, driven by an asyncssh client with a pyte screen.

The game's screens are swapped for stand-ins with the same contract (tests/exam/standin.py,
handed to the sessions by name) so that these tests follow the server's behaviour, not the
game's layout. Every process started is stopped in the fixtures' teardown, and the teardown
checks that none is left behind.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import asyncssh
import pytest

from tests.exam.conftest import make_exam
from tests.exam.sshclient import Terminal, alive, connect, descendants, kill_all, zombies_of
from vpatient.exam.server import (
    MSG_AGENT_X11,
    MSG_EXEC,
    MSG_FORWARDING,
    MSG_SUBSYSTEM,
    ExamServer,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
STANDIN = "tests.exam.standin:SCREENS"


@pytest.fixture
def keys_and_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.chdir(REPO)
    root = tmp_path / "exam"
    keys = make_exam(root)
    return keys, root


async def _start(root: Path, **kwargs) -> ExamServer:
    kwargs.setdefault("screens", STANDIN)
    server = ExamServer(root, "127.0.0.1", 0, **kwargs)
    await server.start()
    return server


async def begin(term: Terminal) -> str:
    """Past the welcome screen, into case 1."""
    await term.wait_for("Press Enter to begin")
    term.send("\r")
    return await term.wait_for("Case 1 of 2")


async def _stop(server: ExamServer) -> None:
    try:
        await server.stop()
        # Nothing left behind: no session, no zygote, no zombie.
        await until(lambda: not any(alive(p) for p in descendants(os.getpid())))
        leftovers = {p for p in descendants(os.getpid()) if alive(p)}
        assert not leftovers, f"processes left running: {leftovers}"
    finally:
        kill_all(descendants(os.getpid()))


@pytest.fixture
async def served(keys_and_root):
    keys, root = keys_and_root
    server = await _start(root, grace=1.0)
    try:
        yield server, keys, root
    finally:
        await _stop(server)


async def until(condition, timeout: float = 5.0) -> None:
    """Poll ``condition`` until it holds or ``timeout`` passes (the caller asserts after)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def serving_port(line: str) -> int:
    """The port in the server's "Serving ... on HOST:PORT ..." line."""
    match = re.search(r" on [^ ]+:(\d+)", line)
    assert match, line
    return int(match.group(1))


def rows(root: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(root / "results.sqlite") as db:
        return db.execute(sql).fetchall()


async def test_log_in_examine_answer_and_export_csv(served) -> None:
    server, keys, root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    screen = await begin(term)
    await term.wait_for("min left")
    screen = term.text()
    assert "Test exam" in screen and "alice" in screen and "left" in screen  # timer in header
    term.send("m")
    await term.wait_for("performed: 1")
    assert rows(root, "SELECT maneuver FROM maneuvers") == [("face",)]  # committed at once
    term.send("a")
    await term.wait_for("Case 2 of 2")
    assert rows(root, "SELECT case_id, site FROM answers") == [
        ("capsular-stroke-chronic", "internal_capsule")]
    term.send("a")
    await term.wait_for("You answered 2 of 2")
    term.send("q")
    await term.wait_closed()
    csv = subprocess.run([sys.executable, "-m", "vpatient", "exam", "results", str(root), "--csv"],
                         capture_output=True, text=True, check=True).stdout
    lines = csv.splitlines()
    assert lines[0].startswith("student,case_number,case_id")
    alice = [line for line in lines if line.startswith("alice,1,")]
    assert alice and ",answered,UMN,internal_capsule,left," in alice[0] and ",face," in alice[0]
    assert any(line.startswith("bob,1,capsular-stroke-chronic") and "not started" in line
               for line in lines)


async def test_drop_and_reconnect_resumes_with_the_clock_running(served) -> None:
    server, keys, _root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(term)
    term.send("a")
    await term.wait_for("Case 2 of 2")
    term.send("mm")
    await term.wait_for("performed: 2")
    term.drop()
    # The server ends the session's process and reaps it (no zombie).
    await until(lambda: not server.sessions)
    assert not server.sessions
    assert not zombies_of(os.getpid())
    again = await Terminal.connect(server.port, "alice", keys["alice"])
    await again.wait_for("Case 2 of 2")
    await again.wait_for("performed: 2")
    # The clock is still shown (test_app proves, with a controlled clock, that it kept running).
    screen = await again.wait_for("min left")
    assert "30 min left" in screen or "29 min left" in screen
    await again.close()


async def test_second_login_replaces_the_stale_session(served) -> None:
    server, keys, _root = served
    first = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(first)
    first.send("m")
    await first.wait_for("performed: 1")
    second = await Terminal.connect(server.port, "alice", keys["alice"])
    await second.wait_for("performed: 1")
    await first.wait_closed()
    assert b"another connection" in first.session.raw
    assert len(server.sessions) == 1
    await second.close()


async def test_resize_reaches_the_session(served) -> None:
    server, keys, _root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(term)
    term.session.screen.resize(30, 100)
    term.chan.change_terminal_size(100, 30)
    # The footer moves to the new bottom row once the app has redrawn at 100x30.
    await until(lambda: "Examine" in term.session.screen.display[29])
    assert "Examine" in term.session.screen.display[29]
    await term.close()


async def test_wrong_key_and_unknown_student_are_denied(served) -> None:
    server, keys, _root = served
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "alice", keys["bob"])
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "mallory", keys["alice"])
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "../students/alice", keys["alice"])
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "alice", None, password="alice")


async def _login(port: int, user: str, keys: list[asyncssh.SSHKey]
                 ) -> asyncssh.SSHClientConnection:
    """As OpenSSH does with several keys in ~/.ssh: each is offered in turn."""
    return await asyncssh.connect("127.0.0.1", port, username=user, client_keys=keys,
                                  known_hosts=None, agent_path=None, config=None)


async def test_failed_logins_are_counted_per_address_and_user(keys_and_root) -> None:
    keys, root = keys_and_root
    server = await _start(root, max_failures=3, failure_window=60)
    try:
        for _ in range(3):
            with pytest.raises(asyncssh.PermissionDenied):
                await connect(server.port, "mallory", keys["alice"])
        # Now mallory is turned away from this address ...
        with pytest.raises(asyncssh.DisconnectError, match="too many failed logins"):
            await connect(server.port, "mallory", keys["alice"])
        # ... but not alice from the same address (a classroom behind one NAT) ...
        conn = await connect(server.port, "alice", keys["alice"])
        conn.close()
        # ... and her login forgave the address.
        assert not server.admission.failures
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(server.port, "mallory", keys["alice"])
    finally:
        await _stop(server)


async def test_a_class_behind_one_address_offering_extra_keys_all_get_in(keys_and_root) -> None:
    """25 students on one address, each client offering an unregistered key before the right
    one (OpenSSH with two keys in ~/.ssh), with a limit of 3: nobody is turned away."""
    _keys, root = keys_and_root
    students = {}
    for i in range(25):
        key = asyncssh.generate_private_key("ssh-ed25519")
        (root / "students" / f"s{i:02d}.pub").write_bytes(key.export_public_key())
        students[f"s{i:02d}"] = key
    server = await _start(root, max_failures=3, failure_window=60)
    try:
        for name, key in students.items():
            stray = asyncssh.generate_private_key("ssh-ed25519")
            conn = await _login(server.port, name, [stray, key])
            conn.close()
            await conn.wait_closed()
        assert not server.admission.failures
    finally:
        await _stop(server)


async def test_a_failed_connection_counts_once_however_many_keys_it_offers(keys_and_root) -> None:
    keys, root = keys_and_root
    server = await _start(root, max_failures=3, failure_window=60)
    try:
        wrong = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(5)]
        for _ in range(2):
            with pytest.raises(asyncssh.PermissionDenied):
                await _login(server.port, "alice", wrong)
        await until(lambda: len(server.admission.failures.get(("127.0.0.1", "alice"), ())) >= 2)
        assert len(server.admission.failures[("127.0.0.1", "alice")]) == 2
        conn = await _login(server.port, "alice", [*wrong, keys["alice"]])  # still let in
        conn.close()
    finally:
        await _stop(server)


async def test_no_shell_no_exec_no_sftp_no_forwarding(served) -> None:
    server, keys, _root = served
    conn = await connect(server.port, "alice", keys["alice"])
    try:
        result = await conn.run("cat /etc/passwd")  # exec, no pty
        assert result.exit_status == 1 and MSG_EXEC.strip() in result.stderr
        result = await conn.run("ls", term_type="xterm")  # exec, even with a pty
        assert result.exit_status == 1 and MSG_EXEC.strip() in result.stderr
        result = await conn.run()  # a shell without a pty
        assert result.exit_status == 1 and "needs a terminal" in result.stderr
        with pytest.raises(asyncssh.SFTPError):
            await conn.start_sftp_client()
        result = await conn.run(subsystem="sftp")
        assert MSG_SUBSYSTEM.strip() in result.stderr
        with pytest.raises(asyncssh.ChannelOpenError, match=MSG_FORWARDING):
            await conn.open_connection("127.0.0.1", 22)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
    finally:
        conn.close()
    assert not server.sessions


async def test_a_crash_is_logged_not_shown_and_the_terminal_restored(served) -> None:
    server, keys, root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(term)
    term.send("x")  # the stand-in screen raises
    await term.wait_closed()
    raw = bytes(term.session.raw)
    assert b"Traceback" not in raw and b"stand-in crash" not in raw
    assert b"internal error" in raw
    assert raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h")  # left the alternate screen
    logs = list((root / "logs").glob("crash-alice-*.log"))
    assert logs and "stand-in crash for the tests" in logs[0].read_text()


async def test_spawn_fallback_serves_the_same_exam(keys_and_root) -> None:
    keys, root = keys_and_root
    server = await _start(root, spawn=True, grace=1.0)
    try:
        term = await Terminal.connect(server.port, "bob", keys["bob"])
        await term.wait_for("Press Enter to begin", timeout=30)
        term.send("\r")
        await term.wait_for("Case 1 of 2")
        term.send("m")
        await term.wait_for("performed: 1")
        term.drop()
        await until(lambda: not server.sessions)
        assert not server.sessions and not zombies_of(os.getpid())
    finally:
        await _stop(server)


async def test_killing_the_server_loses_nothing_and_a_restart_resumes(keys_and_root) -> None:
    keys, root = keys_and_root

    async def start() -> tuple[subprocess.Popen, int]:
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from vpatient.exam.server import serve; "
             f"sys.exit(serve(sys.argv[1], '127.0.0.1', 0, screens={STANDIN!r}))", str(root)],
            stderr=subprocess.PIPE, text=True, start_new_session=True)
        assert proc.stderr is not None
        for _ in range(50):
            line = await asyncio.to_thread(proc.stderr.readline)
            if line.startswith("Serving"):
                return proc, serving_port(line)
        raise AssertionError("the server did not start")

    proc, port = await start()
    others: set[int] = set()
    try:
        term = await Terminal.connect(port, "alice", keys["alice"])
        await begin(term)
        term.send("a")
        await term.wait_for("Case 2 of 2")
        term.send("m")
        await term.wait_for("performed: 1")
        others = descendants(proc.pid)
        assert len(others) >= 2  # the zygote and alice's session
        proc.send_signal(signal.SIGKILL)
        await asyncio.to_thread(proc.wait)
        await term.wait_closed()
        # The zygote and the session die with the server (EOF and SIGHUP), nothing lingers.
        await until(lambda: not any(alive(p) for p in others))
        assert not any(alive(p) for p in others)
        assert rows(root, "SELECT count(*) FROM answers") == [(1,)]
        assert rows(root, "SELECT count(*) FROM maneuvers WHERE case_index = 1") == [(1,)]
        proc, port = await start()
        again = await Terminal.connect(port, "alice", keys["alice"])
        await again.wait_for("Case 2 of 2")
        await again.wait_for("performed: 1")
        await again.close()
    finally:
        kill_all(others | descendants(proc.pid))
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


async def test_nothing_that_finds_the_answer_reaches_the_student_before_answering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the game's real screens, byte by byte: through the welcome, the examination and the
    localization of both cases (a bundled one, then a generated one), the terminal never
    receives a case's title, id, seed, source, lesion or teaching points before its answer."""
    from vpatient.core.lesion import describe
    from vpatient.exam.config import exam_patient_seed, load_exam, read_secret

    monkeypatch.chdir(REPO)
    root = tmp_path / "exam"
    keys = make_exam(root, seed=73519)
    exam = load_exam(root)
    secret = read_secret(root)
    assert secret is not None

    def giveaways(index: int) -> list[str]:
        case = exam.cases[index]
        out = [case.id, case.title, describe(case.lesions[0]), *case.teaching.points,
               *case.sources]
        if index == 1:  # the generated patient: its seed, and the seed the generator used
            out += ["73519", str(exam_patient_seed(secret, 73519)), "Generated patient"]
        return out

    def check(index: int) -> None:
        sent = bytes(term.session.raw).decode("utf-8", "replace")
        for secret_text in giveaways(index):
            assert secret_text not in sent, f"case {index + 1} leaked: {secret_text!r}"

    server = await _start(root, screens=None, grace=1.0)
    try:
        term = await Terminal.connect(server.port, "alice", keys["alice"])
        await begin(term)
        for _ in range(4):  # examine the first few maneuvers
            term.send("\r")
            await asyncio.sleep(0.2)
            term.send("\x1b[B")
        await term.wait_for("Findings log")
        term.send("l")
        await term.wait_for("Neuron type")
        await asyncio.sleep(0.5)
        check(0)
        check(1)
        term.send("\r")
        await term.wait_for("Your answer: UMN · site ?")
        term.send("\x1b[B\r")
        await term.wait_for("UMN · internal capsule · side ?")
        term.send("\r")
        await term.wait_for("Submit: UMN, internal capsule, left?")
        term.send("y")
        await term.wait_for("Case 2 of 2")
        term.send("\r")
        await term.wait_for("Findings log")
        term.send("l")
        await term.wait_for("Neuron type")
        await asyncio.sleep(0.5)
        check(1)
        await term.close()
    finally:
        await _stop(server)


async def test_a_whole_case_with_the_real_game_screens_then_drop_and_resume(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exam as students see it: examine with the game's encounter screen, localize, confirm;
    every step is committed; a dropped connection resumes at the next case."""
    monkeypatch.chdir(REPO)
    root = tmp_path / "exam"
    keys = make_exam(root)
    server = await _start(root, screens=None, grace=1.0)
    try:
        term = await Terminal.connect(server.port, "alice", keys["alice"])
        await begin(term)
        term.send("\r")                      # Face
        await term.wait_for("Findings log")
        term.send("\x1b[B\r")                # Eyes
        await until(lambda: len(rows(root, "SELECT * FROM maneuvers")) >= 2, timeout=10)
        assert [m for (m,) in rows(root, "SELECT maneuver FROM maneuvers")] == ["face", "eyes"]
        term.send("l")
        await term.wait_for("Neuron type")
        # Each choice moves the focus to the next list once its message is handled: wait for
        # the answer line to show it before typing on (fixed sleeps were flaky under load).
        term.send("\r")                      # UMN
        await term.wait_for("Your answer: UMN · site ?")
        term.send("\x1b[B\r")                # internal capsule (no level)
        await term.wait_for("UMN · internal capsule · side ?")
        term.send("\r")                      # left: all chosen, the confirmation opens
        await term.wait_for("Submit: UMN, internal capsule, left?")
        term.send("y")
        await term.wait_for("Case 2 of 2")
        assert rows(root, "SELECT case_id, neuron, site, side FROM answers") == [
            ("capsular-stroke-chronic", "UMN", "internal_capsule", "left")]
        term.drop()
        again = await Terminal.connect(server.port, "alice", keys["alice"])
        await again.wait_for("Case 2 of 2")
        await again.close()
    finally:
        await _stop(server)


@pytest.mark.parametrize("request_agent", [True, False], ids=["agent", "x11"])
async def test_agent_and_x11_forwarding_are_refused_with_a_notice(served, tmp_path,
                                                                 request_agent) -> None:
    """A real ssh-agent offered for forwarding, or an X11 request: not granted, and the student
    is told so on stderr."""
    import shutil

    if shutil.which("ssh-agent") is None:
        pytest.skip("ssh-agent is not installed")
    server, keys, _root = served
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        await until(sock.exists)
        conn = await asyncssh.connect(
            "127.0.0.1", server.port, username="alice", client_keys=[keys["alice"]],
            known_hosts=None, config=None, agent_path=str(sock), agent_forwarding=request_agent)
        try:
            stderr = bytearray()

            class Session(asyncssh.SSHClientSession):
                def data_received(self, data: bytes, datatype) -> None:
                    if datatype == asyncssh.EXTENDED_DATA_STDERR:
                        stderr.extend(data)

            chan, _session = await conn.create_session(
                Session, term_type="xterm-256color", term_size=(80, 24),
                x11_forwarding="ignore_failure" if not request_agent else False,
                x11_display="localhost:0", encoding=None)
            await until(lambda: MSG_AGENT_X11.strip().encode() in stderr, timeout=10)
            assert MSG_AGENT_X11.strip().encode() in stderr
            chan.close()
        finally:
            conn.close()
            await conn.wait_closed()
    finally:
        agent.terminate()
        agent.wait(timeout=5)


# --- bounded sessions: what a client controls cannot exhaust the server -------------------------


def session_pid(server: ExamServer, student: str) -> int:
    pid = server.sessions[student].pid
    assert pid is not None
    return pid


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def test_a_huge_terminal_is_capped_with_a_message(served) -> None:
    """10000x10000 asked for: the session draws 500x200, says so, and stays small; resizes to
    any value a client can send (above 65535 too) keep the session."""
    from tests.exam.sshclient import ScreenSession

    server, keys, _root = served
    conn = await connect(server.port, "alice", keys["alice"])
    chan, session = await conn.create_session(
        lambda: ScreenSession(500, 200), term_type="xterm-256color", term_size=(10000, 10000),
        encoding=None)
    term = Terminal(conn, chan, session)
    await begin(term)
    assert b"larger than the exam draws" in bytes(session.stderr)
    assert server.sessions["alice"].size == (500, 200)
    assert rss_mib(session_pid(server, "alice")) < 100
    for size in ((70000, 70000), (2**32 - 1, 1), (0, 0), (120, 40)):
        chan.change_terminal_size(*size)
    await asyncio.sleep(0.5)
    term.send("m")
    await term.wait_for("performed: 1")
    assert server.sessions["alice"].size == (120, 40)
    await term.close()


@pytest.mark.parametrize("bracketed", [True, False], ids=["bracketed", "plain"])
async def test_a_megabyte_paste_leaves_the_session_responsive(served, bracketed: bool) -> None:
    """A 1 MiB paste costs the session a fraction of a second of CPU (not a million key
    presses), the student is told pastes are not used, and the next key works."""
    server, keys, _root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(term)
    pid = session_pid(server, "alice")
    before = cpu_seconds(pid)
    text = b"the patient's history, pasted by mistake " * 26000  # ~1 MiB
    term.send(b"\x1b[200~" + text + b"\x1b[201~" if bracketed else text)
    await term.wait_for("Pasted text is not used", timeout=30)
    term.send("m")
    await term.wait_for("performed: 1", timeout=30)
    assert cpu_seconds(pid) - before < 2.0  # 1 MiB as keys would take over a minute
    await term.close()


async def test_a_long_bracketed_paste_keeps_its_end(served) -> None:
    """100 KB in a bracketed paste, split however SSH splits it: its end marker still arrives,
    so the keys after it are keys again."""
    server, keys, _root = served
    term = await Terminal.connect(server.port, "alice", keys["alice"])
    await begin(term)
    term.send(b"\x1b[200~" + b"x" * 100_000 + b"\x1b[201~m")
    await term.wait_for("performed: 1", timeout=30)
    await term.close()
