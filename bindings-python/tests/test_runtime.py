"""Runtime safety: fork, threads, the GIL, asyncio cancellation, Ctrl-C."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

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
    def work(i: int) -> str:
        agent = client.agents.create(name=f"Agent {i}")
        assert client.agents.get(agent["agent_id"])["name"] == f"Agent {i}"
        return str(agent["agent_id"])

    with ThreadPoolExecutor(32) as pool:
        ids = list(pool.map(work, range(96)))
    assert len(set(ids)) == 96
    assert mock.counts()["agents"] == 96


def test_blocking_calls_release_the_gil(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"delay_ms": 600}])
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        client.usage.get()
    finally:
        stop.set()
        spinner.join()
    assert ticks > 100  # the other thread ran all along


def test_asyncio_cancellation(aclient: AsyncNixflex, mock: Mock) -> None:
    mock.faults([{"delay_ms": 5000}])

    async def main() -> None:
        task = asyncio.create_task(aclient.usage.get())
        await asyncio.sleep(0.2)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        # Cancelled natively: nothing is left running, and the client still works.
        from nixflex._client import _bridge

        assert _bridge().completions.pending() == 0
        assert (await aclient.usage.get())["plan"]
        mock.faults([{"delay_ms": 5000}])
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aclient.usage.get(), 0.2)
        assert _bridge().completions.pending() == 0

    asyncio.run(main())


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
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=10)
    assert child.returncode == 0, out
    assert "interrupted" in out
    assert time.monotonic() - sent < 3


def test_the_sync_client_works_inside_an_asyncio_loop() -> None:
    # A plain asyncio loop is no tokio runtime: the sync client works there.
    async def main() -> None:
        with pytest.raises(nixflex.NixflexConnectionError):
            Nixflex("nxf_a:nxfs_b", base_url="http://127.0.0.1:9", max_retries=0).usage.get()

    asyncio.run(main())
