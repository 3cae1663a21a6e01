"""Text → sparse feature matrices, the same way at training and at prediction time.

Four *channels*, each a TF-IDF block (sublinear term frequency, smoothed idf, rows scaled to
unit length) over its own view of the text:

* ``word`` — words and word bigrams/trigrams of the whole text (what it is about);
* ``char`` — character 3–6-grams inside word boundaries (spelling variants, plurals, treaty
  acronyms glued to punctuation: "CEDAW", "OP-CAT", "women's");
* ``head`` — the first five words *with their position* ("h0_continue", "hh0_continue_its",
  "h3_consider_ratifying_the"). UPR Info's action category mostly follows from how a text
  starts ("Continue …" is 2, "Consider …" is 3), which a bag of words cannot see;
* ``clause`` — words and n-grams of the main clause only (up to the first comma, "by",
  "including", "through"…), so "Adopt a law …, including by raising awareness" is read as
  adopting a law.

The issue classifier reads ``word`` + ``char``; the action classifier ``word`` + ``head`` +
``clause``. A fitted :class:`Featurizer` is plain data (vocabularies and idf weights), stored in
the model artifact without pickling; transforming uses scikit-learn's ``CountVectorizer`` with a
fixed vocabulary. Training takes the counts its fit produced instead of reading the texts again;
the tests check that they equal what transforming gives, bit for bit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from uprhub.recommendations.importers.text import clean_text

ISSUE_CHANNELS = ("word", "char")
ACTION_CHANNELS = ("word", "head", "clause")
CHANNELS = ("word", "char", "head", "clause")
HEAD_WORDS = 5
#: Distinct words whose char n-gram indices a channel keeps: ≈ 300 bytes each, so at most
#: ≈ 15 MB; the bundled data's 32,000 texts have about 14,400 distinct words.
WORD_CACHE_SIZE = 50_000

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Where the main clause of a recommendation usually ends.
_CLAUSE_END = re.compile(
    r"[,;:(]|\b(?:by|including|through|in order|with a view|so as|so that|in particular|"
    r"notably|especially|inter alia|in line with|in accordance with)\b"
)
_WHITESPACE_SEPARATED = r"\S+"  # the head channel's tokens are already made
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "´": "'", "`": "'"})


def normalise(text: str) -> str:
    """The form every channel reads: trimmed, single spaces, straight quotes, lower case."""
    return clean_text(unicodedata.normalize("NFKC", text or "")).translate(_QUOTES).lower()


def words(text: str) -> list[str]:
    """Lower-case words of a normalised text (letters and inner apostrophes only)."""
    return _WORD.findall(text)


def head_document(text: str) -> str:
    """Positional tokens for the first words: "h0_consider h1_ratifying hh0_consider_ratifying…"."""
    first = words(text)[:HEAD_WORDS]
    tokens = [f"h{i}_{w}" for i, w in enumerate(first)]
    tokens += [f"hh{i}_{first[i]}_{first[i + 1]}" for i in range(min(3, len(first) - 1))]
    if first:
        tokens.append("h3_" + "_".join(first[:3]))
    return " ".join(tokens)


def clause_document(text: str) -> str:
    """The main clause: the text up to the first comma or connective that starts a detail."""
    return _CLAUSE_END.split(text, maxsplit=1)[0]


@dataclass(frozen=True)
class ChannelSpec:
    """How one channel tokenises (the parameters of its vectoriser)."""

    name: str
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    min_df: int
    token_pattern: str | None = None


SPECS: dict[str, ChannelSpec] = {
    "word": ChannelSpec("word", "word", (1, 3), 2),
    "char": ChannelSpec("char", "char_wb", (3, 6), 3),
    "head": ChannelSpec("head", "word", (1, 1), 2, _WHITESPACE_SEPARATED),
    "clause": ChannelSpec("clause", "word", (1, 3), 2),
}


def _view(name: str, texts: Sequence[str]) -> list[str]:
    """The channel's view of already normalised texts."""
    if name == "head":
        return [head_document(t) for t in texts]
    if name == "clause":
        return [clause_document(t) for t in texts]
    return list(texts)


def _vectoriser_kwargs(spec: ChannelSpec) -> dict:
    kwargs: dict = {
        "analyzer": spec.analyzer,
        "ngram_range": spec.ngram_range,
        "lowercase": False,  # normalise() already did it, once for all channels
        "dtype": np.float32,
    }
    if spec.token_pattern is not None:
        kwargs["token_pattern"] = spec.token_pattern
    return kwargs


@dataclass
class Channel:
    """A fitted channel: its vocabulary (feature order) and idf weights."""

    spec: ChannelSpec
    vocabulary: list[str]
    idf: np.ndarray  # float32, one per vocabulary entry

    def __post_init__(self) -> None:
        self._counter: CountVectorizer | None = None
        # char_wb n-grams never cross a word, so a word's feature indices are worked out once
        # and reused: scikit-learn's per-n-gram Python loop was most of the prediction time.
        self._word_features: dict[str, np.ndarray] = {}
        if self.vocabulary:
            self._counter = CountVectorizer(
                vocabulary={term: i for i, term in enumerate(self.vocabulary)},
                **_vectoriser_kwargs(self.spec),
            )
            # Validates the vocabulary now, so concurrent first calls do not both do it.
            self._counter.transform([""])
            self._analyse = self._counter.build_analyzer()

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def transform(self, view: list[str]) -> sp.csr_matrix:
        return self.weigh(self.counts(view))

    def counts(self, view: list[str]) -> sp.csr_matrix:
        """Term counts of the channel's view of some texts (float32, canonical CSR)."""
        if self._counter is None:  # a tiny training set can leave a channel empty
            return sp.csr_matrix((len(view), 0), dtype=np.float32)
        if self.spec.analyzer == "char_wb":
            return self._char_counts(view)
        return self._counter.transform(view).astype(np.float32).tocsr()

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts → TF-IDF, in place: sublinear tf, idf, then unit rows, exactly as
        ``TfidfVectorizer(sublinear_tf=True)`` does."""
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        counts.data /= np.repeat(norms, np.diff(counts.indptr)).astype(np.float32)
        return counts

    def _char_counts(self, view: list[str]) -> sp.csr_matrix:
        """What ``CountVectorizer.transform`` gives for a char_wb channel, word by word.

        scikit-learn splits the text on white space and takes each word's n-grams (padded
        with a space either side) on their own, so the counts of a text are the sums of its
        words' counts.
        """
        assert self._counter is not None
        cache = self._word_features
        vocabulary = self._counter.vocabulary_
        pieces: list[np.ndarray] = []
        indptr = np.zeros(len(view) + 1, dtype=np.int64)
        total = 0
        for row, document in enumerate(view):
            for word in document.split():
                found = cache.get(word)
                if found is None:
                    grams = self._analyse(word)
                    found = np.array(
                        [vocabulary[g] for g in grams if g in vocabulary], dtype=np.int32
                    )
                    if len(cache) < WORD_CACHE_SIZE:
                        cache[word] = found
                pieces.append(found)
                total += len(found)
            indptr[row + 1] = total
        indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
        counts = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(view), self.size),
        )
        counts.sum_duplicates()  # one entry per n-gram, indices sorted, as scikit-learn does
        return counts


#: Below this many training texts every term counts (tiny models in tests and experiments).
SMALL_CORPUS = 1000


def fit_channel(name: str, texts: Sequence[str]) -> Channel:
    """Learn a channel's vocabulary and idf from normalised training texts."""
    return fit_channel_counts(name, texts)[0]


def fit_channel_counts(name: str, texts: Sequence[str]) -> tuple[Channel, sp.csr_matrix]:
    """``fit_channel``, and the texts' term counts as ``Channel.counts`` gives them.

    Training needs both; tokenising is slow Python, so reading the texts once instead of two
    or three times (fit, then a transform per classifier) saves about a tenth of training.
    """
    spec = SPECS[name]
    min_df = spec.min_df if len(texts) >= SMALL_CORPUS else 1
    view = _view(name, texts)
    if spec.analyzer == "char_wb":
        channel = _fit_char_channel(spec, view, min_df)
        return channel, channel.counts(view)
    counter = CountVectorizer(min_df=min_df, **_vectoriser_kwargs(spec))
    try:
        counts = counter.fit_transform(view).astype(np.float32).tocsr()
    except ValueError:  # "empty vocabulary": nothing in this view (e.g. texts with no words)
        channel = Channel(spec, [], np.zeros(0, dtype=np.float32))
        return channel, channel.counts(view)
    counts.sort_indices()  # as transform() leaves them
    vocabulary = [""] * len(counter.vocabulary_)
    for term, index in counter.vocabulary_.items():
        vocabulary[index] = term
    idf = smoothed_idf(np.bincount(counts.indices, minlength=len(vocabulary)), len(view))
    return Channel(spec, vocabulary, idf), counts


def smoothed_idf(df: np.ndarray, n_texts: int) -> np.ndarray:
    """ln((n + 1) / (df + 1)) + 1 in float32, computed as scikit-learn's TfidfTransformer does
    (so a fitted channel equals a fitted ``TfidfVectorizer``, bit for bit)."""
    df = df.astype(np.float32) + np.float32(1)
    idf = np.full_like(df, fill_value=n_texts + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def _fit_char_channel(spec: ChannelSpec, texts: Sequence[str], min_df: int) -> Channel:
    """``fit_channel`` for a char_wb channel, word by word (see ``Channel._char_counts``).

    Gives what ``TfidfVectorizer(min_df=…, sublinear_tf=True).fit`` gives: the terms in at
    least ``min_df`` texts, in sorted order, and their smoothed idf, computed in float32.
    """
    analyse = CountVectorizer(**_vectoriser_kwargs(spec)).build_analyzer()
    ids: dict[str, int] = {}
    by_word: dict[str, np.ndarray] = {}
    per_text: list[np.ndarray] = []
    for text in texts:
        parts = []
        for word in text.split():
            found = by_word.get(word)
            if found is None:
                found = np.array([ids.setdefault(g, len(ids)) for g in analyse(word)], np.int64)
                by_word[word] = found
            parts.append(found)
        if parts:
            per_text.append(np.unique(np.concatenate(parts)))
    if not ids:
        return Channel(spec, [], np.zeros(0, dtype=np.float32))
    df = np.bincount(np.concatenate(per_text), minlength=len(ids))
    vocabulary = sorted(term for term, i in ids.items() if df[i] >= min_df)
    if not vocabulary:
        return Channel(spec, [], np.zeros(0, dtype=np.float32))
    kept = df[[ids[term] for term in vocabulary]]
    return Channel(spec, vocabulary, smoothed_idf(kept, len(texts)))


class Featurizer:
    """The fitted channels; builds the issue and the action feature matrices."""

    def __init__(self, channels: dict[str, Channel]) -> None:
        self.channels = channels

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Featurizer:
        normalised = [normalise(t) for t in texts]
        return cls({name: fit_channel(name, normalised) for name in CHANNELS})

    @classmethod
    def fit_transform(cls, texts: Sequence[str]) -> tuple[Featurizer, sp.csr_matrix, sp.csr_matrix]:
        """``fit`` and then ``transform`` of the same texts, reading each channel's view once."""
        normalised = [normalise(t) for t in texts]
        channels: dict[str, Channel] = {}
        blocks: dict[str, sp.csr_matrix] = {}
        for name in CHANNELS:
            channels[name], counts = fit_channel_counts(name, normalised)
            blocks[name] = channels[name].weigh(counts)
        issue_x = sp.hstack([blocks[n] for n in ISSUE_CHANNELS], format="csr")
        action_x = sp.hstack([blocks[n] for n in ACTION_CHANNELS], format="csr")
        return cls(channels), issue_x, action_x

    def transform(
        self, texts: Sequence[str], *, issues: bool = True, action: bool = True
    ) -> tuple[sp.csr_matrix | None, sp.csr_matrix | None]:
        """(issue matrix, action matrix) for raw texts; the shared ``word`` block is built once."""
        normalised = [normalise(t) for t in texts]
        wanted = set(ISSUE_CHANNELS if issues else ()) | set(ACTION_CHANNELS if action else ())
        blocks = {
            name: self.channels[name].transform(_view(name, normalised))
            for name in CHANNELS
            if name in wanted
        }
        issue_x = sp.hstack([blocks[n] for n in ISSUE_CHANNELS], format="csr") if issues else None
        action_x = sp.hstack([blocks[n] for n in ACTION_CHANNELS], format="csr") if action else None
        return issue_x, action_x

    def issue_matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        matrix, _none = self.transform(texts, action=False)
        assert matrix is not None
        return matrix

    def action_matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        _none, matrix = self.transform(texts, issues=False)
        assert matrix is not None
        return matrix

    def feature_names(self, channels: Sequence[str]) -> list[tuple[str, str]]:
        """(channel, term) of every column of a matrix made of these channels, in order."""
        return [(name, term) for name in channels for term in self.channels[name].vocabulary]

    @property
    def sizes(self) -> dict[str, int]:
        return {name: channel.size for name, channel in self.channels.items()}

    # --- storage: plain arrays, no pickles ---------------------------------------------------

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        for name, channel in self.channels.items():
            joined = "\n".join(channel.vocabulary).encode("utf-8")
            arrays[f"channel_{name}_vocabulary"] = np.frombuffer(joined, dtype=np.uint8)
            arrays[f"channel_{name}_idf"] = channel.idf
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Featurizer:
        channels: dict[str, Channel] = {}
        for name in CHANNELS:
            raw = arrays[f"channel_{name}_vocabulary"].tobytes().decode("utf-8")
            vocabulary = raw.split("\n") if raw else []
            idf = np.asarray(arrays[f"channel_{name}_idf"], dtype=np.float32)
            if len(vocabulary) != len(idf):
                raise ValueError(f"channel {name}: vocabulary and idf lengths differ")
            channels[name] = Channel(SPECS[name], vocabulary, idf)
        return cls(channels)


def readable(channel: str, term: str) -> str:
    """A feature as a person reads it: "h0_continue" → "continue", "hh0_take_all" → "take all"."""
    if channel == "head":
        _prefix, _sep, rest = term.partition("_")
        return rest.replace("_", " ")
    return term
