import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silverpool import yamlio

AMBIGUOUS = ["yes", "No", "ON", "off", "null", "~", "0571", "1e3", "12:30", "0x1F", "-1", ".5", "true",
             "2014-07-15", "", " lead", "trail ", "a: b", "#x", "- x", "@a", "multi\nline ", "\u2028", "1_000"]


@pytest.mark.parametrize("s", AMBIGUOUS)
def test_strings_yaml_could_misread_come_back_as_strings(s):
    text = yamlio.dump({"v": s})
    assert yamlio.load_text(text) == {"v": s}
    assert text.startswith('v: "'), text  # quoted, not plain


@pytest.mark.parametrize("s", ["=SUM(A1)", "=HYPERLINK(\"http://x\")", "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "a\x7fb", "tab\there"])
def test_cell_text_round_trips_verbatim(s):
    assert yamlio.load_text(yamlio.dump({"v": s})) == {"v": s}


def test_plain_chinese_text_stays_unquoted_and_multiline_is_a_literal_block():
    text = yamlio.dump({"name": "陈国华", "text": "第一行\n第二行"})
    assert text == "name: 陈国华\ntext: |-\n  第一行\n  第二行\n"


scalars = st.one_of(
    st.text(max_size=30), st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), trees, min_size=1, max_size=5))
def test_round_trip_is_exact(data):
    text = yamlio.dump(data)
    assert yamlio.load_text(text) == data
    assert yamlio.dump(yamlio.load_text(text)) == text


def test_oversized_file_is_refused(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: " + "x" * (yamlio.MAX_FILE_BYTES + 1))
    with pytest.raises(yamlio.YamlError, match="文件过大"):
        yamlio.read_file(p)


def test_syntax_error_names_the_line():
    with pytest.raises(yamlio.YamlError) as e:
        yamlio.load_text("a: 1\nb: [1, 2\nc: 3\n")
    assert e.value.line is not None and "第" in str(e.value)


def test_write_all_leaves_nothing_half_written(tmp_path, monkeypatch):
    import tempfile

    first = tmp_path / "a.yaml"
    first.write_text("old\n")
    real_mkstemp = tempfile.mkstemp
    calls = []

    def mkstemp_failing_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_failing_second)
    with pytest.raises(OSError, match="disk full"):
        yamlio.write_all({first: "new\n", tmp_path / "b.yaml": "x\n"})
    assert first.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]
