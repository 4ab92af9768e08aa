"""W116 said "the name is now replaced here too" for a stored file that held a new respondent's name only as a
lower-case word ("treated me like a person" after a respondent "New Person" was added elsewhere): the check
matched in any case while pseudonymisation matches a name only as written, in Title case or in capitals, so
nothing was replaced and the file was re-read for nothing. Now a file is re-read (with W116) only when the name
would be replaced in it."""

from __future__ import annotations

from thematic.study import Study

A = ("respondent_id,What helped you most?\n"
     'R1,"Staff who did not judge me for my past, they treated me like a person."\n'
     "R2,The weekly group where I met people like me in the same boat as me.\n")
B = ("Timestamp,Name,What helped you most?\n"
     "2024/05/01 09:00,Maria Gomez,My mentor listened to me and helped me find a flat quickly.\n")


def test_a_lower_case_word_is_no_mention_of_a_name(study: Study) -> None:
    raw = study.paths.raw
    (raw / "a.csv").write_text(A, encoding="utf-8")
    (raw / "b.csv").write_text(B, encoding="utf-8")
    assert study.ingest().ok
    with (raw / "b.csv").open("a", encoding="utf-8") as f:
        f.write("2024/05/02 09:00,New Person,Help with the benefits forms that I could not read myself.\n")
    report = study.ingest()
    assert report.ok
    assert not any("W116" in w for r in report.rows for w in r.warnings)
    assert "treated me like a person." in "\n".join(study.segments("a").text)


def test_a_capitalised_mention_is_still_replaced_and_named_in_w116(study: Study) -> None:
    raw = study.paths.raw
    (raw / "a.csv").write_text(A.replace("a person.", "a person. Person is my surname too."), encoding="utf-8")
    (raw / "b.csv").write_text(B, encoding="utf-8")
    assert study.ingest().ok
    with (raw / "b.csv").open("a", encoding="utf-8") as f:
        f.write("2024/05/02 09:00,New Person,Help with the benefits forms that I could not read myself.\n")
    report = study.ingest()
    a = next(r for r in report.rows if r.path.endswith("a.csv"))
    assert any("W116" in w for w in a.warnings)
    text = "\n".join(study.segments("a").text)
    assert "Person is my surname" not in text and "like a person." in text
