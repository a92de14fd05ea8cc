"""The analyser: Chinese segmentation, width and case folding, stemming, odd input."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import bm25s
import pytest

from synergy_hub.matching.engine import text
from synergy_hub.matching.engine.text import (
    Analyzer,
    analyze,
    language_of,
    normalize,
    other_language,
)


def test_a_chinese_sentence_yields_several_chinese_terms() -> None:
    sentence = "我们需要人工智能大模型的算力租赁服务"
    terms = analyze(sentence)
    assert {"人工智能", "智能", "模型", "算力", "租赁", "服务"} <= set(terms)
    assert "的" not in terms
    assert "我们" not in terms
    # bm25s's default tokenizer sees one "word" in the same sentence.
    assert len(bm25s.tokenize(sentence, return_ids=False, show_progress=False)[0]) == 1


def test_full_width_ascii_is_folded_to_half_width_and_lower_case() -> None:
    assert normalize("ＧＰＵ　Ａ１００") == "gpu a100"
    assert analyze("ＧＰＵ　Ａ１００，ＡＰＩ") == ["gpu", "a100", "api"]


def test_english_is_stemmed_and_stop_words_dropped() -> None:
    assert analyze("Testing the tests that were tested") == ["test", "test", "test"]
    assert analyze("running laboratories") == ["run", "laboratori"]


def test_numbers_are_kept() -> None:
    assert analyze("3.5 tons in 2026") == ["3.5", "ton", "2026"]
    assert "2026" in analyze("2026年开放清单")


def test_mixed_script_text_is_handled_run_by_run() -> None:
    terms = analyze("混合mixed文本text中文English")
    assert terms == ["混合", "mix", "文本", "text", "中文", "english"]


@pytest.mark.parametrize("raw", ["", "   ", "!!! ... ，。？", "😀🚀🎉", "\x00\x01\n\t"])
def test_empty_punctuation_and_emoji_only_texts_give_no_terms(raw: str) -> None:
    assert analyze(raw) == []


def test_emoji_and_punctuation_between_words_are_dropped() -> None:
    assert analyze("GPU🚀算力!!!") == ["gpu", "算力"]


def test_options_switch_off_stemming_and_stop_words() -> None:
    assert Analyzer(stem=False, stop_words=False).tokens("The Testing") == ["the", "testing"]


def test_a_ten_thousand_character_input_is_fine() -> None:
    long_text = ("工业数据集 industrial datasets " * 400)[:10_000]
    start = time.perf_counter()
    terms = analyze(long_text)
    assert time.perf_counter() - start < 2.0
    assert len(terms) > 1000
    assert {"工业", "数据", "dataset"} <= set(terms)


def test_jieba_cache_goes_to_the_configured_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(text.CACHE_DIR_ENV, str(tmp_path))
    assert text._cache_dir() == tmp_path / "jieba"


def test_jieba_cache_falls_back_to_a_private_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(text.CACHE_DIR_ENV, str(blocked))
    folder = text._cache_dir()
    assert folder.is_dir()
    assert not str(folder).startswith(str(blocked))


def test_jieba_starts_quietly_and_writes_nothing_to_the_working_directory(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, text.CACHE_DIR_ENV: str(tmp_path / "cache")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from synergy_hub.matching.engine.text import analyze; print(analyze('人工智能'))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "智能" in result.stdout
    assert result.stderr == ""
    assert list(work.iterdir()) == []
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").exists()


def test_contraction_leftovers_and_lone_letters_are_not_terms() -> None:
    """BM25 matched "s" of "it's" and "re" of "re-use" in almost every English text."""
    assert analyze("It's a re-use of the GPU's x-ray") == ["use", "gpu", "ray"]
    assert analyze("A800 3.5 V") == ["a800", "3.5"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("furniture formaldehyde testing", "en"),
        ("GPU 租用 按小时", "zh"),
        ("CE认证 锂电池 IEC 62133", "zh"),
        ("需要 EMC test for 出口欧洲", "mixed"),
        ("PLM for Apparel | 服装企业产品生命周期管理，管理工艺单和打样进度", "mixed"),
        ("", "en"),
    ],
)
def test_language_of(text: str, language: str) -> None:
    assert language_of(text) == language


def test_only_two_single_language_texts_are_in_other_languages() -> None:
    assert other_language("zh", "en") and other_language("en", "zh")
    assert not other_language("zh", "zh")
    assert not other_language("mixed", "en")
