import pytest

from silverpool import idcard


def make18(body17: str) -> str:
    return body17 + idcard.check_char(body17)


def test_known_valid_number_and_its_birth_and_gender():
    # GB 11643's own worked example
    info = idcard.parse("11010519491231002X")
    assert info.number18 == "11010519491231002X"
    assert info.birth.isoformat() == "1949-12-31"
    assert info.gender == "女"
    assert not info.from15


def test_wrong_check_digit_is_refused_with_the_right_one_named():
    good = make18("33010619500312301")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(idcard.IdError, match=f"应为 {good[17]}"):
        idcard.parse(bad)


def test_fifteen_digit_number_is_upgraded_to_eighteen():
    info = idcard.parse("330106500312301")
    assert info.from15
    assert info.number18 == make18("33010619500312301")
    assert info.gender == "男"


@pytest.mark.parametrize("raw,why", [("3301061950031230", "18 位"), ("330106195002303012", "出生日期")])
def test_malformed_numbers(raw, why):
    with pytest.raises(idcard.IdError, match=why):
        idcard.parse(raw)


def test_fingerprint_depends_on_key_and_never_looks_like_an_id():
    n = make18("33010619500312301")
    a = idcard.fingerprint(b"k" * 40, n)
    assert a == idcard.fingerprint(b"k" * 40, n)
    assert a != idcard.fingerprint(b"j" * 40, n)
    assert len(a) == 24 and idcard.id_number_line(a) is None and n not in a
