import pytest

from privacy.crypto import blind_index, decrypt, encrypt
from privacy.masks import mask_id_number, mask_phone


def test_encrypt_round_trips_and_hides_the_value():
    token = encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert decrypt(token) == "11010519491231002X"
    assert encrypt("11010519491231002X") != token  # a fresh nonce each time


def test_blind_index_is_stable_keyed_and_purpose_bound(settings):
    a = blind_index("13812341234", purpose="phone")
    assert a == blind_index("13812341234", purpose="phone")
    assert a != blind_index("13812341234", purpose="id_number")
    assert "13812341234" not in a
    settings.FIELD_ENCRYPTION_KEY = "another key"
    assert blind_index("13812341234", purpose="phone") != a


def test_decrypt_with_the_wrong_key_says_so(settings):
    token = encrypt("13812341234")
    settings.FIELD_ENCRYPTION_KEY = "another key"
    with pytest.raises(Exception, match="FIELD_ENCRYPTION_KEY"):
        decrypt(token)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("650102199001011234", "650***********1234"), ("", ""), ("12345", "*****")],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


def test_mask_phone():
    assert mask_phone("13812341234") == "138****1234"
