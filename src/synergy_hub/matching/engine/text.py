"""Text analysis shared by indexing and querying: one analyser, so both sides agree on tokens.

The pipeline: Unicode NFKC (full-width letters and digits become half-width), case folding,
then the text is cut into script runs. Chinese (Han) runs go through jieba in search mode,
which emits both whole words and their shorter parts, so "人工智能" also matches "智能".
Every other run of letters and digits is split into words; English stop words are
dropped and the rest are Snowball-stemmed, so "testing" matches "tests". Numbers are kept
("2026", "3.5"). Punctuation, symbols and emoji never become tokens, and neither do lone
Latin letters or the fragments that contractions and hyphenated prefixes leave ("s" of
"it's", "re" of "re-use"): they matched almost every English text and nothing in particular.

`language_of` says whether a text is Chinese, English or mixed, by the same counting rule
as the bilingual test collection: Latin abbreviations (GPU, ISO 13485) in a Chinese text
do not make it English. Fusion uses it to tell when the lexical side cannot match at all.

jieba is initialised once per process, lazily, with its log silenced and its dictionary
cache kept in a private per-user folder (never the working directory), so read-only
installs and parallel workers are fine.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import Stemmer

if TYPE_CHECKING:
    import jieba

__all__ = ["Analyzer", "Language", "analyze", "language_of", "normalize", "other_language"]

CACHE_DIR_ENV = "SYNERGY_CACHE_DIR"

# Han ideographs: the unified block, extension A, compatibility ideographs, extensions B+.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
# A word is a run of letters or digits (any script but Han); decimals stay whole.
_WORD = re.compile(rf"\d+(?:\.\d+)+|(?:(?![{_HAN}])[^\W_])+")

_ENGLISH_STOP_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_TEXT.split())
"""English function words that carry no topic (a list of the usual closed-class words)."""

# Only words that never start a compound in our domain: "中" (中试) or "能" (能力) stay.
_CHINESE_STOP_TEXT = """
    的 了 和 是 在 有 与 及 或 等 把 被 对 从 向 以 之 其 这 那 这个 那个 这些 那些 一个
    我 我们 你 你们 他 他们 她 它 它们 吗 呢 吧 啊 也 都 就 而 并 并且 但 但是 如果 因为
    所以 为 为了 由 于 什么 怎么 怎样 如何 哪些 哪个 可以 能够 需要 请 提供
"""
CHINESE_STOP_WORDS = frozenset(_CHINESE_STOP_TEXT.split())
"""Chinese function words and question words that jieba emits as tokens of their own."""

# Fragments that contractions and hyphenated prefixes leave behind, and lone letters.
_FRAGMENTS = frozenset({"s", "t", "d", "ll", "re", "ve", "m", "nt"})

Language = Literal["zh", "en", "mixed"]

_LOWERCASE_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
_HAN_CHAR = re.compile(f"[{_HAN}]")


def language_of(text: str) -> Language:
    """Tell whether a text is Chinese, English or mixed.

    English: no Han character. Chinese: Han characters, and at most one Latin word with a
    lowercase letter per 25 of them (at least one allowed), so abbreviations and model
    names written in capitals (GPU, A800, ISO 13485) keep a Chinese text Chinese. Mixed:
    the rest (code-switching, a Chinese title over an English description).
    """
    han = len(_HAN_CHAR.findall(text))
    if not han:
        return "en"
    words = len(_LOWERCASE_WORD.findall(text))
    return "zh" if words <= max(1, han / 25) else "mixed"


def other_language(first: Language, second: Language) -> bool:
    """Tell whether two texts are each in one language, and not the same one."""
    return {first, second} == {"zh", "en"}


_jieba_lock = threading.Lock()
_jieba_tokenizer: jieba.Tokenizer | None = None


def _cache_dir() -> Path:
    """Return a private, writable folder for jieba's dictionary cache."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        base = Path(configured)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "synergy-hub"
    folder = base / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    # A read-only home: a fresh private temporary folder still avoids a shared /tmp cache.
    return Path(tempfile.mkdtemp(prefix="synergy-jieba-"))


def _jieba() -> jieba.Tokenizer:
    """Return the process-wide jieba tokenizer, initialising it quietly on first use."""
    global _jieba_tokenizer
    if _jieba_tokenizer is None:
        with _jieba_lock:
            if _jieba_tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = str(_cache_dir())
                tokenizer.initialize()
                _jieba_tokenizer = tokenizer
    return _jieba_tokenizer


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    """Return the English Snowball stemmer (PyStemmer keeps its own word cache)."""
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """Fold width and case so that 'ＧＰＵ' and 'gpu' compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


class Analyzer:
    """Turns text into index terms: jieba words for Chinese, stemmed words for the rest."""

    def __init__(self, *, stem: bool = True, stop_words: bool = True) -> None:
        self.stem = stem
        self.stop_words = stop_words

    def tokens(self, text: str) -> list[str]:
        """Return the terms of `text` in reading order (duplicates kept for term frequency)."""
        text = normalize(text)
        out: list[str] = []
        position = 0
        for han in _HAN_RUN.finditer(text):
            self._words(text[position : han.start()], out)
            self._han(han.group(), out)
            position = han.end()
        self._words(text[position:], out)
        return out

    def _words(self, segment: str, out: list[str]) -> None:
        """Append the non-Chinese words of `segment`, stop words removed, stemmed."""
        words = _WORD.findall(segment)
        if self.stop_words:
            words = [w for w in words if w not in ENGLISH_STOP_WORDS and not _fragment(w)]
        if self.stem and words:
            words = _stemmer().stemWords(words)
        out.extend(words)

    def _han(self, run: str, out: list[str]) -> None:
        """Append the jieba search-mode words of a Chinese run."""
        for word in _jieba().cut_for_search(run):
            if not self.stop_words or word not in CHINESE_STOP_WORDS:
                out.append(word)


def _fragment(word: str) -> bool:
    """Tell whether a word is a lone Latin letter or a contraction's leftover."""
    return (len(word) == 1 and word.isalpha()) or word in _FRAGMENTS


_default_analyzer = Analyzer()


def analyze(text: str) -> list[str]:
    """Return the terms of `text` with the default analyser used by every index."""
    return _default_analyzer.tokens(text)
