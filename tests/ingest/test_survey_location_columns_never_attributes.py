"""Alchemer/SurveyGizmo, KoboToolbox and hand-trimmed Qualtrics exports have columns titled `Latitude`,
`Longitude`, `Lat`, `Lng`, `GPS`, `IP`, `IPv4`, `Postal` and `User Agent`: they became tallied attributes, so
every respondent's exact coordinates, IP address, postcode and browser showed in `tables attributes` and were
written by `export segments`. Now such titles are personal (never an attribute, left out of every table), and
a column whose every answer is a pair of coordinates or an IP address is left out whatever its title, while a
`Location` of a few repeated places (`North`, `South`) stays an attribute like any site."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic._personal import is_personal
from thematic.ingest.export import export_segments
from thematic.ingest.readers.survey import read_survey
from thematic.study import Study

HELPED = ["Honestly, the staff always remembered my kids and asked after them.",
          "The mentor sorted my housing out quickly, within a week or so.",
          "The weekly group where you could talk to people in the same situation."]

ALCHEMER = [["Response ID", "Time Started", "Date Submitted", "Status", "IP", "Longitude", "Latitude", "Postal",
             "User Agent", "What helped you most while you were with the service?", "Which site?"],
            ["1", "2024-05-01 09:00:00", "2024-05-01 09:10:00", "Complete", "81.2.69.160", "-0.1276", "51.5072",
             "SW1A 1AA", "Mozilla/5.0 (Windows NT 10.0)", HELPED[0], "North"],
            ["2", "2024-05-01 10:00:00", "2024-05-01 10:10:00", "Complete", "81.2.69.161", "-2.2426", "53.4808",
             "M1 1AE", "Mozilla/5.0 (iPhone)", HELPED[1], "South"],
            ["3", "2024-05-01 11:00:00", "2024-05-01 11:10:00", "Complete", "81.2.69.162", "-1.8904", "52.4862",
             "B1 1BB", "Mozilla/5.0 (Android)", HELPED[2], "North"]]


@pytest.mark.parametrize("title", ["Latitude", "Longitude", "Lat", "Lng", "Lon", "GPS", "gps", "IP", "IPv4", "IPv6",
                                   "IP Address", "Postal", "User Agent", "UserAgent", "LocationLatitude",
                                   "Location Longitude", "_location_latitude", "_gps_longitude",
                                   "_location_altitude", "Geolocation", "Coordinates", "Submission IP", "deviceid"])
def test_coordinates_network_and_device_titles_are_personal(title: str) -> None:
    assert is_personal(title)


@pytest.mark.parametrize("title", ["Location", "Site", "Region", "Long-term condition", "Number of GPs",
                                   "Membership type", "Postal vote", "Longest wait"])
def test_places_and_ordinary_titles_are_not_personal(title: str) -> None:
    assert not is_personal(title)


def test_alchemer_location_network_and_device_columns_are_left_out() -> None:
    parsed = read_survey(ALCHEMER, "alchemer.csv", "csv")
    assert [dict(p.attributes) for p in parsed.participants] == [{"Which site?": "North"}, {"Which site?": "South"},
                                                                 {"Which site?": "North"}]
    left_out = parsed.attributes["columns"]["metadata"]
    assert {"IP", "Longitude", "Latitude", "Postal", "User Agent"} <= set(left_out)


def test_columns_of_coordinates_or_ip_addresses_are_left_out_whatever_their_title() -> None:
    rows = [["_id", "location", "Where were you?", "Connection", "Location", "What helped you most?"],
            ["1", "51.5072 -0.1276 11.0 5.0", "51.50722, -0.12750", "81.2.69.160", "North", HELPED[0]],
            ["2", "53.4808 -2.2426 38.0 4.5", "53.48095, -2.23743", "2001:db8::8a2e:370:7334", "South", HELPED[1]],
            ["3", "52.4862 -1.8904 140.0 3.9", "", "81.2.69.162", "North", HELPED[2]]]
    parsed = read_survey(rows, "kobo.csv", "csv")
    assert [dict(p.attributes) for p in parsed.participants] == [{"Location": "North"}, {"Location": "South"},
                                                                 {"Location": "North"}]
    assert {"location", "Where were you?", "Connection"} <= set(parsed.attributes["columns"]["metadata"])


def test_no_coordinates_ip_or_postcode_reach_tables_or_exports(study: Study, tmp_path: Path) -> None:
    import csv

    with (study.paths.raw / "alchemer.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(ALCHEMER)
    assert study.ingest().ok
    people = study.store.participants()
    assert not {"IP", "Longitude", "Latitude", "Postal", "User Agent"} & set(people.columns)
    assert "Which site?" in people.columns
    out = tmp_path / "segments.csv"
    export_segments(study.store, out)
    exported = out.read_text(encoding="utf-8-sig")
    for secret in ("81.2.69.160", "51.5072", "SW1A 1AA", "Mozilla"):
        assert secret not in exported
