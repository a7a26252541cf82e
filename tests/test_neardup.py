"""Near-duplicate fingerprints and their SQLite LSH index (crawler.dedup)."""

from __future__ import annotations

import math
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from crawler.dedup.minhash import Fingerprint, fingerprint, lsh_parameters, tokens
from crawler.dedup.sqlite_index import NearDuplicateIndex

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

STORY = """\
The city council of Bremerhaven voted on Tuesday to expand the northern container terminal, ending a
dispute that had stalled the project for more than three years.

The plan adds two deep-water berths and a rail link to the port's freight yard. Construction is due to
begin next spring and should take about four years, the port authority said in a statement.

Supporters argued that larger ships would otherwise bypass the port in favour of Rotterdam and Antwerp.
Environmental groups had warned that dredging the channel would harm the Wadden Sea, a protected
wetland that stretches along the coast of the Netherlands, Germany and Denmark.

To win their support, the council attached conditions: the operator must fund a monitoring programme
for the estuary and restore twenty hectares of salt marsh south of the city.

"This is a compromise that keeps jobs here without giving up on the river," the mayor told reporters
after the vote, which passed by thirty-one votes to seventeen.

Shipping companies welcomed the decision. The terminal handled about five million containers last year,
and its owners expect the new berths to raise capacity by a third by the end of the decade.
"""

SAME_TOPIC = """\
After years of argument, Bremerhaven will get its bigger container terminal. Councillors backed the
expansion on Tuesday evening by 31 votes to 17, clearing the way for building work in the spring.

Two new berths for the largest container ships and a direct rail connection are at the heart of the
scheme. The port authority estimates the work will last four years.

Conservationists remain unhappy. They fear that deepening the shipping channel will damage the Wadden
Sea, and they say the promised restoration of salt marshes is too small to make up for it.

The mayor defended the deal: "This is a compromise that keeps jobs here without giving up on the river."
Business leaders said the port could not afford to lose more traffic to its Dutch and Belgian rivals.
"""

NEW_HEADLINE = "Port expansion approved after three-year fight over the Wadden Sea\n\n"
TAIL = (
    "\n\nThis story was first published by Metro Wire. Follow us on Facebook and Instagram, "
    "and sign up for our morning newsletter."
)

CJK_STORY = """\
本市第三条地铁线路今天上午正式开通运营，全长二十四公里，共设十八座车站，连接城市东部的高铁站和西部的大学城。

市交通局负责人介绍，新线路开通后，从高铁站到大学城的出行时间将由原来的一个多小时缩短到四十分钟左右。早晚高峰期间，列车最小发车间隔为四分钟。

为方便市民出行，开通首月所有乘客可凭交通卡享受八折优惠。沿线多个车站还设置了自行车停放区和公交接驳站点。

据了解，第四条和第五条地铁线路目前正在建设中，预计将在两年内陆续建成通车。
"""

CJK_SAME_TOPIC = """\
记者今天在地铁三号线首日运营现场看到，不少市民专程前来体验新线路。一位在大学城读书的学生说，以前回家要换乘两次公交车，现在坐地铁方便多了。

三号线沿途经过老城区和新开发区，部分车站的装修融入了本地传统建筑元素。车站工作人员表示，首日客流总体平稳，没有出现明显拥堵。

交通部门提醒，高峰时段部分换乘站人流较大，请乘客注意安全，有序乘车。
"""


def connect(path: Path) -> sqlite3.Connection:
    """A connection opened the way the crawl state is: autocommit, WAL, busy timeout."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=5)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "state.sqlite3")
    yield connection
    connection.close()


@pytest.fixture
def index(connection: sqlite3.Connection) -> NearDuplicateIndex:
    return NearDuplicateIndex(connection)


def fp(text: str) -> Fingerprint:
    result = fingerprint(text)
    assert result is not None
    return result


def found(index: NearDuplicateIndex, text: str, exclude_key: str | None = None) -> str | None:
    """The key that ``text`` is found under, if any."""
    match = index.find(fp(text), exclude_key)
    return match[0] if match else None


def signature(values: np.ndarray) -> Fingerprint:
    return Fingerprint(values.astype("<u4").tobytes())


def reordered(text: str) -> str:
    paragraphs = text.strip().split("\n\n")
    paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]
    return "\n\n".join(paragraphs)


def test_identical_text_found(index: NearDuplicateIndex) -> None:
    index.add("https://a.example/story", fp(STORY))
    assert index.find(fp(STORY)) == ("https://a.example/story", 1.0)


def test_syndicated_copy_with_new_headline_and_tail_found(index: NearDuplicateIndex) -> None:
    index.add("https://a.example/story", fp(STORY))
    match = index.find(fp(NEW_HEADLINE + STORY + TAIL))
    assert match is not None
    assert match[0] == "https://a.example/story"
    assert 0.8 <= match[1] < 1.0


def test_reordered_paragraphs_found(index: NearDuplicateIndex) -> None:
    index.add("https://a.example/story", fp(STORY))
    assert reordered(STORY) != STORY.strip()
    assert found(index, reordered(STORY)) == "https://a.example/story"


def test_different_article_on_the_same_topic_not_found(index: NearDuplicateIndex) -> None:
    index.add("https://a.example/story", fp(STORY))
    assert index.find(fp(SAME_TOPIC)) is None
    assert fp(STORY).similarity(fp(SAME_TOPIC)) < 0.2


def test_cjk_text(index: NearDuplicateIndex) -> None:
    assert tokens("东京的新地铁 opens 今日") == ["东", "京", "的", "新", "地", "铁", "opens", "今", "日"]
    assert tokens("ｶﾀｶﾅ Ｆｕｌｌ") == ["カ", "タ", "カ", "ナ", "full"]  # NFKC, then lowercase
    index.add("https://cn.example/metro", fp(CJK_STORY))
    copy = "地铁三号线今日开通\n\n" + CJK_STORY + "\n\n本文转载自城市日报，转载请注明出处。"
    assert found(index, copy) == "https://cn.example/metro"
    assert index.find(fp(CJK_SAME_TOPIC)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("Too short to tell anything.", False),
        ("one two three four five six seven eight nine", False),
        ("one two three four five six seven eight nine ten", True),
        ("本市第三条地铁", False),
        ("本市第三条地铁线路今天", True),
    ],
)
def test_short_text_has_no_fingerprint(text: str, expected: bool) -> None:
    assert (fingerprint(text) is not None) is expected


def test_fingerprint_is_stable_and_serialises() -> None:
    first = fp(STORY)
    assert first == fp(STORY.upper().replace("\n", " "))  # case and line breaks do not matter
    assert first.num_perm == 128
    assert len(first.to_bytes()) == 512
    assert Fingerprint.from_bytes(first.to_bytes()) == first
    assert fingerprint(STORY, num_perm=64) == Fingerprint(first.to_bytes()[:256])
    with pytest.raises(ValueError, match="multiple of 4"):
        Fingerprint(b"abc")


def test_index_persists_across_connections(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = connect(path)
    NearDuplicateIndex(first).add("https://a.example/story", fp(STORY))
    first.close()

    second = connect(path)
    index = NearDuplicateIndex(second)
    try:
        assert len(index) == 1
        assert found(index, NEW_HEADLINE + STORY) == "https://a.example/story"
    finally:
        second.close()


def test_two_connections_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    writer, reader = connect(path), connect(path)
    try:
        NearDuplicateIndex(writer).add("https://a.example/story", fp(STORY))
        assert not writer.in_transaction
        assert found(NearDuplicateIndex(reader), STORY + TAIL) == "https://a.example/story"
    finally:
        writer.close()
        reader.close()


def test_concurrent_writers(tmp_path: Path) -> None:
    """Writers on separate connections (as separate processes would be) wait for each other's transactions."""
    path = tmp_path / "state.sqlite3"
    NearDuplicateIndex(connect(path)).connection.close()
    rng = np.random.default_rng(7)
    batches = [[signature(rng.integers(0, 2**32, 128)) for _ in range(25)] for _ in range(4)]

    def write(worker: int) -> None:
        connection = connect(path)
        index = NearDuplicateIndex(connection)
        for n, item in enumerate(batches[worker]):
            index.add(f"{worker}/{n}", item)
        connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connection = connect(path)
    try:
        index = NearDuplicateIndex(connection)
        assert len(index) == 100
        assert all(
            index.find(item) == (f"{w}/{n}", 1.0)
            for w, batch in enumerate(batches)
            for n, item in enumerate(batch)
        )
    finally:
        connection.close()


def test_earliest_key_wins(index: NearDuplicateIndex) -> None:
    index.add("https://a.example/first", fp(STORY))
    index.add("https://b.example/second", fp(STORY + TAIL))
    index.add("https://c.example/third", fp(NEW_HEADLINE + STORY))
    assert found(index, STORY) == "https://a.example/first"
    # adding an indexed key again keeps its place in the order
    index.add("https://a.example/first", fp(STORY))
    assert found(index, STORY) == "https://a.example/first"
    assert found(index, STORY, exclude_key="https://a.example/first") == "https://b.example/second"
    assert len(index) == 3


def test_add_replaces_the_signature_of_a_key(
    index: NearDuplicateIndex, connection: sqlite3.Connection
) -> None:
    index.add("https://a.example/story", fp(STORY))
    index.add("https://a.example/story", fp(SAME_TOPIC))
    assert len(index) == 1
    assert index.find(fp(STORY)) is None
    assert index.find(fp(SAME_TOPIC)) == ("https://a.example/story", 1.0)
    (bands,) = connection.execute("SELECT COUNT(*) FROM neardup_bands").fetchone()
    assert bands == index.bands


def test_remove(index: NearDuplicateIndex, connection: sqlite3.Connection) -> None:
    index.add("https://a.example/story", fp(STORY))
    index.add("https://b.example/other", fp(SAME_TOPIC))
    index.remove("https://a.example/story")
    assert index.find(fp(STORY)) is None
    assert index.find(fp(SAME_TOPIC)) == ("https://b.example/other", 1.0)
    assert len(index) == 1
    (bands,) = connection.execute("SELECT COUNT(*) FROM neardup_bands").fetchone()
    assert bands == index.bands
    with pytest.raises(KeyError):
        index.remove("https://a.example/story")


@pytest.mark.parametrize("threshold", [0.7, 0.8, 0.9])
def test_threshold_respected(connection: sqlite3.Connection, threshold: float) -> None:
    index = NearDuplicateIndex(connection, threshold=threshold)
    base = np.arange(128, dtype=np.uint32)
    index.add("base", signature(base))
    needed = math.ceil(threshold * 128)  # equal values needed to reach the threshold
    at_threshold, below = base.copy(), base.copy()
    at_threshold[: 128 - needed] += 1000
    below[: 128 - needed + 1] += 1000
    assert index.find(signature(at_threshold)) == ("base", needed / 128)
    assert index.find(signature(below)) is None


@pytest.mark.parametrize("other", [{"threshold": 0.9}, {"bands": 16}, {"num_perm": 256}])
def test_reopening_with_another_banding_raises(connection: sqlite3.Connection, other: dict[str, Any]) -> None:
    first = NearDuplicateIndex(connection, threshold=0.8)
    assert (first.bands, first.rows) == (16, 6)
    assert NearDuplicateIndex(connection, threshold=0.8).bands == 16
    with pytest.raises(ValueError, match="built with"):
        NearDuplicateIndex(connection, **other)


def test_fingerprint_of_another_size_is_refused(index: NearDuplicateIndex) -> None:
    small = fingerprint(STORY, num_perm=64)
    assert small is not None
    with pytest.raises(ValueError, match="expects 128"):
        index.add("https://a.example/story", small)


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
def test_lsh_parameters_find_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = lsh_parameters(threshold, 128)
    assert bands * rows <= 128
    assert 1 - (1 - threshold**rows) ** bands >= 0.99
