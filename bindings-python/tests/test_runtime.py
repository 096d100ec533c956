"""Runtime safety: fork, threads, the GIL, asyncio cancellation, Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import nixflex
import pytest
from conftest import Mock
from nixflex import AsyncNixflex, Nixflex

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _child_call(api_key: str, base_url: str, client: Nixflex) -> int:
    try:
        client.agents.create(name="From the child")
        return 0 if client.agents.list().count == 2 else 3
    except BaseException:  # noqa: BLE001
        return 2


def _fork_and_call(client: Nixflex, mock: Mock) -> int:
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status, never return into pytest
        code = 1
        try:
            code = _child_call(mock.api_key, mock.url, client)
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked child hung")


@fork_only
def test_client_used_before_fork_works_in_the_child(client: Nixflex, mock: Mock) -> None:
    client.agents.create(name="From the parent")  # the runtime and the pool exist now
    assert _fork_and_call(client, mock) == 0
    assert client.usage.get()["plan"]  # the parent is unaffected


@fork_only
def test_preload_style_client_built_before_fork_used_in_the_child(mock: Mock) -> None:
    # gunicorn --preload: the app (and its client) is built in the master, which never calls;
    # only the forked workers do. A fresh interpreter, so that no runtime exists before the fork.
    script = textwrap.dedent(
        f"""
        import os, sys
        from nixflex import Nixflex, _native
        client = Nixflex({mock.api_key!r}, base_url={mock.url!r})
        before = _native.runtime_generation()
        pid = os.fork()
        if pid == 0:
            try:
                client.agents.create(name="From the worker")
                code = 0 if len(client.agents.list()) == 1 else 3
            except BaseException:
                code = 2
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        child = os.waitstatus_to_exitcode(status)
        # The master may call too, afterwards: its own runtime, untouched by the child's.
        assert len(client.agents.list()) == 1
        print(child, before, flush=True)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    child, before = out.stdout.split()
    assert child == "0", f"the worker exited with {child}"
    assert before == "0", "building a client starts no runtime"


@fork_only
def test_fork_child_exits_normally_and_uses_both_clients(mock: Mock) -> None:
    # The child leaves through sys.exit, so interpreter shutdown drops both clients (and an
    # iterator of the parent's) in the child: that must neither hang nor crash.
    script = textwrap.dedent(
        f"""
        import asyncio, gc, os, sys, time
        import nixflex
        from nixflex import AsyncNixflex, Nixflex
        client = Nixflex({mock.api_key!r}, base_url={mock.url!r})
        aclient = AsyncNixflex({mock.api_key!r}, base_url={mock.url!r})
        client.agents.create(name="Parent 1")
        client.agents.create(name="Parent 2")
        asyncio.run(aclient.usage.get())  # the parent's runtime and bridge exist
        walk = client.agents.iter(page_size=1)
        next(walk)
        pid = os.fork()
        if pid == 0:
            try:
                next(walk)
                sys.exit(4)
            except nixflex.NixflexUsageError as e:
                assert "os.fork()" in str(e), e
            client.agents.create(name="Child sync")
            async def child():
                await aclient.agents.create(name="Child async")
                return [a async for a in aclient.agents.iter(page_size=1)]
            walked = asyncio.run(child())
            code = 0 if len(walked) == 4 and len(list(client.agents.iter())) == 4 else 3
            del client, aclient, walk  # dropped here, in the child, then shutdown finalises the rest
            gc.collect()
            sys.exit(code)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, 9)
            print("hung", flush=True)
            sys.exit(1)
        print(os.waitstatus_to_exitcode(status), len(list(walk)), flush=True)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    child, rest_of_walk = out.stdout.split()
    assert child == "0", f"the child exited with {child}: {out.stderr}"
    assert int(rest_of_walk) >= 1  # the parent's own walk goes on after the fork
    assert mock.counts()["agents"] == 4


def test_a_blocking_call_on_a_runtime_thread_is_a_usage_error(aclient: AsyncNixflex, mock: Mock) -> None:
    # DEBUG records are emitted on the runtime's own threads; a handler that makes a blocking
    # call there must get a usage error (not a deadlock, not an "SDK bug").
    caught: list[BaseException] = []
    sync = Nixflex(mock.api_key, base_url=mock.url)

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if caught or threading.current_thread() is threading.main_thread():
                return
            try:
                sync.usage.get()
            except BaseException as exc:  # noqa: BLE001
                caught.append(exc)

    logger = logging.getLogger("nixflex")
    handler, level = Handler(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        asyncio.run(aclient.usage.get())
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert caught, "no record reached the handler from a runtime thread"
    error = caught[0]
    assert isinstance(error, nixflex.NixflexUsageError) and isinstance(error, RuntimeError)
    assert "AsyncNixflex" in str(error) and error.kind == "usage" and error.code == "unknown_error"
    assert mock.journal("usage.get") and len(mock.journal("usage.get")) == 1  # the blocking one sent nothing


def _pool_worker(args: tuple[str, str]) -> str:
    api_key, url = args
    return Nixflex(api_key, base_url=url).usage.get()["plan"]


@fork_only
def test_multiprocessing_fork_pool(client: Nixflex, mock: Mock) -> None:
    client.usage.get()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        plans = pool.map(_pool_worker, [(mock.api_key, mock.url)] * 4, chunksize=1)
    assert plans == ["pay_as_you_go"] * 4


def test_32_threads_share_one_client(client: Nixflex, mock: Mock) -> None:
    ids: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work(first: int) -> None:
        try:
            for i in range(first, first + 3):
                agent = client.agents.create(name=f"Agent {i}")
                assert client.agents.get(agent["agent_id"])["name"] == f"Agent {i}"
                with lock:
                    ids.append(str(agent["agent_id"]))
        except BaseException as exc:  # noqa: BLE001
            with lock:
                failures.append(exc)

    # Daemon threads joined with a bound: a deadlock fails the test instead of hanging the run
    # (a pool's worker would be joined forever at exit).
    threads = [threading.Thread(target=work, args=(3 * n,), daemon=True) for n in range(32)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"{len(stuck)} of 32 threads never finished: a deadlock"
    assert not failures, failures
    assert len(set(ids)) == 96
    assert mock.counts()["agents"] == 96


def test_blocking_calls_release_the_gil(client: Nixflex, mock: Mock) -> None:
    # While the main thread waits in a held call, another thread runs Python and completes a
    # call of its own on the same client. Were the GIL held during the wait, the other thread
    # could not start before the held call returned, and would see `returned` set.
    # Held long enough that the other thread's call, however slow the machine, ends first.
    mock.faults([{"delay_ms": 5000}], operation="usage.get")
    go, returned = threading.Event(), threading.Event()
    observed: list[bool] = []

    def other() -> None:
        go.wait()
        time.sleep(0.2)  # the main thread is inside its held call by then
        client.agents.list()
        observed.append(returned.is_set())

    thread = threading.Thread(target=other, daemon=True)
    thread.start()
    go.set()
    client.usage.get()
    returned.set()
    thread.join(60)
    assert observed == [False]


def test_asyncio_cancellation_aborts_the_request(aclient: AsyncNixflex, client: Nixflex, mock: Mock) -> None:
    # The mock does the work of a `delay_ms` request only after the delay, and not at all when
    # the client has hung up: 0 agents after the delay proves the request was aborted natively,
    # not merely abandoned by Python.
    delay_ms = 1500
    mock.faults([{"delay_ms": delay_ms}, {"delay_ms": delay_ms}], operation="agents.create")

    async def main() -> None:
        from nixflex._client import _bridge

        task = asyncio.create_task(aclient.agents.create(name="Cancelled"))
        await asyncio.sleep(0.3)  # let it reach the mock and start waiting there
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert _bridge().completions.pending() == 0
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aclient.agents.create(name="Timed out"), 0.3)
        assert _bridge().completions.pending() == 0

    asyncio.run(main())
    time.sleep(delay_ms / 1000 + 1.0)  # past both delays: a request still open would be done now
    assert mock.counts()["agents"] == 0
    assert mock.journal("agents.create") == []  # hung up during the delay: never recorded
    # The client still works, and the mock does work once no fault delays it.
    assert client.agents.create(name="After")["name"] == "After"
    assert mock.counts()["agents"] == 1


def test_async_many_in_flight(aclient: AsyncNixflex, mock: Mock) -> None:
    async def main() -> list[str]:
        agents = await asyncio.gather(*(aclient.agents.create(name=f"A{i}") for i in range(64)))
        return [a["agent_id"] for a in agents]

    assert len(set(asyncio.run(main()))) == 64
    # Another event loop (a second asyncio.run) gets its own bridge.
    assert asyncio.run(aclient.usage.get())["plan"]


def test_ctrl_c_interrupts_a_blocking_call(mock: Mock) -> None:
    mock.faults([{"delay_ms": 20000}])
    script = textwrap.dedent(
        f"""
        import sys, time
        from nixflex import Nixflex
        client = Nixflex({mock.api_key!r}, base_url={mock.url!r}, max_retries=0, timeout=60)
        print("calling", flush=True)
        started = time.monotonic()
        try:
            client.usage.get()
        except KeyboardInterrupt:
            print(f"interrupted after {{time.monotonic() - started:.2f}}", flush=True)
            sys.exit(0)
        sys.exit(1)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "calling"
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=10)  # the call itself would block for 20 s
    assert child.returncode == 0, out
    assert "interrupted" in out


def test_the_sync_client_works_inside_an_asyncio_loop() -> None:
    # A plain asyncio loop is no tokio runtime: the sync client works there.
    async def main() -> None:
        with pytest.raises(nixflex.NixflexConnectionError):
            Nixflex("nxf_a:nxfs_b", base_url="http://127.0.0.1:9", max_retries=0).usage.get()

    asyncio.run(main())
