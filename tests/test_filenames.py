"""File names made from the data center's text."""

from __future__ import annotations

import pytest

from commandcenter.domain.filenames import MAX_PART_CHARS, inside, name_part


@pytest.mark.parametrize(
    "text",
    [
        "../../../../x",
        "/abs/x",
        "C:\\x",
        "..",
        ".",
        "",
        " ",
        ".bashrc",
        "CON",
        "lpt1.log",
        "a\x00b",
    ],
)
def test_hostile_text_becomes_one_plain_name_part(text, tmp_path):
    part = name_part(text)
    assert part and "/" not in part and "\\" not in part and ":" not in part
    assert not part.startswith(".") and part.isprintable()
    assert part.split(".")[0].upper() not in {"CON", "LPT1"}
    path = inside(tmp_path, part + ".jpg")
    path.write_bytes(b"x")
    assert path.resolve().parent == tmp_path.resolve()


def test_ordinary_ids_stay_as_they_are_and_changed_ones_stay_apart():
    assert name_part("CAM-320508-0001-1") == "CAM-320508-0001-1"
    assert name_part("相机一") == "相机一"
    assert name_part("a/b") != name_part("a_b") and name_part("a/b").startswith("a_b-")
    assert len(name_part("x" * 1000)) <= MAX_PART_CHARS + 9


def test_a_name_that_leads_out_of_its_folder_is_refused(tmp_path):
    for name in ("../x", "/etc/x", "a/../../x"):
        with pytest.raises(ValueError, match="outside"):
            inside(tmp_path, name)
