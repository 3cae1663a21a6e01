"""The query parser: user text in, safe terms out (no database)."""

from __future__ import annotations

import pytest

from uprhub.search.query import MAX_TERMS, parse


def test_words_are_lowercased_and_stop_words_dropped():
    parsed = parse("The Death PENALTY")
    assert parsed.words == ("death", "penalty")
    assert parsed.fts5_match() == '"death" AND "penalty"'


def test_balanced_quotes_make_phrases_and_a_lone_quote_is_a_separator():
    parsed = parse('"right to education" torture "unclosed')
    assert parsed.phrases == (("right", "to", "education"),)
    assert parsed.words == ("torture", "unclosed")
    assert parsed.fts5_match() == '"torture" AND "unclosed" AND "right to education"'


def test_phrase_edges_lose_stop_words_and_a_one_word_phrase_is_a_word():
    assert parse('"the death penalty"').phrases == (("death", "penalty"),)
    assert parse('"the torture"').words == ("torture",)


@pytest.mark.parametrize(
    "text",
    ['"', "*", "-", "(((", ")))", "AND OR NOT", "^", ":", "{}", "\x00", "🙂🙂", ""],
)
def test_operators_alone_are_not_terms(text):
    parsed = parse(text)
    assert parsed.words == () and parsed.phrases == ()


def test_near_is_just_a_word():
    assert parse("NEAR(").words == ("near",)


def test_operators_between_words_become_separators():
    parsed = parse('death* -penalty NEAR(torture, 2) text:women "a" OR')
    assert parsed.words == ("death", "penalty", "near", "torture", "2", "text", "women")
    assert '"' not in "".join(parsed.words)


def test_stop_words_only_matches_nothing_but_is_not_browsing():
    parsed = parse("the and of")
    assert parsed.matches_nothing and not parsed.is_browse
    assert parse("   ").is_browse


def test_long_input_and_many_terms_are_capped():
    parsed = parse(" ".join(f"word{i}" for i in range(5000)))
    assert len(parsed.words) == MAX_TERMS
    assert len(parse("x" * 10_000).words) == 0  # one absurdly long "word": dropped


def test_sql_looking_text_is_just_words():
    parsed = parse("'; DROP TABLE recommendations_recommendation; --")
    assert parsed.words == ("drop", "table", "recommendations", "recommendation")


def test_pg_tsquery_keeps_user_text_in_parameters():
    sql, params = parse('death "women\'s rights"').pg_tsquery("cfg")
    assert params == ["death", "women s rights"]
    assert "death" not in sql and "women" not in sql
