"""Engines: where chunks of articles are processed.

Every engine takes the lazily planned chunks (`process.plan_chunks`) and yields
`(chunk, tables, n_ok)` as chunks finish, in any order: the output orders rows
by the chunk's sequence number, so results do not depend on which worker was
fastest. At most a few chunks per worker are in flight, so memory stays flat
however long the input. A chunk with nothing to process (all reused) is passed
through without touching the model.

* `LocalEngine`: this process; the model is loaded at the first chunk that
  needs it, so a re-run with nothing new never loads it.
* `ProcessEngine`: N worker processes (forkserver, so no thread or lock of
  this process is copied into them), each loading the model once.
* `DaskEngine`: the workers of a Dask distributed cluster. Each worker process
  builds the Language once (a cached global per model and config) and reuses
  it for every chunk; workers need this package installed.
"""

from __future__ import annotations

import atexit
import gc
import json
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from functools import lru_cache
from typing import Iterable, Iterator

from .process import BATCH_CHARS, Chunk, process_chunk
from .resources import ResourceError

Result = tuple[Chunk, dict | None, int]


class ModelError(Exception):
    """The model cannot be loaded."""


# Run once through a new Language so that the one-off costs of first use are paid while
# loading, not by the first chunk.
WARM_UP = (
    "On Monday, officials said about 1,200 people walked 5 km, up 3% from 2023, Reuters said. The index rose to 12.5."
)


def load_error(model: str, e: OSError) -> str:
    """What failed while building the Language: the spaCy model, a packaged data file, or a file named in the config."""
    if isinstance(e, ResourceError):
        return str(e)
    if getattr(e, "filename", None):  # a lexicon or --sources/--linker file, not the model
        return f"cannot read {e.filename}: {e.strerror or e}"
    return f"cannot load spaCy model {model!r}: {e}"


def _build(model: str, config: dict):
    from .nlp import build

    nlp = build(model, config)
    nlp(WARM_UP)
    _freeze()
    return nlp


def _freeze() -> None:
    """Take the objects alive now (the model's, the lexicons') out of the collector's way, so that
    its full collections (a dozen per thousand articles) do not walk them every time; given back
    at exit, so that the interpreter still frees them."""
    gc.collect()
    gc.freeze()
    if not _FROZEN:
        _FROZEN.append(atexit.register(gc.unfreeze))


_FROZEN: list = []


class LocalEngine:
    def __init__(
        self, model: str, config: dict, batch_size: int = 32, keep: bool = False, batch_chars: int = BATCH_CHARS
    ):
        """`keep`: build the Language once per process (and model and config), for callers that run often."""
        self.model, self.config, self.batch_size, self.keep = model, config, batch_size, keep
        self.batch_chars = batch_chars
        self._nlp = None
        self.load_s = self.load_cpu_s = 0.0
        self.workers = 1

    @property
    def nlp(self):
        if self._nlp is None:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                if self.keep:
                    self._nlp = _cached_nlp(self.model, json.dumps(self.config, sort_keys=True))[0]
                else:
                    self._nlp = _build(self.model, self.config)
            except OSError as e:
                raise ModelError(load_error(self.model, e)) from None
            self.load_s, self.load_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        return self._nlp

    def map(self, chunks: Iterable[Chunk]) -> Iterator[Result]:
        for c in chunks:
            if not c.articles:
                yield c, None, 0
                continue
            tables, ok = process_chunk(self.nlp, c.articles, self.batch_size, c.keys, self.batch_chars)
            yield c, tables, ok

    def close(self, abort: bool = False) -> None:
        pass


# -- worker processes ----------------------------------------------------------

_WORKER: dict = {}


def _init_worker(model: str, config: dict, batch_size: int, batch_chars: int = BATCH_CHARS) -> None:
    _WORKER["nlp"], _WORKER["batch_size"], _WORKER["batch_chars"] = _build(model, config), batch_size, batch_chars


def _work(articles, keys):
    return process_chunk(_WORKER["nlp"], articles, _WORKER["batch_size"], keys, _WORKER["batch_chars"])


class _Bounded:
    """Shared by the pool engines: submit chunks, at most `window` in flight."""

    window = 2

    def _submit(self, c: Chunk):
        raise NotImplementedError

    def _wait(self, pending: dict) -> Iterator[Result]:
        raise NotImplementedError

    def map(self, chunks: Iterable[Chunk]) -> Iterator[Result]:
        pending: dict = {}
        for c in chunks:
            if not c.articles:
                yield c, None, 0
                continue
            pending[self._submit(c)] = c
            while len(pending) >= self.window:
                yield from self._wait(pending)
        while pending:
            yield from self._wait(pending)


class ProcessEngine(_Bounded):
    def __init__(
        self, model: str, config: dict, batch_size: int = 32, workers: int = 2, batch_chars: int = BATCH_CHARS
    ):
        self.args = (model, config, batch_size, batch_chars)
        self.workers = workers
        self.window = 2 * workers
        self._pool = None
        self.load_s = self.load_cpu_s = 0.0  # in the workers, as part of their work

    def _submit(self, c: Chunk):
        if self._pool is None:
            import multiprocessing as mp

            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["pipeline.nlp"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker, initargs=self.args)
        return self._pool.submit(_work, c.articles, c.keys)

    def _wait(self, pending: dict) -> Iterator[Result]:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for f in done:
            c = pending.pop(f)
            tables, ok = f.result()
            yield c, tables, ok

    def close(self, abort: bool = False) -> None:
        """End the pool; with `abort` (a signal, Ctrl-C, an error) without waiting for chunks in flight."""
        if self._pool is None:
            return
        if abort:
            # shutdown() alone waits for the chunks being processed, minutes for a long article
            for p in list((self._pool._processes or {}).values()):
                p.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
            for p in list((self._pool._processes or {}).values()):
                p.join(5)
        else:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        _stop_forkserver()


def _stop_forkserver() -> None:
    """The forkserver outlives the pool (it would serve later pools); this run starts no other."""
    from multiprocessing import forkserver

    try:
        forkserver._forkserver._stop()  # closes its "alive" pipe: it exits, and is waited for
    except (AttributeError, OSError):
        pass


# -- Dask ----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _cached_nlp(model: str, config_json: str):
    """One Language per worker process (and model and config), with a lock: threads of one worker share it."""
    return _build(model, json.loads(config_json)), threading.Lock()


def _dask_work(model: str, config_json: str, batch_size: int, batch_chars: int, articles, keys):
    nlp, lock = _cached_nlp(model, config_json)
    with lock:
        return process_chunk(nlp, articles, batch_size, keys, batch_chars)


class DaskEngine(_Bounded):
    def __init__(
        self,
        scheduler: str,
        model: str,
        config: dict,
        batch_size: int = 32,
        timeout: float = 30,
        batch_chars: int = BATCH_CHARS,
    ):
        from distributed import Client, as_completed

        self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        self.args = (model, json.dumps(config, sort_keys=True), batch_size, batch_chars)
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        self.window = 2 * self.workers
        self.load_s = self.load_cpu_s = 0.0  # on the workers, as part of their work
        self._done = as_completed(loop=self.client.loop)

    def _submit(self, c: Chunk):
        f = self.client.submit(_dask_work, *self.args, c.articles, c.keys, pure=False)
        self._done.add(f)
        return f

    def _wait(self, pending: dict) -> Iterator[Result]:
        f = next(self._done)
        tables, ok = f.result()
        yield pending.pop(f), tables, ok

    def close(self, abort: bool = False) -> None:
        self.client.close()
