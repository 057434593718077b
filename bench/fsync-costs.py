#!/usr/bin/env python3
"""What a durable state write costs on a file system (default /var/tmp), one writer and eight at once.

Compares the state store's way (a temporary file, fsync, rename, fsync of the directory: sdk/Mooring/State/AtomicFile.cs)
with appending a record to one log and fdatasync-ing it (in a preallocated, zero-filled file, and in a growing one).
Each writer makes N writes of 200 bytes, the size of a volume record. Usage: bench/fsync-costs.py [DIR] [N]
Results and what they mean: docs/benchmarks.md, "Durable lifecycle".
"""
import os
import sys
import tempfile
import threading
import time

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/var/tmp"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
RECORD = b"x" * 200


def atomic_file(directory, writer, n):
    for k in range(n):
        temp = os.path.join(directory, f".{writer}-{k}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, RECORD)
        os.fsync(fd)
        os.close(fd)
        os.rename(temp, os.path.join(directory, f"v{writer}.json"))
        dfd = os.open(directory, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)


def log_append(fd, lock, state, n):
    for _ in range(n):
        with lock:
            os.pwrite(fd, RECORD, state["offset"])
            state["offset"] += len(RECORD)
        os.fdatasync(fd)


def run(name, target, argument_lists):
    threads = [threading.Thread(target=target, args=arguments) for arguments in argument_lists]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    print(f"{name:38} {len(threads) * N / elapsed:8.0f} writes/s  {elapsed / N * 1000:6.2f} ms per write per writer")


with tempfile.TemporaryDirectory(dir=ROOT) as directory:
    for writers in (1, 8):
        run(f"atomic file, {writers} writer(s)", atomic_file, [(directory, w, N) for w in range(writers)])
    preallocated = os.open(os.path.join(directory, "log"), os.O_RDWR | os.O_CREAT, 0o644)
    os.write(preallocated, b"\0" * (16 << 20))
    os.fsync(preallocated)
    growing = os.open(os.path.join(directory, "log2"), os.O_RDWR | os.O_CREAT, 0o644)
    for label, fd in (("preallocated log", preallocated), ("growing log", growing)):
        state = {"offset": 0}
        lock = threading.Lock()
        for writers in (1, 8):
            run(f"{label}, {writers} writer(s)", log_append, [(fd, lock, state, N) for _ in range(writers)])
    os.close(preallocated)
    os.close(growing)
